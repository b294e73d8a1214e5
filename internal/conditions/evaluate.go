package conditions

import (
	"fmt"
	"strings"
)

// Config is the engine's configuration.
type Config struct {
	// Block1Courses are the Moodle course short names (or full names) whose
	// completion counts as Block 1.
	Block1Courses []string
}

// DefaultBlock1Course is the default Block-1 course short name.
const DefaultBlock1Course = "telessaude_mg_bloco1"

// DefaultConfig is the configuration used when nothing else is set.
func DefaultConfig() Config { return Config{Block1Courses: []string{DefaultBlock1Course}} }

// IsBlock1 reports whether a course short or full name is part of Block 1.
func (c Config) IsBlock1(course string) bool {
	for _, b := range c.Block1Courses {
		if strings.EqualFold(strings.TrimSpace(course), strings.TrimSpace(b)) {
			return true
		}
	}
	return false
}

// The matching rule (DOMAIN.md): a completion with a valid CPF matches the
// professional with that CPF, whatever the e-mails say; a completion
// without one matches by e-mail, case-insensitively. completionKey and
// professionalKeys state it once for Completions and Registry.

// matchKey is a CPF or a lower-case e-mail (a struct, so building one
// allocates nothing).
type matchKey struct {
	byCPF bool
	value string
}

// keyIndex maps keys to positions, one string-keyed map per kind of key
// (Go's maps are faster on plain string keys than on structs, and matching
// is most of an evaluation's time).
type keyIndex [2]map[string]int32

// newKeyIndex sizes each map for the keys it will hold (a map sized for
// every record would, twice over, hold room for keys of the other kind).
func newKeyIndex(cpfs, emails int) keyIndex {
	return keyIndex{make(map[string]int32, emails), make(map[string]int32, cpfs)}
}

// countKeys counts the completions matched by CPF and by e-mail.
func countKeys(list []Completion) (cpfs, emails int) {
	for i := range list {
		switch {
		case list[i].CPF != "":
			cpfs++
		case list[i].Email != "":
			emails++
		}
	}
	return cpfs, emails
}

func (x keyIndex) slot(k matchKey) map[string]int32 {
	if k.byCPF {
		return x[1]
	}
	return x[0]
}

func (x keyIndex) get(k matchKey) (int32, bool) {
	i, ok := x.slot(k)[k.value]
	return i, ok
}

func (x keyIndex) set(k matchKey, i int32) { x.slot(k)[k.value] = i }

// completionKey is the key a completion is matched by (false: nobody).
func completionKey(c Completion) (matchKey, bool) {
	switch {
	case c.CPF != "":
		return matchKey{true, c.CPF}, true
	case c.Email != "":
		return matchKey{false, strings.ToLower(c.Email)}, true
	}
	return matchKey{}, false
}

// professionalKeys are the keys under which a professional's completions
// are found, in order of precedence (the first n of the array).
func professionalKeys(p Professional) (keys [2]matchKey, n int) {
	if k, ok := completionKey(Completion{CPF: p.CPF}); ok {
		keys[n] = k
		n++
	}
	if k, ok := completionKey(Completion{Email: p.Email}); ok {
		keys[n] = k
		n++
	}
	return keys, n
}

// Link is a match confirmed by a person in reconciliation: the completion
// (named by its CPF, or e-mail when it has none, as the matching rule
// names it) counts as the professional's with this CPF.
type Link struct {
	CompletionCPF, CompletionEmail string
	ProfessionalCPF                string
}

// Completions indexes Block-1 completions for matching professionals.
type Completions struct {
	list    []Completion
	byKey   keyIndex // index in list
	started keyIndex // people who started Block 1 without finishing
}

// NewCompletions builds the index from dated completions, keeping the
// earliest per person; completions of other courses or without a date are
// left out. Each confirmed link makes its completion match the linked
// professional too (by the professional's CPF), besides whoever it
// matches by the rule.
func NewCompletions(list []Completion, cfg Config, links ...Link) *Completions {
	cpfs, emails := countKeys(list)
	ix := &Completions{list: list, byKey: newKeyIndex(cpfs+len(links), emails), started: newKeyIndex(0, 0)}
	keep := func(key matchKey, i int) {
		if old, ok := ix.byKey.get(key); !ok || list[i].CompletedAt.Before(list[old].CompletedAt) {
			ix.byKey.set(key, int32(i))
		}
	}
	for i := range list {
		c := &list[i]
		key, ok := completionKey(*c)
		if c.CompletedAt.IsZero() || !cfg.IsBlock1(c.Course) || !ok {
			continue
		}
		keep(key, i)
	}
	for _, l := range links {
		key, ok := completionKey(Completion{CPF: l.CompletionCPF, Email: l.CompletionEmail})
		if !ok || l.ProfessionalCPF == "" {
			continue
		}
		if i, found := ix.byKey.get(key); found {
			keep(matchKey{true, l.ProfessionalCPF}, int(i))
		}
	}
	return ix
}

// WithStarts records who started a Block-1 course without finishing it
// (Moodle rows without a completion date), matched by the same rule.
func (ix *Completions) WithStarts(starts []Completion, cfg Config) *Completions {
	ix.started = newKeyIndex(countKeys(starts))
	for _, s := range starts {
		if key, ok := completionKey(s); ok && cfg.IsBlock1(s.Course) {
			ix.started.set(key, 0)
		}
	}
	return ix
}

// Started reports whether the professional started Block 1 (and has no
// completion: callers ask after Match failed).
func (ix *Completions) Started(p Professional) bool {
	keys, n := professionalKeys(p)
	for _, k := range keys[:n] {
		if _, ok := ix.started.get(k); ok {
			return true
		}
	}
	return false
}

// Match returns the professional's earliest Block-1 completion.
func (ix *Completions) Match(p Professional) (Completion, bool) {
	keys, n := professionalKeys(p)
	for _, k := range keys[:n] {
		if i, ok := ix.byKey.get(k); ok {
			return ix.list[i], true
		}
	}
	return Completion{}, false
}

// Registry is the set of accepted professionals, to tell which completions
// match nobody (they are listed for reconciliation).
type Registry struct{ keys keyIndex }

// WithLinks counts the completions of confirmed links as matched when
// their professional is registered.
func (r *Registry) WithLinks(links []Link) *Registry {
	for _, l := range links {
		if _, ok := r.keys.get(matchKey{true, l.ProfessionalCPF}); !ok {
			continue
		}
		if key, ok := completionKey(Completion{CPF: l.CompletionCPF, Email: l.CompletionEmail}); ok {
			r.keys.set(key, 0)
		}
	}
	return r
}

// NewRegistry indexes professionals, given as one or more lists (one per
// municipality, say), by their matching keys.
func NewRegistry(lists ...[]Professional) *Registry {
	cpfs, emails := 0, 0
	for _, list := range lists {
		for i := range list {
			if list[i].CPF != "" {
				cpfs++
			}
			if list[i].Email != "" {
				emails++
			}
		}
	}
	r := &Registry{keys: newKeyIndex(cpfs, emails)}
	for _, list := range lists {
		for i := range list {
			keys, n := professionalKeys(list[i])
			for _, k := range keys[:n] {
				r.keys.set(k, 0)
			}
		}
	}
	return r
}

// Has reports whether completion c matches a registered professional.
func (r *Registry) Has(c Completion) bool {
	k, ok := completionKey(c)
	if !ok {
		return false
	}
	_, found := r.keys.get(k)
	return found
}

// Evaluate applies the rules to one municipality.
func Evaluate(in Input, ix *Completions) Evaluation {
	ev := Evaluation{IBGE: in.IBGE, Coverage: in.Coverage, DataSentOn: in.DataSentOn}
	ev.FocalPoint = latestNomination(in.Nominations)
	if in.Coverage == nil {
		ev.Situation = NaoContemplado
		return ev
	}
	aps, aae := training(in.Professionals, ix, &ev.Counts)
	ev.Conditions = []Result{
		formalisation(in.Formalisations),
		focalPoint(in.Nominations, ev.FocalPoint),
		aps,
		aae.forCoverage(*in.Coverage),
		sheet(in.Professionals, in.SheetSince),
	}
	ev.Situation = Apto
	for _, r := range ev.Conditions {
		if r.State == Pendente {
			ev.Situation = PendenteSit
		}
	}
	ev.AptoSince = aptoSince(ev)
	return ev
}

func formalisation(list []Formalisation) Result {
	r := Result{Condition: Formalizacao, State: Pendente}
	if len(list) == 0 {
		r.Missing = "Não há registro do instrumento de formalização entre Estado e Município."
		return r
	}
	f := list[len(list)-1]
	ev := Evidence{Date: f.SignedOn, Source: f.Source, Text: "Instrumento de formalização"}
	if f.Reference != "" {
		ev.Text += " (" + f.Reference + ")"
	}
	if f.Signed {
		r.State = Cumprida
		ev.Text += ": assinado"
	} else {
		ev.Text += ": ainda não assinado"
		r.Missing = "O instrumento de formalização ainda não consta como assinado."
	}
	r.Evidence = []Evidence{ev}
	r.withTime(formalisationSteps(list))
	return r
}

func latestNomination(list []Nomination) *Nomination {
	var best *Nomination
	for i := range list {
		if best == nil || !list[i].CompletedAt.Before(best.CompletedAt) {
			best = &list[i]
		}
	}
	return best
}

// focalPoint: met since the earliest valid nomination; the evidence names
// the current focal point (the latest).
func focalPoint(list []Nomination, n *Nomination) Result {
	r := Result{Condition: PontoFocal, State: Pendente}
	if n == nil {
		r.Missing = "O município ainda não indicou o ponto focal pelo formulário da SES-MG (com nome e um contato válido)."
		r.Steps = []Step{{State: Pendente}}
		return r
	}
	r.State = Cumprida
	r.Evidence = []Evidence{{Text: "Ponto focal indicado: " + n.Name, Date: n.CompletedAt, Source: n.Source}}
	first := *n
	for _, x := range list {
		if x.CompletedAt.Before(first.CompletedAt) {
			first = x
		}
	}
	r.withTime(onceSteps(first.CompletedAt, first.Source))
	return r
}

func sheet(list []Professional, since Source) Result {
	r := Result{Condition: Planilha, State: Pendente}
	if len(list) == 0 {
		r.Missing = "A planilha de cadastro dos profissionais ainda não foi recebida com ao menos um profissional válido (nome e CPF)."
		r.Steps = []Step{{State: Pendente}}
		return r
	}
	r.State = Cumprida
	text := "1 profissional cadastrado"
	if len(list) > 1 {
		text = fmt.Sprintf("%d profissionais cadastrados", len(list))
	}
	r.Evidence = []Evidence{{Text: text, Date: list[0].Source.ImportedAt(),
		Source: list[0].Source}}
	if since.ImportedAt().IsZero() || since.ImportedAt().After(list[0].Source.ImportedAt()) {
		since = list[0].Source
	}
	r.withTime(onceSteps(since.ImportedAt(), since))
	return r
}

// aaeTraining is the AAE part before the municipality's seat status is
// applied.
type aaeTraining struct{ Result }

func (a aaeTraining) forCoverage(c Coverage) Result {
	switch {
	case !c.AAESeat:
		return Result{Condition: CapacitacaoAAE, State: NaoSeAplica, Steps: constantSteps(NaoSeAplica, c.Source)}
	case c.AAESetup:
		return Result{Condition: CapacitacaoAAE, State: Suspensa,
			Evidence: []Evidence{{Text: "Ponto de AAE em estruturação (Ampliação da Média Complexidade): exigência suspensa", Source: c.Source}},
			Steps:    constantSteps(Suspensa, c.Source)}
	}
	return a.Result
}

var trainedText = map[CareLevel]string{
	APS: fmt.Sprintf("Profissional (%s) concluiu o 1º bloco", APS),
	AAE: fmt.Sprintf("Profissional (%s) concluiu o 1º bloco", AAE),
}

func training(list []Professional, ix *Completions, n *Counts) (Result, aaeTraining) {
	aps := Result{Condition: CapacitacaoAPS, State: Pendente,
		Missing: "Nenhum profissional da Atenção Primária cadastrado concluiu o 1º bloco da capacitação no Moodle."}
	aae := Result{Condition: CapacitacaoAAE, State: Pendente,
		Missing: "Nenhum profissional da Atenção Ambulatorial Especializada (AAE) cadastrado concluiu o 1º bloco da capacitação no Moodle."}
	n.Professionals = len(list)
	for _, p := range list {
		target := &aps
		switch p.CareLevel {
		case APS:
			n.APS++
		case AAE:
			n.AAE++
			target = &aae
		default:
			n.UnknownLevel++
			continue
		}
		c, ok := ix.Match(p)
		if !ok {
			if ix.Started(p) {
				if p.CareLevel == APS {
					n.StartedAPS++
				} else {
					n.StartedAAE++
				}
			}
			continue
		}
		if p.CareLevel == APS {
			n.TrainedAPS++
		} else {
			n.TrainedAAE++
		}
		target.State, target.Missing = Cumprida, ""
		ev := Evidence{Text: trainedText[p.CareLevel], Date: c.CompletedAt, Source: c.Source}
		if len(target.Evidence) == 0 || ev.Date.Before(target.Evidence[0].Date) {
			target.Evidence = []Evidence{ev}
		}
	}
	for _, r := range []*Result{&aps, &aae} {
		r.Steps = []Step{{State: Pendente}}
		if r.State == Cumprida {
			r.withTime(onceSteps(r.Evidence[0].Date, r.Evidence[0].Source))
		}
	}
	return aps, aaeTraining{aae}
}
