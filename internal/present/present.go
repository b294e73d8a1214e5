// Package present holds the Portuguese words the outputs use for the
// engine's codes, so every page, export and report says the same thing.
package present

import (
	"strconv"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
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
