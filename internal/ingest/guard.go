package ingest

import (
	"context"
	"fmt"

	"github.com/ses-mg/telemonitor/importers"
	"github.com/ses-mg/telemonitor/internal/records"
)

// RemovalLimit is the share of the contemplated municipalities a coverage
// list may remove from the stage without an explicit confirmation: the
// list is official and replaces the previous one whole, so a truncated or
// wrong file would silently take hundreds of municipalities out.
const RemovalLimit = 0.10

// AnyRemoval in Options.ConfirmedRemoval confirms whatever count (the
// CLI's --confirmar-remocao).
const AnyRemoval = -1

// Removal is what a coverage list does to the current stage.
type Removal struct {
	Contemplated int  `json:"contemplated"` // before this list
	Leaving      int  `json:"leaving"`      // contemplated now, absent from the list
	NeedsConfirm bool `json:"needs_confirmation"`
	Confirmed    bool `json:"confirmed"`
	// Message names the count ("463 municípios deixariam a etapa").
	Message string `json:"message,omitempty"`
}

// RemovalMessage is the sentence that names the count, used by the
// confirmation everywhere.
func RemovalMessage(n int) string {
	if n == 1 {
		return "1 município deixaria a etapa"
	}
	return fmt.Sprintf("%d municípios deixariam a etapa", n)
}

// guard computes, for every coverage list of the set in the order they
// will be applied, how many contemplated municipalities it removes, and
// returns the first list that needs a confirmation it did not get.
func (s *Service) guard(ctx context.Context, todo []pending, opt Options) (*pending, error) {
	var current map[string]bool
	var held *pending
	for i := range todo {
		p := &todo[i]
		if p.kind != records.Abrangencia {
			continue
		}
		listed, ok := s.listed(p)
		if !ok {
			continue // unreadable past its first block: it will fail, removing nothing
		}
		if current == nil {
			var err error
			if current, err = s.Store.Contemplated(ctx); err != nil {
				return nil, err
			}
		}
		leaving := 0
		for ibge := range current {
			if !listed[ibge] {
				leaving++
			}
		}
		if leaving > 0 {
			r := &Removal{Contemplated: len(current), Leaving: leaving, Message: RemovalMessage(leaving)}
			r.NeedsConfirm = float64(leaving) > RemovalLimit*float64(len(current))
			r.Confirmed = r.NeedsConfirm && (opt.ConfirmedRemoval == AnyRemoval || opt.ConfirmedRemoval == leaving)
			p.rep.Removal = r
			if r.NeedsConfirm && !r.Confirmed && held == nil {
				held = p
			}
		}
		current = listed
	}
	return held, nil
}

// listed is the set of municipalities a coverage list names; a long list
// is read again for them, block by block.
func (s *Service) listed(p *pending) (map[string]bool, bool) {
	out := map[string]bool{}
	add := func(r *records.Result) error {
		for _, c := range r.Coverage {
			out[c.IBGE] = true
		}
		return nil
	}
	if p.res != nil {
		add(p.res)
		return out, true
	}
	pctx := s.parseContext(p.file.Name, p.opt)
	pctx.Flush, pctx.Block = add, blockRows
	content, release, err := p.content()
	if err != nil {
		return nil, false
	}
	defer release() // add keeps codes (strings), not slices of content
	res, err := importers.Parse(pctx, content, p.kind)
	if err != nil {
		return nil, false
	}
	add(res)
	return out, true
}

// block marks every file of a set as not applied because of held.
func block(todo []pending, held *pending) {
	r := held.rep.Removal
	for _, p := range todo {
		finish(p.rep, p.res, true)
		p.rep.Status = Blocked
		if p.rep == held.rep {
			p.rep.Error = fmt.Sprintf("%s (de %d contemplados hoje, mais de %.0f%%): a lista de abrangência não foi aplicada sem a confirmação da remoção",
				r.Message, r.Contemplated, RemovalLimit*100)
			continue
		}
		p.rep.Error = fmt.Sprintf("não importado: a lista de abrangência %s, enviada junto, precisa da confirmação da remoção (%s)",
			held.rep.File, r.Message)
	}
}

// Held returns the coverage list that kept a set from being imported, or
// nil when the set was not blocked.
func Held(reps []Report) *Report {
	for i := range reps {
		if rm := reps[i].Removal; reps[i].Status == Blocked && rm != nil && rm.NeedsConfirm && !rm.Confirmed {
			return &reps[i]
		}
	}
	return nil
}
