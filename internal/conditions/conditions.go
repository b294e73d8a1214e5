// Package conditions evaluates the four conditions (condicionalidades) a
// contemplated municipality must meet before it may use asynchronous
// teleconsultation, exactly as Deliberação CIB-SUS/MG nº 4.690/2024 and
// DOMAIN.md state them. It is pure: records in, states out; no SQL, no HTTP.
//
// Per contemplated municipality:
//   - formalizacao is cumprida when the latest formalisation record says
//     signed;
//   - ponto_focal is cumprida when a valid nomination exists (the importer
//     only lets valid ones through); the latest by completion time is the
//     current focal point;
//   - planilha is cumprida when at least one accepted professional exists;
//   - capacitacao_aps is cumprida when an accepted APS professional has a
//     Block-1 completion;
//   - capacitacao_aae is nao_se_aplica for a municipality that is not an AAE
//     seat, suspensa for a seat whose AAE point is being set up, and
//     otherwise needs an accepted AAE professional with a Block-1 completion;
//   - situacao is apto when the first four are cumprida and capacitacao_aae
//     is not pendente.
//
// A completion matches a professional by CPF when it carries a valid CPF
// (two different valid CPFs are two people, whatever the e-mails say), and
// by e-mail, ignoring case, only when it does not.
package conditions

import "time"

// State is the state of one condition.
type State string

// The condition states.
const (
	Cumprida    State = "cumprida"
	Pendente    State = "pendente"
	Suspensa    State = "suspensa"
	NaoSeAplica State = "nao_se_aplica"
)

// Situation is a municipality's overall standing.
type Situation string

// The situations.
const (
	Apto           Situation = "apto"
	PendenteSit    Situation = "pendente"
	NaoContemplado Situation = "nao_contemplado"
)

// Condition names one condition; the values are the stable column names.
type Condition string

// The conditions, in the order they are shown.
const (
	Formalizacao   Condition = "formalizacao"
	PontoFocal     Condition = "ponto_focal"
	CapacitacaoAPS Condition = "capacitacao_aps"
	CapacitacaoAAE Condition = "capacitacao_aae"
	Planilha       Condition = "planilha"
)

// All lists the conditions in display order.
var All = []Condition{Formalizacao, PontoFocal, CapacitacaoAPS, CapacitacaoAAE, Planilha}

// CareLevel is a professional's level of care.
type CareLevel string

// The care levels; Unknown counts for planilha only.
const (
	APS     CareLevel = "APS"
	AAE     CareLevel = "AAE"
	Unknown CareLevel = ""
)

// Source says where a record came from: a row of an imported file. The
// file is shared by all the records that came from it (a programme holds
// hundreds of thousands of records and a few hundred files), so a Source
// is two words.
type Source struct {
	batch *Imported
	Row   int
}

// Imported is an imported file as sources name it.
type Imported struct {
	BatchID    int64
	File       string
	ImportedAt time.Time
}

// At is the source of row of the file (row 0: the file as a whole).
func (f *Imported) At(row int) Source { return Source{batch: f, Row: row} }

// BatchID is the import batch of the record (0: none).
func (s Source) BatchID() int64 {
	if s.batch == nil {
		return 0
	}
	return s.batch.BatchID
}

// File is the name of the file the record came from ("" for none).
func (s Source) File() string {
	if s.batch == nil {
		return ""
	}
	return s.batch.File
}

// ImportedAt is when the record's file was imported (zero for none).
func (s Source) ImportedAt() time.Time {
	if s.batch == nil {
		return time.Time{}
	}
	return s.batch.ImportedAt
}

// Coverage is a municipality's place in the current stage.
type Coverage struct {
	Nucleo   string
	Stage    int
	AAESeat  bool
	AAESetup bool // "AAE em estruturação": the AAE part is suspended
	Source   Source
}

// Formalisation is one record about the formalisation instrument.
type Formalisation struct {
	Signed    bool
	SignedOn  time.Time // zero when not given
	Reference string
	Source    Source
}

// Nomination is a valid focal-point nomination.
type Nomination struct {
	Name        string
	CompletedAt time.Time
	Source      Source
}

// Professional is an accepted professional of the municipality's current
// registration sheet.
type Professional struct {
	CPF       string // valid, 11 digits
	Email     string // lower case, may be empty
	CareLevel CareLevel
	Source    Source
}

// Completion is a dated Block-1 completion from Moodle.
type Completion struct {
	CPF         string // valid CPF or empty
	Email       string // lower case or empty
	Course      string
	CompletedAt time.Time
	Source      Source
}

// Input is everything known about one municipality. Formalisations are in
// import order, oldest first.
type Input struct {
	IBGE           string
	Coverage       *Coverage // nil: not in the stage
	Formalisations []Formalisation
	Nominations    []Nomination
	Professionals  []Professional
	// SheetSince is the first accepted registration sheet of the
	// municipality (every sheet taken since has had accepted professionals:
	// an empty one replaces nothing), for planilha's met-since date.
	SheetSince Source
	DataSentOn time.Time // zero when not sent
}

// Evidence backs a condition's state with the record that decided it.
type Evidence struct {
	Text   string
	Date   time.Time
	Source Source
}

// Result is one condition's evaluation.
type Result struct {
	Condition Condition
	State     State
	Evidence  []Evidence
	Missing   string // plain Portuguese, for a pendente condition
	// MetSince is when the condition became (and has stayed) cumprida, by
	// evidence time; MetSource is the record that made it so. Zero when
	// not cumprida.
	MetSince  time.Time
	MetSource Source
	// Steps are the condition's states by evidence time, oldest first.
	Steps []Step
}

// Counts sums up the registration sheet.
type Counts struct {
	Professionals int
	APS, AAE      int
	UnknownLevel  int
	TrainedAPS    int
	TrainedAAE    int
	// Started Block 1 on Moodle without finishing (and no completion).
	StartedAPS int
	StartedAAE int
}

// Evaluation is a municipality's full evaluation.
type Evaluation struct {
	IBGE       string
	Situation  Situation
	Conditions []Result // in the order of All; empty when not contemplated
	Coverage   *Coverage
	FocalPoint *Nomination
	Counts     Counts
	DataSentOn time.Time
	// AptoSince is when the municipality became apto, by evidence time
	// (the latest met-since date of its conditions); zero when not apto.
	AptoSince time.Time
}

// State returns the state of condition c, or "" when not evaluated.
func (e Evaluation) State(c Condition) State {
	for _, r := range e.Conditions {
		if r.Condition == c {
			return r.State
		}
	}
	return ""
}

// Missing lists the conditions that keep the municipality from being apto.
func (e Evaluation) Missing() []Result {
	var out []Result
	for _, r := range e.Conditions {
		if r.State == Pendente {
			out = append(out, r)
		}
	}
	return out
}
