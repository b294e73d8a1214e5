// Package present holds the Portuguese words the outputs use for the
// engine's codes, so every page, export and report says the same thing.
package present

import (
	"strconv"
	"strings"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/records"
)

// ConditionName names each condition.
var ConditionName = map[conditions.Condition]string{
	conditions.Formalizacao:   "Formalização",
	conditions.PontoFocal:     "Ponto focal",
	conditions.CapacitacaoAPS: "Capacitação APS",
	conditions.CapacitacaoAAE: "Capacitação AAE",
	conditions.Planilha:       "Planilha de cadastro",
}

// ConditionMet says how many meet each condition (headline cards).
var ConditionMet = map[conditions.Condition]string{
	conditions.Formalizacao:   "com formalização assinada",
	conditions.PontoFocal:     "com ponto focal indicado",
	conditions.CapacitacaoAPS: "com capacitação APS concluída",
	conditions.CapacitacaoAAE: "com capacitação AAE concluída ou não exigida",
	conditions.Planilha:       "com planilha de cadastro",
}

// Situation names each situação.
var Situation = map[conditions.Situation]string{
	conditions.Apto:           "Apto",
	conditions.PendenteSit:    "Pendente",
	conditions.NaoContemplado: "Não contemplado nesta etapa",
}

// State names each condition state.
var State = map[conditions.State]string{
	conditions.Cumprida:    "Cumprida",
	conditions.Pendente:    "Pendente",
	conditions.Suspensa:    "Suspensa (AAE em estruturação)",
	conditions.NaoSeAplica: "Não se aplica",
}

// Thousands writes n with pt-BR digit grouping (12.345).
func Thousands(n int) string {
	if n < 0 {
		return "-" + Thousands(-n)
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// Date writes a date as dd/mm/aaaa ("" for the zero time).
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02/01/2006")
}

// CareLevel names a professional's level of care.
func CareLevel(l conditions.CareLevel) string {
	switch l {
	case conditions.APS:
		return "Atenção Primária (APS)"
	case conditions.AAE:
		return "Atenção Especializada (AAE)"
	}
	return "Não informado"
}

// kindWords are the words for each kind of input file: one file of it,
// the kind's files together ("Dados atualizados em") and a short name
// (the one-line freshness summary).
var kindWords = map[records.Kind]struct{ file, files, short string }{
	records.Abrangencia:   {"Regiões de abrangência", "Regiões de abrangência", "abrangência"},
	records.Formalizacao:  {"Formalização", "Formalização", "formalização"},
	records.PontoFocal:    {"Indicação de ponto focal", "Indicação de ponto focal", "ponto focal"},
	records.Cadastro:      {"Planilha de cadastro de profissionais", "Planilhas de cadastro", "cadastros"},
	records.Moodle:        {"Conclusões do Moodle (1º bloco)", "Capacitação (Moodle)", "Moodle"},
	records.Envio:         {"Envio dos dados ao núcleo", "Envio dos dados aos núcleos", "envio"},
	records.Teleconsultas: {"Teleconsultas dos núcleos", "Teleconsultas dos núcleos", "teleconsultas"},
}

// KindLabel names a kind of input file (one file of it).
func KindLabel(k records.Kind) string {
	if w, ok := kindWords[k]; ok {
		return w.file
	}
	return "Tipo não identificado"
}

// KindFilesLabel names the files of a kind together.
func KindFilesLabel(k records.Kind) string { return kindWords[k].files }

// KindShort is a kind's short name.
func KindShort(k records.Kind) string { return kindWords[k].short }

// importStatus words an import's status (ingest.Status values).
var importStatus = map[string]string{
	"imported":  "importado",
	"unchanged": "sem alterações (arquivo idêntico já importado)",
	"failed":    "FALHOU",
	"dry-run":   "simulação (nada foi gravado)",
	"blocked":   "NÃO APLICADO (falta confirmar a remoção de municípios da etapa)",
}

// ImportStatus words an import's status.
func ImportStatus(s string) string {
	if w, ok := importStatus[s]; ok {
		return w
	}
	return s
}

// ChangeGroup names the groups of a comparison of two dates.
var ChangeGroup = map[string]string{
	"ficou_apto":        "Ficaram aptos",
	"deixou_apto":       "Deixaram de estar aptos",
	"condicao_cumprida": "Cumpriram uma condição (ainda pendentes)",
	"condicao_perdida":  "Perderam uma condição",
}

// ConditionList names conditions, separated by commas.
func ConditionList(list []conditions.Condition) string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = ConditionName[c]
	}
	return strings.Join(out, ", ")
}

// ParseDay reads a calendar day as people and date inputs write it
// (dd/mm/aaaa or aaaa-mm-dd), in the server's time zone.
func ParseDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "02/01/2006"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil && t.Year() >= 1990 && t.Year() <= 2100 {
			return t, true
		}
	}
	return time.Time{}, false
}
