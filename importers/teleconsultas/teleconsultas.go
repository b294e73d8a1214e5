// Package teleconsultas imports the teleconsultation requests exported by
// each núcleo's Telessaúde platform (FORMATS.md, kind teleconsultas): one
// row per request, with when it was sent and answered, its status and
// specialty. The núcleo comes from a column, else the file name
// (teleconsultas_Feluma_2025-06.csv), else what was given on import. A
// request is identified by its núcleo and id: a later file replaces it.
package teleconsultas

import (
	"strings"
	"time"

	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/sla"
	"github.com/ses-mg/telemonitor/internal/territory"
	"github.com/ses-mg/telemonitor/internal/textnorm"
)

// Importer is the teleconsultas kind.
type Importer struct{}

// Kind implements common.Importer.
func (Importer) Kind() records.Kind { return records.Teleconsultas }

// AllSheets implements common.Importer.
func (Importer) AllSheets() bool { return false }

// Spec implements common.Importer.
func (Importer) Spec() table.Spec {
	return table.Spec{
		Fields: common.Fields([]table.Field{
			{Key: common.KeyIBGE, Names: []string{"Código IBGE", "IBGE", "Cod IBGE", "Cód. IBGE", "Código do município", "Código IBGE do solicitante"}},
			{Key: common.KeyMunicipio, Names: []string{"Município", "Municipio", "Município do solicitante", "Cidade"}},
			{Key: "id", Names: []string{"ID", "Protocolo", "Nº da solicitação", "N da solicitação", "Número da solicitação", "Código da solicitação"}},
			{Key: "nucleo", Names: []string{"Núcleo", "Núcleo de Telessaúde", "Núcleo prestador"}},
			{Key: "enviada", Names: []string{"Data da solicitação", "Data/hora da solicitação", "Enviada em", "Abertura", "Data de abertura"}},
			{Key: "respondida", Names: []string{"Data da resposta", "Data/hora da resposta", "Respondida em"}},
			{Key: "situacao", Names: []string{"Situação", "Status", "Situação da solicitação"}},
			{Key: "especialidade", Names: []string{"Especialidade", "Especialidade do teleconsultor", "Área"}},
			{Key: "cpf", Names: []string{"CPF do solicitante", "CPF"}},
			{Key: "cbo", Names: []string{"CBO do solicitante", "CBO"}},
			{Key: "cnes", Names: []string{"CNES", "CNES do solicitante"}},
			{Key: "evitou", Names: []string{"Evitou encaminhamento", "Evitou encaminhamento?", "Encaminhamento evitado"}},
			{Key: "satisfacao", Names: []string{"Satisfação", "Grau de satisfação"}},
		}),
		Required: [][]string{{"id"}, common.RequireMunicipality, {"enviada"}},
	}
}

// statuses maps the folded status texts to the canonical ones.
var statuses = map[string]string{
	"respondida": records.StatusRespondida, "finalizada": records.StatusRespondida, "respondido": records.StatusRespondida,
	"concluida":  records.StatusRespondida,
	"em analise": records.StatusEmAnalise, "aguardando resposta": records.StatusEmAnalise, "pendente": records.StatusEmAnalise,
	"aberta": records.StatusEmAnalise, "em andamento": records.StatusEmAnalise,
	"devolvida": records.StatusDevolvida, "devolvida ao solicitante": records.StatusDevolvida,
	"cancelada": records.StatusCancelada, "cancelado": records.StatusCancelada,
}

// satisfaction maps the folded ratings to 1–5.
var satisfaction = map[string]int{
	"muito insatisfeito": 1, "insatisfeito": 2, "indiferente": 3, "satisfeito": 4, "muito satisfeito": 5,
}

// NucleoFromFileName finds a núcleo's name in a file name
// (teleconsultas_Feluma_2025-06.csv, Solicitacoes_HC_UFMG.xlsx).
func NucleoFromFileName(name string) (string, bool) {
	words := strings.Fields(textnorm.Fold(strings.TrimSuffix(name, fileExt(name))))
	for n := 3; n >= 1; n-- {
		for i := 0; i+n <= len(words); i++ {
			if code, ok := territory.ResolveNucleo(strings.Join(words[i:i+n], " ")); ok {
				return code, true
			}
		}
	}
	return "", false
}

func fileExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// ParseSheet implements common.Importer.
func (Importer) ParseSheet(ctx *common.Context, sc *table.Scanner, sheet string, res *records.Result) error {
	p := parser{ctx: ctx, h: sc.Head, sheet: sheet, res: res, seen: map[string]int{}}
	if code, ok := territory.ResolveNucleo(ctx.Nucleo); ok {
		p.fallback = code
	} else if code, ok := NucleoFromFileName(ctx.FileName); ok {
		p.fallback = code
	}
	return sc.Each(p.row)
}

type parser struct {
	ctx      *common.Context
	h        table.Header
	sheet    string
	res      *records.Result
	fallback string         // the núcleo of rows that name none
	seen     map[string]int // núcleo + id → the row that last had them
}

func (p *parser) row(r table.Row) error {
	h, res := p.h, p.res
	res.RowsRead++
	w := common.Where(p.sheet, r)
	id := textnorm.Clean(h.Get(r, "id"))
	if id == "" {
		res.Reject(w, h.Name("id"), records.SemIdentificador, "Solicitação sem número (protocolo).")
		return nil
	}
	nucleo, ok := p.nucleo(r, w)
	if !ok {
		return nil
	}
	m, ok := common.MunicipalityOrReject(p.ctx, h, r, &w, "", res)
	if !ok {
		return nil
	}
	sent, ok := p.time(r, w, "enviada", true)
	if !ok {
		return nil
	}
	answered, ok := p.time(r, w, "respondida", false)
	if !ok {
		return nil
	}
	if !answered.IsZero() && answered.Before(sent) {
		res.Reject(w, h.Name("respondida"), records.RespostaAntes, "Resposta (%s) anterior à solicitação (%s).",
			answered.Format("02/01/2006 15:04"), sent.Format("02/01/2006 15:04"))
		return nil
	}
	tc := records.Teleconsultation{Where: w, Nucleo: nucleo, ID: id, IBGE: m.IBGE, SentAt: sent, AnsweredAt: answered,
		Status: p.status(r, w, answered), Specialty: p.specialty(r, w), RequesterCPF: p.cpf(r, w),
		RequesterCBO: textnorm.Clean(h.Get(r, "cbo")), CNES: p.cnes(r), Avoided: p.avoided(r, w), Satisfaction: p.satisfaction(r, w)}
	res.Accepted++
	key := nucleo + "\x00" + id
	if prev, dup := p.seen[key]; dup {
		res.Warn(w, h.Name("id"), records.SolicitacaoDuplicada,
			"Solicitação %s repetida no arquivo (linha %d): vale esta linha, a última.", id, prev)
	}
	p.seen[key] = r.Num
	// A repeated request is kept too: stored in row order, the later row
	// replaces the earlier one (store: ON CONFLICT), even when the earlier
	// one was flushed in a previous block.
	res.Teleconsultations = append(res.Teleconsultations, tc)
	return nil
}

func (p *parser) nucleo(r table.Row, w records.Where) (string, bool) {
	raw := p.h.Get(r, "nucleo")
	if raw == "" {
		if p.fallback == "" {
			p.res.Reject(w, p.h.Name("nucleo"), records.NucleoInvalido,
				"Núcleo não informado: inclua a coluna Núcleo ou o nome do núcleo no nome do arquivo (teleconsultas_Feluma_2025-06.csv).")
			return "", false
		}
		return p.fallback, true
	}
	code, ok := territory.ResolveNucleo(raw)
	if !ok {
		p.res.Reject(w, p.h.Name("nucleo"), records.NucleoInvalido, "Núcleo %q não reconhecido (use FM-UFMG, Feluma ou HC-UFMG).", raw)
	}
	return code, ok
}

// time reads a date and time to the minute. A required one that is empty
// rejects the row with sem_data_solicitacao; an unreadable one, with
// data_invalida.
func (p *parser) time(r table.Row, w records.Where, key string, required bool) (time.Time, bool) {
	raw := p.h.Get(r, key)
	if raw == "" {
		if required {
			p.res.Reject(w, p.h.Name(key), records.SemDataSolicitacao, "Solicitação sem data de envio.")
			return time.Time{}, false
		}
		return time.Time{}, true
	}
	t, ok := table.ParseDate(raw)
	if !ok {
		p.res.Reject(w, p.h.Name(key), records.DataInvalida, "Data e hora %q não reconhecida (use dd/mm/aaaa hh:mm).", raw)
		return time.Time{}, false
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, t.Location()), true
}

// status is the canonical status; an answer time makes a request answered
// whatever the status column says, except a cancellation.
func (p *parser) status(r table.Row, w records.Where, answered time.Time) string {
	raw := p.h.Get(r, "situacao")
	s, ok := statuses[textnorm.Fold(raw)]
	if raw != "" && !ok {
		p.res.Warn(w, p.h.Name("situacao"), records.SituacaoDesconhecida,
			"Situação %q não reconhecida: vale a data da resposta (respondida quando há uma).", raw)
	}
	switch {
	case s == records.StatusCancelada:
		return s
	case !answered.IsZero():
		return records.StatusRespondida
	case s == records.StatusRespondida:
		p.res.Warn(w, p.h.Name("respondida"), records.RespondidaSemData,
			"Solicitação marcada como respondida sem data da resposta: conta como não respondida.")
		return records.StatusEmAnalise
	case s == "":
		return records.StatusEmAnalise
	}
	return s
}

func (p *parser) specialty(r table.Row, w records.Where) string {
	raw := textnorm.Clean(p.h.Get(r, "especialidade"))
	if s, ok := sla.ResolveSpecialty(raw); ok {
		return s
	}
	if p.h.Has("especialidade") {
		p.res.Warn(w, p.h.Name("especialidade"), records.EspecialidadeDesconhecida,
			"Especialidade %q não é uma das 16 oferecidas: mantida como está.", raw)
	}
	return raw
}

func (p *parser) cpf(r table.Row, w records.Where) string {
	if !p.h.Has("cpf") {
		return ""
	}
	v := common.Identifier(r, p.h.Col("cpf"), ident.CPF)
	switch {
	case v.Empty:
		return ""
	case v.Lost:
		p.res.Warn(w, p.h.Name("cpf"), records.IdentificadorPerdido, "CPF do solicitante em notação científica: os dígitos se perderam.")
		return ""
	case !v.Valid:
		p.res.Warn(w, p.h.Name("cpf"), records.CPFInvalido, "CPF do solicitante inválido: não guardado.")
		return ""
	}
	return v.Canonical
}

func (p *parser) cnes(r table.Row) string {
	if !p.h.Has("cnes") {
		return ""
	}
	return common.Identifier(r, p.h.Col("cnes"), ident.CNES).Canonical
}

func (p *parser) avoided(r table.Row, w records.Where) string {
	raw := p.h.Get(r, "evitou")
	if f := textnorm.Fold(raw); f == "nao se aplica" || f == "na" {
		return ""
	}
	yes, ok := textnorm.YesNo(raw)
	switch {
	case !ok:
		p.res.Warn(w, p.h.Name("evitou"), records.ValorNaoReconhecido, "Evitou encaminhamento: valor %q não é sim/não.", raw)
		return ""
	case raw == "":
		return ""
	case yes:
		return "sim"
	}
	return "nao"
}

func (p *parser) satisfaction(r table.Row, w records.Where) int {
	raw := p.h.Get(r, "satisfacao")
	if raw == "" {
		return 0
	}
	n, ok := satisfaction[textnorm.Fold(raw)]
	if !ok {
		p.res.Warn(w, p.h.Name("satisfacao"), records.ValorNaoReconhecido, "Satisfação %q não reconhecida.", raw)
	}
	return n
}
