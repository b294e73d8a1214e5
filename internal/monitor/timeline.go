package monitor

import (
	"sort"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
)

// The history of a municipality, the trend of aptos and the comparison of
// two dates all come from the engine's evidence time (conditions.Step),
// not from when files were imported.

// EndOfDay is the last instant of t's calendar day: "the status on
// 01/10" is the status once that day's evidence counts.
func EndOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location()).AddDate(0, 0, 1).Add(-time.Nanosecond)
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// Situacao names the situação in a Change's What.
const Situacao = "situacao"

// Change is one change of a municipality's status by evidence time.
type Change struct {
	At       time.Time
	What     string // a condition code, or Situacao
	From, To string
	// Source is the record behind a condition's change (its file, row,
	// batch and import time); zero for the situação.
	Source conditions.Source
}

// Timeline lists the changes of a municipality's conditions and situação,
// oldest first, by evidence time.
func Timeline(ev conditions.Evaluation) []Change {
	if ev.Coverage == nil {
		return nil
	}
	var out []Change
	prev := ev.At(time.Time{})
	for _, t := range ev.Changes() {
		now := ev.At(t)
		for _, r := range ev.Conditions {
			from, to := prev.States[r.Condition], now.States[r.Condition]
			if from == to {
				continue
			}
			ch := Change{At: t, What: string(r.Condition), From: string(from), To: string(to)}
			for _, s := range r.Steps {
				if s.At.Equal(t) {
					ch.Source = s.Source
				}
			}
			out = append(out, ch)
		}
		if prev.Situation != now.Situation {
			out = append(out, Change{At: t, What: Situacao, From: string(prev.Situation), To: string(now.Situation)})
		}
		prev = now
	}
	return out
}

// Point is the number of apto municipalities at the end of a day.
type Point struct {
	Date  time.Time
	Aptos int
}

// AptosOverTime counts, by evidence time, the municipalities of rows that
// were apto at the end of each day on which the count changed, from the
// first such day up to until, which adds a last point (zero until: every
// change, and no point after the last).
func AptosOverTime(rows []Row, until time.Time) []Point {
	delta := map[time.Time]int{}
	for _, r := range rows {
		for _, iv := range r.AptoIntervals() {
			delta[startOfDay(iv.From)]++
			if !iv.To.IsZero() {
				delta[startOfDay(iv.To)]--
			}
		}
	}
	days := make([]time.Time, 0, len(delta)+1)
	for d := range delta {
		days = append(days, d)
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	var out []Point
	n := 0
	for _, d := range days {
		if !until.IsZero() && d.After(until) {
			break
		}
		n += delta[d]
		if len(out) > 0 && out[len(out)-1].Date.Equal(d) {
			out[len(out)-1].Aptos = n
			continue
		}
		out = append(out, Point{Date: d, Aptos: n})
	}
	if len(out) > 0 && !until.IsZero() && startOfDay(until).After(out[len(out)-1].Date) {
		out = append(out, Point{Date: startOfDay(until), Aptos: n})
	}
	return out
}

// Comparison groups, in the order they are shown.
const (
	BecameApto    = "ficou_apto"
	LeftApto      = "deixou_apto"
	ConditionMet  = "condicao_cumprida"
	ConditionLost = "condicao_perdida"
)

// Groups lists the comparison groups in display order.
var Groups = []string{BecameApto, LeftApto, ConditionMet, ConditionLost}

// Difference is a municipality whose status changed between two dates.
type Difference struct {
	Row
	Group         string
	Before, After conditions.Status
	Met, Lost     []conditions.Condition // conditions that became cumprida / stopped being
}

// Compare lists the municipalities of rows whose situação or any condition
// differs between the end of day from and the end of day to, by evidence
// time: those that became apto, then those that left it, then those with
// a condition met, then those with a condition lost (a municipality is in
// one group, the first that fits).
func Compare(rows []Row, from, to time.Time) []Difference {
	a, b := EndOfDay(from), EndOfDay(to)
	var out []Difference
	for _, r := range rows {
		if r.Coverage == nil {
			continue
		}
		before, after := r.At(a), r.At(b)
		d := Difference{Row: r, Before: before, After: after}
		for _, c := range conditions.All {
			x, y := before.States[c], after.States[c]
			switch {
			case x == y:
			case y == conditions.Cumprida:
				d.Met = append(d.Met, c)
			case x == conditions.Cumprida:
				d.Lost = append(d.Lost, c)
			}
		}
		switch {
		case before.Situation != conditions.Apto && after.Situation == conditions.Apto:
			d.Group = BecameApto
		case before.Situation == conditions.Apto && after.Situation != conditions.Apto:
			d.Group = LeftApto
		case len(d.Met) > 0:
			d.Group = ConditionMet
		case len(d.Lost) > 0:
			d.Group = ConditionLost
		default:
			continue
		}
		out = append(out, d)
	}
	rank := map[string]int{}
	for i, g := range Groups {
		rank[g] = i
	}
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].Group] < rank[out[j].Group] })
	return out
}
