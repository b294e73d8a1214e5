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

// Descriptor declares the teleconsultas kind of file.
var Descriptor = common.Importer{Kind: records.Teleconsultas, Spec: spec(), ParseSheet: parseSheet}

// spec is the header of the kind's sheets (also how the kind is recognised).
func spec() table.Spec {
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

// parseSheet reads the data rows of one sheet whose header was found.
func parseSheet(ctx *common.Context, sc *table.Scanner, sheet string, res *records.Result) error {
	h := sc.Head
	p := parser{ctx: ctx, h: h, sheet: sheet, res: res,
		id: h.Col("id"), nucleoCol: h.Col("nucleo"), ibge: h.Col(common.KeyIBGE), place: h.Col(common.KeyMunicipio),
		sent: h.Col("enviada"), answered: h.Col("respondida"), situacao: h.Col("situacao"), especialidade: h.Col("especialidade"),
		cbo: h.Col("cbo"), evitou: h.Col("evitou"), satisfacao: h.Col("satisfacao"),
		nucleos: memo[string]{}, places: map[place]string{}, statuses: memo[string]{}, specialties: memo[known]{},
		avoids: memo[known]{}, ratings: memo[rating]{}}
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
	fallback string // the núcleo of rows that name none
	// The columns of the fields (-1 when absent).
	id, nucleoCol, ibge, place, sent, answered, situacao, especialidade, cbo, evitou, satisfacao int
	// What the few distinct texts of a column resolve to, read once each
	// instead of once a row (the resolvers fold accents and allocate).
	nucleos     memo[string]     // núcleo as written → code ("" when unknown)
	places      map[place]string // IBGE and municipality cells → IBGE (resolved ones only)
	statuses    memo[string]     // situação as written → canonical status ("" when unknown)
	specialties memo[known]      // especialidade as written → name, and whether it is one of the 16
	avoids      memo[known]      // evitou as written → "sim"/"nao"/"", and whether it was read
	ratings     memo[rating]     // satisfação as written → 1–5
	seen        requestRows      // the row that last had each request
}

// memo holds up to memoMax resolved texts: a file has few distinct
// values in these columns, and one with more is read the slow way.
type memo[V any] map[string]V

const memoMax = 4096

// of is what raw resolves to, by resolve the first time it is met.
func (m memo[V]) of(raw string, resolve func(string) V) V {
	if v, ok := m[raw]; ok {
		return v
	}
	v := resolve(raw)
	if len(m) < memoMax {
		m[strings.Clone(raw)] = v
	}
	return v
}

type place struct{ code, name string }

type known struct {
	value string
	ok    bool
}

type rating struct {
	n  int
	ok bool
}

func (p *parser) row(r table.Row) error {
	res := p.res
	res.RowsRead++
	w := common.Where(p.sheet, r)
	id := clean(r.Cell(p.id))
	if id == "" {
		res.Reject(w, p.h.Name("id"), records.SemIdentificador, "Solicitação sem número (protocolo).")
		return nil
	}
	nucleo, ok := p.nucleo(r, w)
	if !ok {
		return nil
	}
	if !p.municipality(r, &w) {
		return nil
	}
	sent, ok := p.time(r, w, p.sent, "enviada", true)
	if !ok {
		return nil
	}
	answered, ok := p.time(r, w, p.answered, "respondida", false)
	if !ok {
		return nil
	}
	if !answered.IsZero() && answered.Before(sent) {
		res.Reject(w, p.h.Name("respondida"), records.RespostaAntes, "Resposta (%s) anterior à solicitação (%s).",
			answered.Format("02/01/2006 15:04"), sent.Format("02/01/2006 15:04"))
		return nil
	}
	tc := records.Teleconsultation{Where: w, Nucleo: nucleo, ID: id, IBGE: w.IBGE, SentAt: sent, AnsweredAt: answered,
		Status: p.status(r, w, answered), Specialty: p.specialty(r, w), RequesterCPF: p.cpf(r, w),
		RequesterCBO: clean(r.Cell(p.cbo)), CNES: p.cnes(r), Avoided: p.avoided(r, w), Satisfaction: p.satisfaction(r, w)}
	res.Accepted++
	if prev, dup := p.seen.see(nucleo, id, r.Num); dup {
		res.Warn(w, p.h.Name("id"), records.SolicitacaoDuplicada,
			"Solicitação %s repetida no arquivo (linha %d): vale esta linha, a última.", id, prev)
	}
	// A repeated request is kept too: stored in row order, the later row
	// replaces the earlier one (store: the later row wins), even when the
	// earlier one was flushed in a previous block.
	res.Teleconsultations = append(res.Teleconsultations, tc)
	return nil
}

// clean is textnorm.Clean without its copy when s has no space to fold:
// plain ASCII without whitespace is already clean.
func clean(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c == ' ' || (c >= '\t' && c <= '\r') {
			return textnorm.Clean(s)
		}
	}
	return s
}

func (p *parser) nucleo(r table.Row, w records.Where) (string, bool) {
	raw := r.Cell(p.nucleoCol)
	if raw == "" {
		if p.fallback == "" {
			p.res.Reject(w, p.h.Name("nucleo"), records.NucleoInvalido,
				"Núcleo não informado: inclua a coluna Núcleo ou o nome do núcleo no nome do arquivo (teleconsultas_Feluma_2025-06.csv).")
			return "", false
		}
		return p.fallback, true
	}
	code := p.nucleos.of(raw, func(raw string) string {
		code, _ := territory.ResolveNucleo(raw)
		return code
	})
	if code == "" {
		p.res.Reject(w, p.h.Name("nucleo"), records.NucleoInvalido, "Núcleo %q não reconhecido (use FM-UFMG, Feluma ou HC-UFMG).", raw)
		return "", false
	}
	return code, true
}

// municipality resolves the row's municipality into w.IBGE, or rejects
// the row (common.MunicipalityOrReject, whose answer depends only on the
// two cells).
func (p *parser) municipality(r table.Row, w *records.Where) bool {
	key := place{r.Cell(p.ibge), r.Cell(p.place)}
	if ibge, ok := p.places[key]; ok {
		w.IBGE = ibge
		return true
	}
	m, ok := common.MunicipalityOrReject(p.ctx, p.h, r, w, "", p.res)
	if ok && len(p.places) < memoMax {
		p.places[place{strings.Clone(key.code), strings.Clone(key.name)}] = m.IBGE
	}
	return ok
}

// time reads a date and time to the minute from column col. A required
// one that is empty rejects the row with sem_data_solicitacao; an
// unreadable one, with data_invalida.
func (p *parser) time(r table.Row, w records.Where, col int, key string, required bool) (time.Time, bool) {
	raw := r.Cell(col)
	if raw == "" {
		if required {
			p.res.Reject(w, p.h.Name(key), records.SemDataSolicitacao, "Solicitação sem data de envio.")
			return time.Time{}, false
		}
		return time.Time{}, true
	}
	t, ok := table.ParseDateMinute(raw)
	if !ok {
		p.res.Reject(w, p.h.Name(key), records.DataInvalida, "Data e hora %q não reconhecida (use dd/mm/aaaa hh:mm).", raw)
		return time.Time{}, false
	}
	return t, true
}

// status is the canonical status; an answer time makes a request answered
// whatever the status column says, except a cancellation.
func (p *parser) status(r table.Row, w records.Where, answered time.Time) string {
	raw := r.Cell(p.situacao)
	s := p.statuses.of(raw, func(raw string) string { return statuses[textnorm.Fold(raw)] })
	if raw != "" && s == "" {
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
	raw := r.Cell(p.especialidade)
	k := p.specialties.of(raw, func(raw string) known {
		clean := textnorm.Clean(raw)
		if s, ok := sla.ResolveSpecialty(clean); ok {
			return known{s, true}
		}
		return known{clean, false}
	})
	if !k.ok && p.especialidade >= 0 {
		p.res.Warn(w, p.h.Name("especialidade"), records.EspecialidadeDesconhecida,
			"Especialidade %q não é uma das 16 oferecidas: mantida como está.", k.value)
	}
	return k.value
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
	raw := r.Cell(p.evitou)
	k := p.avoids.of(raw, readAvoided)
	if !k.ok {
		p.res.Warn(w, p.h.Name("evitou"), records.ValorNaoReconhecido, "Evitou encaminhamento: valor %q não é sim/não.", raw)
	}
	return k.value
}

// readAvoided reads an evitou cell: "sim", "nao" or "" (not reported, not
// applicable); ok is false for a text that is none of them.
func readAvoided(raw string) known {
	if f := textnorm.Fold(raw); f == "nao se aplica" || f == "na" {
		return known{"", true}
	}
	yes, ok := textnorm.YesNo(raw)
	switch {
	case !ok:
		return known{"", false}
	case raw == "":
		return known{"", true}
	case yes:
		return known{"sim", true}
	}
	return known{"nao", true}
}

func (p *parser) satisfaction(r table.Row, w records.Where) int {
	raw := r.Cell(p.satisfacao)
	if raw == "" {
		return 0
	}
	k := p.ratings.of(raw, func(raw string) rating {
		n, ok := satisfaction[textnorm.Fold(raw)]
		return rating{n, ok}
	})
	if !k.ok {
		p.res.Warn(w, p.h.Name("satisfacao"), records.ValorNaoReconhecido, "Satisfação %q não reconhecida.", raw)
	}
	return k.n
}
