// Package records defines what an importer produces from one file: the
// programme records of each kind, the issues found on rows, and the counts.
// Importers build a Result; the store persists it in one transaction.
package records

import (
	"errors"
	"slices"
	"time"
)

// Kind is a kind of input file.
type Kind string

// The input kinds of FORMATS.md.
const (
	Abrangencia  Kind = "abrangencia"
	Formalizacao Kind = "formalizacao"
	PontoFocal   Kind = "ponto-focal"
	Moodle       Kind = "moodle"
	Cadastro     Kind = "cadastro"
	Envio        Kind = "envio"
	// Teleconsultas is not in Kinds: it feeds the service measures
	// (internal/sla), not the conditions.
	Teleconsultas Kind = "teleconsultas"
)

// Kinds lists every kind, in the recommended import order.
var Kinds = []Kind{Abrangencia, Formalizacao, PontoFocal, Cadastro, Moodle, Envio}

// Rank is the kind's place in the recommended import order (Kinds); a
// kind that feeds no condition (teleconsultas) comes after all of them.
func (k Kind) Rank() int {
	if i := slices.Index(Kinds, k); i >= 0 {
		return i
	}
	return len(Kinds)
}

// Where locates a record in its file.
type Where struct {
	Sheet string
	Row   int
	// IBGE is the row's municipality once it is resolved ("" before, and
	// for rows without one), so that issues name it.
	IBGE string
}

// Coverage says a municipality is in the stage and which núcleo serves it.
type Coverage struct {
	Where
	IBGE     string
	Nucleo   string
	Stage    int
	AAESeat  bool
	AAESetup bool
}

// Formalisation is one row of SES's formalisation list.
type Formalisation struct {
	Where
	IBGE      string
	Signed    bool
	SignedOn  time.Time
	Reference string
}

// Nomination is a valid focal-point nomination.
type Nomination struct {
	Where
	IBGE        string
	Name        string
	CPF         string
	Email       string
	Phone       string
	Role        string
	CompletedAt time.Time
	Respondent  string
}

// Professional is an accepted row of a registration sheet.
type Professional struct {
	Where
	IBGE          string
	Name          string
	CPF           string
	CNS           string
	CBO           string
	Occupation    string
	CNES          string
	Establishment string
	INE           string
	CareLevel     string // APS, AAE or ""
	Email         string
	Phone         string
}

// Completion is a dated Block-1 completion from Moodle.
type Completion struct {
	Where
	Course      string
	CPF         string // valid CPF or ""
	Email       string
	Name        string
	MoodleID    string
	CompletedAt time.Time
}

// PersonKey identifies the person of a completion for accumulation: CPF,
// else e-mail, else Moodle id, else name.
func (c Completion) PersonKey() string {
	switch {
	case c.CPF != "":
		return "cpf:" + c.CPF
	case c.Email != "":
		return "email:" + c.Email
	case c.MoodleID != "":
		return "moodle:" + c.MoodleID
	}
	return "nome:" + c.Name
}

// DataSent records the date a municipality's data went to its núcleo.
type DataSent struct {
	Where
	IBGE   string
	SentOn time.Time
}

// Contact is the focal point's contacts as the nomination recorded them
// (personal data).
type Contact struct {
	IBGE, Name, Email, Phone, Role string
	CompletedAt                    time.Time
}

// ErrNotFound: the record asked for does not exist (the store answers it;
// packages that must not import the store test for it here).
var ErrNotFound = errors.New("not found")
