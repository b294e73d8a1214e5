// Package monitor joins the territory, the stored programme data and the
// condition engine into the rows every output shows: the CLI's status, the
// API, the pages and the exports all read a Snapshot, so they all come from
// the one implementation of the rules in internal/conditions.
package monitor

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// Row is one municipality with its evaluation.
type Row struct {
	territory.Municipality
	conditions.Evaluation
}

// Nucleo is the núcleo serving the municipality, "" when not contemplated.
func (r Row) Nucleo() string {
	if r.Coverage == nil {
		return ""
	}
	return r.Coverage.Nucleo
}

// Snapshot is the evaluation of all 853 municipalities at one data version.
type Snapshot struct {
	Version string
	Rows    []Row // sorted by IBGE code
	index   map[string]int
	// NucleoConflicts: municipalities listed under two or more núcleos.
	NucleoConflicts map[string][]string

	// The accepted professionals by CPF, for the self-check and the
	// professionals' pages: built on first use (most snapshots only feed
	// the dashboard), from what Evaluate left in buildPeople.
	peopleOnce  sync.Once
	people      map[string][]Person
	buildPeople func() map[string][]Person
}

// Person is an accepted professional as the self-check sees them.
type Person struct {
	IBGE      string
	Email     string
	CareLevel conditions.CareLevel
	Trained   bool      // Block 1 completed (a matching completion)
	TrainedAt time.Time // its date
	Started   bool      // Block 1 started on Moodle, not finished
}

// Evaluate runs the engine over every municipality, on all processors at
// once: each evaluation only reads the programme and the completions index.
func Evaluate(t *territory.Territory, p *conditions.Programme, cfg conditions.Config) *Snapshot {
	ix := p.Index(cfg)
	s := &Snapshot{Version: p.Version, Rows: make([]Row, len(t.Municipalities)), index: make(map[string]int, len(t.Municipalities)),
		NucleoConflicts: p.NucleoConflicts}
	workers := min(runtime.GOMAXPROCS(0), 8)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(t.Municipalities); i += workers {
				m := t.Municipalities[i]
				s.Rows[i] = Row{Municipality: m, Evaluation: conditions.Evaluate(p.Input(m.IBGE), ix)}
			}
		}()
	}
	for i, m := range t.Municipalities {
		s.index[m.IBGE] = i
	}
	wg.Wait()
	s.buildPeople = func() map[string][]Person { return people(t, p, ix) }
	return s
}

// people indexes the accepted professionals by CPF with their training.
func people(t *territory.Territory, p *conditions.Programme, ix *conditions.Completions) map[string][]Person {
	n := 0
	for _, in := range p.Inputs {
		n += len(in.Professionals)
	}
	out := make(map[string][]Person, n)
	for _, m := range t.Municipalities {
		for _, pr := range p.Input(m.IBGE).Professionals {
			c, trained := ix.Match(pr)
			out[pr.CPF] = append(out[pr.CPF], Person{IBGE: m.IBGE, Email: pr.Email, CareLevel: pr.CareLevel,
				Trained: trained, TrainedAt: c.CompletedAt, Started: !trained && ix.Started(pr)})
		}
	}
	return out
}

// byCPF is the professionals' index, built once.
func (s *Snapshot) byCPF() map[string][]Person {
	s.peopleOnce.Do(func() {
		if s.buildPeople != nil {
			s.people, s.buildPeople = s.buildPeople(), nil
		}
	})
	return s.people
}

// SelfCheck finds the accepted professional registered with this CPF
// (11 digits) and this e-mail (case-insensitive); both must match.
func (s *Snapshot) SelfCheck(cpf, email string) (Person, Row, bool) {
	email = strings.ToLower(strings.TrimSpace(email))
	for _, p := range s.byCPF()[cpf] {
		if email != "" && strings.ToLower(p.Email) == email {
			r, _ := s.Row(p.IBGE)
			return p, r, true
		}
	}
	return Person{}, Row{}, false
}

// Person returns the accepted professional with this CPF in municipality
// ibge.
func (s *Snapshot) Person(cpf, ibge string) (Person, bool) {
	for _, p := range s.byCPF()[cpf] {
		if p.IBGE == ibge {
			return p, true
		}
	}
	return Person{}, false
}

// Row returns a municipality's row by 7- or 6-digit code.
func (s *Snapshot) Row(code string) (Row, bool) {
	if i, ok := s.index[code]; ok {
		return s.Rows[i], true
	}
	for _, r := range s.Rows {
		if r.IBGE6 == code {
			return r, true
		}
	}
	return Row{}, false
}

// Filter selects rows; empty fields match everything.
type Filter struct {
	IBGE      string // one municipality (7- or 6-digit code)
	Macro     string // macro code or name
	Micro     string // micro code or name
	URS       string
	Nucleo    string
	Situacao  string
	All       bool // include municipalities outside the stage
	Condition string
	// ConditionState, with Condition, keeps rows whose condition has it.
	ConditionState string
	// Missing, when above 0, keeps the contemplated rows with exactly that
	// many pendente conditions (1: "falta 1 condição").
	Missing int
}

// Validate checks the filter values against the territory and vocabulary.
func (f Filter) Validate(t *territory.Territory) error {
	if _, ok := t.ByCode(f.IBGE); f.IBGE != "" && !ok {
		return fmt.Errorf("código IBGE desconhecido: %q", f.IBGE)
	}
	if f.Macro != "" && !regionExists(t.Macros(), f.Macro) {
		return fmt.Errorf("macrorregião desconhecida: %q", f.Macro)
	}
	if f.Micro != "" && !regionExists(t.Micros(), f.Micro) {
		return fmt.Errorf("microrregião desconhecida: %q", f.Micro)
	}
	if f.URS != "" && !regionExists(t.URSs(), f.URS) {
		return fmt.Errorf("URS desconhecida: %q", f.URS)
	}
	if f.Nucleo != "" {
		if _, ok := territory.NucleoByCode(f.Nucleo); !ok {
			return fmt.Errorf("núcleo desconhecido: %q (use FM-UFMG, Feluma ou HC-UFMG)", f.Nucleo)
		}
	}
	switch conditions.Situation(f.Situacao) {
	case "", conditions.Apto, conditions.PendenteSit, conditions.NaoContemplado:
	default:
		return fmt.Errorf("situação desconhecida: %q (use apto, pendente ou nao_contemplado)", f.Situacao)
	}
	if f.Missing < 0 || f.Missing > len(conditions.All) {
		return fmt.Errorf("número de condições pendentes inválido (use de 1 a %d)", len(conditions.All))
	}
	if f.Condition != "" {
		ok := false
		for _, c := range conditions.All {
			ok = ok || string(c) == f.Condition
		}
		if !ok {
			return fmt.Errorf("condição desconhecida: %q", f.Condition)
		}
		switch conditions.State(f.ConditionState) {
		case "", conditions.Cumprida, conditions.Pendente, conditions.Suspensa, conditions.NaoSeAplica:
		default:
			return fmt.Errorf("estado de condição desconhecido: %q", f.ConditionState)
		}
	}
	return nil
}

func regionExists(list []territory.Region, v string) bool {
	for _, r := range list {
		if r.Code == v || r.Name == v {
			return true
		}
	}
	return false
}

// Match reports whether a row passes the filter.
func (f Filter) Match(r Row) bool {
	switch {
	case f.IBGE != "" && f.IBGE != r.Municipality.IBGE && f.IBGE != r.IBGE6:
		return false
	case !f.All && f.IBGE == "" && r.Situation == conditions.NaoContemplado && f.Situacao != string(conditions.NaoContemplado):
		return false
	case f.Macro != "" && f.Macro != r.MacroCode && f.Macro != r.MacroName:
		return false
	case f.Micro != "" && f.Micro != r.MicroCode && f.Micro != r.MicroName:
		return false
	case f.URS != "" && f.URS != r.URS:
		return false
	case f.Nucleo != "" && f.Nucleo != r.Nucleo():
		return false
	case f.Situacao != "" && f.Situacao != string(r.Situation):
		return false
	case f.Missing > 0 && (r.Situation == conditions.NaoContemplado || len(r.Missing()) != f.Missing):
		return false
	case f.Condition != "":
		st := r.State(conditions.Condition(f.Condition))
		want := conditions.State(f.ConditionState)
		if want == "" {
			want = conditions.Pendente
		}
		return st == want
	}
	return true
}

// Select returns the rows that pass the filter, in IBGE order.
func (s *Snapshot) Select(f Filter) []Row {
	var out []Row
	for _, r := range s.Rows {
		if f.Match(r) {
			out = append(out, r)
		}
	}
	return out
}
