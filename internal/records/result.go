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
	// Teleconsultation requests, at most one per núcleo and id.
	Teleconsultations []Teleconsultation
	// Municipalities whose registration sheet this file replaces.
	CadastroMunicipalities []string
}

// NewResult starts an empty result of a kind.
func NewResult(k Kind) *Result { return &Result{Kind: k, Ignored: map[string]int{}} }

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
	n := 0
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
