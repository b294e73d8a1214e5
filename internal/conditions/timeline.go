package conditions

import (
	"sort"
	"time"
)

// Time, as DOMAIN.md states it: every condition that is cumprida has a
// met-since date taken from its evidence, not from when the data were
// imported (that is Source.ImportedAt, shown beside it as "registrado em").
//
//   - formalizacao: the signing date (the import date of the record when
//     the file gives none);
//   - ponto_focal: the completion time of the earliest valid nomination;
//   - planilha: the import date of the sheet since which the municipality
//     has continuously had at least one accepted professional;
//   - capacitacao_*: the earliest Block-1 completion date among the
//     matching professionals.
//
// A municipality is apto since the latest met-since date of the conditions
// that made it apto (a suspensa or nao_se_aplica AAE adds none).
//
// Each Result also carries its Steps: the condition's state by evidence
// time, so that "what was the status on date D" is answered from the same
// rules (Evaluation.At).

// Step is a change of a condition's state: from At on (until the next
// step) the condition is in State, because of the record Source.
type Step struct {
	At     time.Time // zero: since always
	State  State
	Source Source
}

// stateAt is the state of steps (oldest first) at instant t.
func stateAt(steps []Step, t time.Time) State {
	st := Pendente
	for _, s := range steps {
		if s.At.After(t) {
			break
		}
		st = s.State
	}
	return st
}

// metSince is when the current, unbroken run of cumprida began (zero when
// the last step is not cumprida).
func metSince(steps []Step) (time.Time, Source) {
	var at time.Time
	var src Source
	for i := len(steps) - 1; i >= 0 && steps[i].State == Cumprida; i-- {
		at, src = steps[i].At, steps[i].Source
	}
	return at, src
}

// effectiveDate is when a formalisation record became true: its signing
// date, or the day it was imported when it gives none (or says unsigned).
func (f Formalisation) effectiveDate() time.Time {
	if f.Signed && !f.SignedOn.IsZero() {
		return f.SignedOn
	}
	return f.Source.ImportedAt()
}

// formalisationSteps: each record, in import order, from its effective
// date; a later record never takes effect before an earlier one.
func formalisationSteps(list []Formalisation) []Step {
	steps := []Step{{State: Pendente}}
	var last time.Time
	for _, f := range list {
		at := f.effectiveDate()
		if at.Before(last) {
			at = last
		}
		last = at
		st := Pendente
		if f.Signed {
			st = Cumprida
		}
		steps = append(steps, Step{At: at, State: st, Source: f.Source})
	}
	return steps
}

// onceSteps is a condition that became cumprida at one instant and stays.
func onceSteps(at time.Time, src Source) []Step {
	return []Step{{State: Pendente}, {At: at, State: Cumprida, Source: src}}
}

// constantSteps is a state that does not depend on time (AAE not
// applicable or suspended, from the coverage list).
func constantSteps(st State, src Source) []Step { return []Step{{State: st, Source: src}} }

// withTime sets a result's steps and met-since date.
func (r *Result) withTime(steps []Step) {
	r.Steps = steps
	if r.State == Cumprida {
		r.MetSince, r.MetSource = metSince(steps)
	}
}

// aptoSince is the latest met-since date of the cumprida conditions of an
// apto evaluation (zero when not apto).
func aptoSince(ev Evaluation) time.Time {
	if ev.Situation != Apto {
		return time.Time{}
	}
	var since time.Time
	for _, r := range ev.Conditions {
		if r.State == Cumprida && r.MetSince.After(since) {
			since = r.MetSince
		}
	}
	return since
}

// Status is a municipality's standing at one instant.
type Status struct {
	Situation Situation
	States    map[Condition]State
}

// At answers what the municipality's status was at instant t, by
// evidence time, from the records known now (a municipality outside the
// stage is nao_contemplado at every instant: the coverage list has no
// dates).
func (e Evaluation) At(t time.Time) Status {
	s := Status{Situation: NaoContemplado}
	if e.Coverage == nil {
		return s
	}
	s.Situation, s.States = Apto, make(map[Condition]State, len(e.Conditions))
	for _, r := range e.Conditions {
		st := stateAt(r.Steps, t)
		s.States[r.Condition] = st
		if st == Pendente {
			s.Situation = PendenteSit
		}
	}
	return s
}

// Changes lists the instants at which the municipality's status may have
// changed, oldest first (the zero instant excluded).
func (e Evaluation) Changes() []time.Time {
	var out []time.Time
	for _, r := range e.Conditions {
		for _, s := range r.Steps {
			if !s.At.IsZero() {
				out = append(out, s.At)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	k := 0
	for i := range out {
		if k == 0 || !out[i].Equal(out[k-1]) {
			out[k] = out[i]
			k++
		}
	}
	return out[:k]
}

// AptoIntervals are the spans during which the municipality was apto, by
// evidence time: From inclusive, To exclusive (zero To: still apto).
func (e Evaluation) AptoIntervals() []Interval {
	var out []Interval
	apto := false
	for _, t := range e.Changes() {
		now := e.At(t).Situation == Apto
		switch {
		case now && !apto:
			out = append(out, Interval{From: t})
		case !now && apto:
			out[len(out)-1].To = t
		}
		apto = now
	}
	return out
}

// Interval is a span of time; a zero To is open.
type Interval struct{ From, To time.Time }
