package records

import (
	"fmt"
	"sort"
	"strings"
)

// Severity of an issue: a rejected row is an error, a kept row with a
// problem is a warning.
type Severity string

// The severities, in Portuguese because they are part of the JSON contract.
const (
	Error   Severity = "erro"
	Warning Severity = "aviso"
)

// Reason codes (stable: automated checks read them).
const (
	// Rejections.
	MunicipioNaoEncontrado = "municipio_nao_encontrado"
	SemNome                = "sem_nome"
	SemCPF                 = "sem_cpf"
	CPFInvalido            = "cpf_invalido"
	IdentificadorPerdido   = "identificador_perdido"
	DataInvalida           = "data_invalida"
	SemContatoValido       = "sem_contato_valido"
	NucleoInvalido         = "nucleo_invalido"
	SituacaoDesconhecida   = "situacao_desconhecida"
	// Warnings.
	CNSInvalido              = "cns_invalido"
	CNESInvalido             = "cnes_invalido"
	INEInvalido              = "ine_invalido"
	EmailInvalido            = "email_invalido"
	TelefoneInvalido         = "telefone_invalido"
	NivelAtencaoDesconhecido = "nivel_atencao_desconhecido"
	CPFDuplicado             = "cpf_duplicado"
	ZerosRestaurados         = "zeros_restaurados"
	ConclusaoSemProfissional = "conclusao_sem_profissional_cadastrado"
	SemDataConclusao         = "sem_data_conclusao"
	CursoForaDoBloco1        = "curso_fora_do_bloco1"
	MunicipioEmDoisNucleos   = "municipio_em_dois_nucleos"
)

// Issue is one problem found on a row.
type Issue struct {
	Sheet    string   `json:"sheet"`
	Row      int      `json:"row"`
	Column   string   `json:"column"`
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
	// IBGE is the municipality of the row, when it resolved.
	IBGE string `json:"ibge,omitempty"`
}

// Result is everything taken from one file.
type Result struct {
	Kind           Kind
	Sheets         []string
	RowsRead       int
	Accepted       int
	Rejected       int
	Ignored        map[string]int
	Issues         []Issue
	Coverage       []Coverage
	Formalisations []Formalisation
	Nominations    []Nomination
	Professionals  []Professional
	Completions    []Completion
	// Starts are Block-1 rows without a completion date (course started).
	Starts   []Completion
	DataSent []DataSent
	// Teleconsultation requests, in row order; a later row of the same
	// núcleo and id replaces an earlier one when stored.
	Teleconsultations []Teleconsultation
	// Seen is the kind's memory of keys met earlier in the file, across
	// sheets and flushed blocks (duplicate detection).
	Seen map[uint64]int

	// What Flush has handed on already.
	flushed  bool
	reported []Issue // the first ReportIssues issues, kept for the report
	warnings int
	codes    map[Severity]map[string]int
}

// ReportIssues is how many issues of a flushed file its report keeps; all
// of them go to the sink (the store).
const ReportIssues = 10000

// NewResult starts an empty result of a kind.
func NewResult(k Kind) *Result { return &Result{Kind: k, Ignored: map[string]int{}} }

// Held is the number of records and issues the result holds now.
func (r *Result) Held() int {
	return len(r.Coverage) + len(r.Formalisations) + len(r.Nominations) + len(r.Professionals) + len(r.Completions) +
		len(r.Starts) + len(r.DataSent) + len(r.Teleconsultations) + len(r.Issues)
}

// Flush hands the records and issues held so far to sink (which stores
// them) and forgets them, so that a file of any length is read in blocks
// of bounded memory; the counts go on. When sink fails nothing is
// forgotten.
func (r *Result) Flush(sink func(*Result) error) error {
	if err := sink(r); err != nil {
		return err
	}
	r.flushed = true
	if r.codes == nil {
		r.codes = map[Severity]map[string]int{}
	}
	for _, i := range r.Issues {
		if i.Severity == Warning {
			r.warnings++
		}
		if r.codes[i.Severity] == nil {
			r.codes[i.Severity] = map[string]int{}
		}
		r.codes[i.Severity][i.Code]++
	}
	if room := ReportIssues - len(r.reported); room > 0 {
		r.reported = append(r.reported, r.Issues[:min(room, len(r.Issues))]...)
	}
	r.Coverage, r.Formalisations, r.Nominations = r.Coverage[:0], r.Formalisations[:0], r.Nominations[:0]
	r.Professionals, r.Completions, r.Starts = r.Professionals[:0], r.Completions[:0], r.Starts[:0]
	r.DataSent, r.Teleconsultations, r.Issues = r.DataSent[:0], r.Teleconsultations[:0], r.Issues[:0]
	return nil
}

// Block returns a copy of the records and issues the result holds now:
// what a sink that stores them after Flush has forgotten them must keep.
func (r *Result) Block() *Result {
	return &Result{Kind: r.Kind, Issues: clone(r.Issues), Coverage: clone(r.Coverage),
		Formalisations: clone(r.Formalisations), Nominations: clone(r.Nominations), Professionals: clone(r.Professionals),
		Completions: clone(r.Completions), Starts: clone(r.Starts), DataSent: clone(r.DataSent),
		Teleconsultations: clone(r.Teleconsultations)}
}

// clone copies a list; an empty one stays nil.
func clone[T any](list []T) []T {
	if len(list) == 0 {
		return nil
	}
	return append([]T(nil), list...)
}

// Flushed reports whether some records already went to a sink: the result
// then holds only the block not yet flushed.
func (r *Result) Flushed() bool { return r.flushed }

// ReportedIssues are the issues a report shows: all of them for a file
// read in one block, the first ReportIssues otherwise.
func (r *Result) ReportedIssues() []Issue {
	if !r.flushed {
		return r.Issues
	}
	out := r.reported
	if room := ReportIssues - len(out); room > 0 {
		out = append(out[:len(out):len(out)], r.Issues[:min(room, len(r.Issues))]...)
	}
	return out
}

// IssueCount is the number of issues found in the file.
func (r *Result) IssueCount() int {
	n := len(r.Issues)
	for _, m := range r.codes {
		for _, c := range m {
			n += c
		}
	}
	return n
}

// Reject records a rejected row.
func (r *Result) Reject(w Where, column, code, format string, args ...any) {
	r.Rejected++
	r.Issues = append(r.Issues, Issue{w.Sheet, w.Row, column, Error, code, fmt.Sprintf(format, args...), w.IBGE})
}

// Warn records a warning on a row that is kept.
func (r *Result) Warn(w Where, column, code, format string, args ...any) {
	r.Issues = append(r.Issues, Issue{w.Sheet, w.Row, column, Warning, code, fmt.Sprintf(format, args...), w.IBGE})
}

// Ignore counts a row that is neither a record nor an error.
func (r *Result) Ignore(code string) { r.Ignored[code]++ }

// IgnoredTotal is the number of ignored rows.
func (r *Result) IgnoredTotal() int {
	n := 0
	for _, v := range r.Ignored {
		n += v
	}
	return n
}

// Warnings is the number of warnings.
func (r *Result) Warnings() int {
	n := r.warnings
	for _, i := range r.Issues {
		if i.Severity == Warning {
			n++
		}
	}
	return n
}

// CodeCounts sums issues of a severity by code, as "code=n;code=n" sorted.
func (r *Result) CodeCounts(sev Severity) string {
	m := map[string]int{}
	for code, n := range r.codes[sev] {
		m[code] = n
	}
	for _, i := range r.Issues {
		if i.Severity == sev {
			m[i.Code]++
		}
	}
	return joinCounts(m)
}

// IgnoredCounts writes the ignored rows as "code=n;code=n" sorted.
func (r *Result) IgnoredCounts() string { return joinCounts(r.Ignored) }

func joinCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, ";")
}
