package reconcile

import (
	"sort"

	"github.com/ses-mg/telemonitor/internal/conditions"
)

// Unmatched is a Block-1 completion that matches no registered
// professional, with the professionals it may be.
type Unmatched struct {
	Completion
	Candidates []Ranked[Professional]
}

// Untrained is a registered APS/AAE professional without a completion,
// with the completions that may be theirs.
type Untrained struct {
	Professional
	Candidates []Ranked[Completion]
}

// Desk is the reconciliation desk of a scope.
type Desk struct {
	Unmatched []Unmatched
	Untrained []Untrained
	// UnmatchedTotal counts every unmatched completion, including those
	// without a candidate in the scope (not listed to a URS).
	UnmatchedTotal int
}

// BuildDesk finds, with the engine's own matching rule and the confirmed
// links, the completions that match nobody and the APS/AAE professionals
// with no completion, and ranks candidates for each. inScope limits the
// professionals (a URS's municipalities); a completion is listed when its
// municipality is in scope or it has a candidate there.
func BuildDesk(comps []Completion, pros []Professional, links []conditions.Link, cfg conditions.Config, inScope func(ibge string) bool) Desk {
	var d Desk
	engPros := make([]conditions.Professional, len(pros))
	for i, p := range pros {
		engPros[i] = conditions.Professional{CPF: p.CPF, Email: p.Email, CareLevel: p.CareLevel}
	}
	reg := conditions.NewRegistry(engPros).WithLinks(links)
	var block1 []Completion
	engComps := make([]conditions.Completion, 0, len(comps))
	for _, c := range comps {
		if !cfg.IsBlock1(c.Course) || c.CompletedAt.IsZero() {
			continue
		}
		block1 = append(block1, c)
		engComps = append(engComps, conditions.Completion{CPF: c.CPF, Email: c.Email, Course: c.Course, CompletedAt: c.CompletedAt})
	}
	keep := func(p Professional) bool { return inScope == nil || inScope(p.IBGE) }
	idx := NewIndex(pros)
	var unmatched []Completion
	for i, c := range block1 {
		if reg.Has(engComps[i]) {
			continue
		}
		unmatched = append(unmatched, c)
		d.UnmatchedTotal++
		cands := idx.ForCompletion(c, keep)
		if len(cands) > 0 || (c.IBGE != "" && (inScope == nil || inScope(c.IBGE))) || inScope == nil {
			d.Unmatched = append(d.Unmatched, Unmatched{c, cands})
		}
	}
	matched := conditions.NewCompletions(engComps, cfg, links...)
	cidx := NewCompletionIndex(unmatched)
	for i, p := range pros {
		if (p.CareLevel != conditions.APS && p.CareLevel != conditions.AAE) || !keep(p) {
			continue
		}
		if _, ok := matched.Match(engPros[i]); ok {
			continue
		}
		d.Untrained = append(d.Untrained, Untrained{p, cidx.ForProfessional(p)})
	}
	// The most likely matches first: a person works down the list.
	sort.SliceStable(d.Unmatched, func(i, j int) bool { return best(d.Unmatched[i].Candidates) > best(d.Unmatched[j].Candidates) })
	sort.SliceStable(d.Untrained, func(i, j int) bool { return best(d.Untrained[i].Candidates) > best(d.Untrained[j].Candidates) })
	return d
}

// best is the top candidate's score (0 without candidates).
func best[T any](list []Ranked[T]) int {
	if len(list) == 0 {
		return 0
	}
	return list[0].Score
}
