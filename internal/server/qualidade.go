package server

import (
	"fmt"
	"sort"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/records"
)

// The data-quality panel: what keeps the data from telling the truth, per
// URS or for the state, each with the page where it is fixed. Counts only.

type qualityReason struct {
	Kind, Reason string
	Rejected     int
	Warned       int
}

type qualityRow struct {
	monitor.Row
	Rejected, Warned int
	Unknown          int // professionals with no care level
	Shrunk           string
	Unmatched        int // completions whose Moodle municipality is this one
}

type qualityData struct {
	Scope         string
	URS           string
	URSOptions    []option
	Reasons       []qualityReason
	Rows          []qualityRow
	Unmatched     int
	UnmatchedHere int
	Unknown       int
	Shrunk        int
}

func (s *Server) quality(c *fiber.Ctx) error {
	p, err := s.requireDesk(c)
	if p == nil {
		return err
	}
	ctx := c.UserContext()
	snap, err := s.app.Current(ctx)
	if err != nil {
		return err
	}
	d := qualityData{Scope: p.ScopeLabel(s.app.Territory)}
	inScope := s.inScopeFunc(p)
	if p.IsAdmin() {
		d.URS = c.Query("urs")
		for _, r := range s.app.Territory.URSs() {
			d.URSOptions = append(d.URSOptions, option{Value: r.Name, Label: r.Name, Selected: r.Name == d.URS})
		}
		if d.URS != "" {
			inScope = func(ibge string) bool { r, ok := snap.Row(ibge); return ok && r.URS == d.URS }
			d.Scope = "URS " + d.URS
		}
	}
	keep := func(ibge string) bool { return inScope == nil || inScope(ibge) }
	rows := map[string]*qualityRow{}
	row := func(ibge string) *qualityRow {
		if q, ok := rows[ibge]; ok {
			return q
		}
		r, _ := snap.Row(ibge)
		rows[ibge] = &qualityRow{Row: r}
		return rows[ibge]
	}
	counts, err := s.app.Store.LatestIssueCounts(ctx)
	if err != nil {
		return err
	}
	reasons := map[[2]string]*qualityReason{}
	for _, ic := range counts {
		if !keep(ic.IBGE) || ic.Code == records.ConclusaoSemProfissional {
			continue
		}
		reason := export.Reason(records.Issue{Code: ic.Code})
		k := [2]string{string(ic.Kind), reason}
		if reasons[k] == nil {
			reasons[k] = &qualityReason{Kind: present.KindLabel(ic.Kind), Reason: reason}
		}
		q := row(ic.IBGE)
		if ic.Severity == records.Error {
			reasons[k].Rejected += ic.Count
			q.Rejected += ic.Count
		} else {
			reasons[k].Warned += ic.Count
			q.Warned += ic.Count
		}
	}
	for _, r := range reasons {
		d.Reasons = append(d.Reasons, *r)
	}
	sort.Slice(d.Reasons, func(i, j int) bool {
		return d.Reasons[i].Rejected+d.Reasons[i].Warned > d.Reasons[j].Rejected+d.Reasons[j].Warned
	})
	for _, r := range snap.Rows {
		if r.Coverage != nil && r.Counts.UnknownLevel > 0 && keep(r.Municipality.IBGE) {
			row(r.Municipality.IBGE).Unknown = r.Counts.UnknownLevel
			d.Unknown += r.Counts.UnknownLevel
		}
	}
	shrunk, err := s.app.Store.ShrunkSheets(ctx)
	if err != nil {
		return err
	}
	for _, x := range shrunk {
		if keep(x.IBGE) {
			row(x.IBGE).Shrunk = fmt.Sprintf("%d → %d", x.Before, x.After)
			d.Shrunk++
		}
	}
	desk, _, err := s.buildDesk(c, inScope)
	if err != nil {
		return err
	}
	d.Unmatched = desk.UnmatchedTotal
	for _, u := range desk.Unmatched {
		if u.IBGE != "" && keep(u.IBGE) {
			row(u.IBGE).Unmatched++
		}
		if inScope == nil || len(u.Candidates) > 0 || (u.IBGE != "" && keep(u.IBGE)) {
			d.UnmatchedHere++
		}
	}
	for _, q := range rows {
		if q.Coverage != nil || q.Rejected > 0 {
			d.Rows = append(d.Rows, *q)
		}
	}
	sort.Slice(d.Rows, func(i, j int) bool {
		a, b := d.Rows[i], d.Rows[j]
		if a.Rejected != b.Rejected {
			return a.Rejected > b.Rejected
		}
		return a.Name < b.Name
	})
	if err := s.audit(c, audit.PersonalView, "qualidade", "painel de qualidade dos dados: "+d.Scope, audit.OK); err != nil {
		return err
	}
	noStore(c)
	return s.render(c, page{Name: "qualidade", Title: "Qualidade dos dados", Nav: "qualidade", Data: d})
}
