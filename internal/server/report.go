package server

import (
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/charts"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/sla"
	"github.com/ses-mg/telemonitor/internal/store"
)

// reportCount is one condition of the report's summary: met out of where
// it applies (all the municipalities, or the AAE seats for the AAE
// training), with the pending and suspended ones.
type reportCount struct {
	Label           string
	Met, Applies    int
	Pending         int
	Suspended, NA   int
	MetPct, PendPct string
	WhereItApplies  bool
}

type reportData struct {
	Scope     string
	Filters   []badge
	Generated time.Time
	Updated   []freshness
	Latest    time.Time
	Total     int
	Aptos     int
	AptosPct  string
	Pendentes int
	Counts    []reportCount
	Map       template.HTML
	Legend    []charts.Class
	Rows      []tableRow
	Tele      *reportTele
}

// reportTele is the service delivered to the report's municipalities in
// the last 3 months with data, per núcleo.
type reportTele struct {
	From, To, At time.Time
	Nucleos      []teleLine
}

// report is the printable report of the dashboard's filters.
func (s *Server) report(c *fiber.Ctx, snap *monitor.Snapshot) (page, error) {
	f, err := s.validFilter(c)
	if err != nil {
		return page{}, err
	}
	rows := snap.Select(f)
	sum := monitor.Summarise(rows)
	d := reportData{Scope: export.Scope{Filter: f}.Describe(), Filters: stageFilterForm(snap.Rows, queryValues(c)).Badges,
		Generated: time.Now(), Total: len(rows), Aptos: sum.Estado.Aptos(), Pendentes: sum.Estado.PorSituacao[conditions.PendenteSit]}
	d.AptosPct = percent(d.Aptos, d.Total)
	for _, k := range conditions.All {
		n := sum.Estado.PorCondicao[k]
		rc := reportCount{Label: present.ConditionName[k], Met: n[conditions.Cumprida], Applies: d.Total, Pending: n[conditions.Pendente],
			Suspended: n[conditions.Suspensa], NA: n[conditions.NaoSeAplica]}
		if k == conditions.CapacitacaoAAE {
			rc.Applies, rc.WhereItApplies = sum.Estado.CapacitacaoAAE.SeAplica, true
		}
		rc.MetPct, rc.PendPct = percent(rc.Met, rc.Applies), percent(rc.Pending, rc.Applies)
		d.Counts = append(d.Counts, rc)
	}
	m, legend := situationMap("mapa", snap, f, rows, selection(rows))
	d.Legend = legend
	m.Height = "340px" // fits on the first A4 page with the summary
	if d.Map, err = m.HTML(); err != nil {
		return page{}, err
	}
	d.Rows = tableRows(rows)
	if d.Updated, d.Latest, err = s.updated(c); err != nil {
		return page{}, err
	}
	if d.Tele, err = s.reportTele(c, rows); err != nil {
		return page{}, err
	}
	return page{Name: "relatorio", Title: "Relatório de condicionalidades", Data: d}, nil
}

func (s *Server) reportTele(c *fiber.Ctx, rows []monitor.Row) (*reportTele, error) {
	ctx := c.UserContext()
	all, at, has, err := s.teleRequests(ctx, store.RequestFilter{})
	if err != nil || !has {
		return nil, err
	}
	in := make(map[string]bool, len(rows))
	for _, r := range rows {
		in[r.Municipality.IBGE] = true
	}
	var reqs []sla.Request
	for _, r := range all {
		if in[r.IBGE] {
			reqs = append(reqs, r)
		}
	}
	if len(reqs) == 0 {
		return nil, nil
	}
	p := lastThreeMonths(all)
	t := &reportTele{From: p.From, To: p.To, At: at}
	for _, r := range sla.Compute(reqs, sla.Options{From: p.From, To: p.To, At: at, By: []sla.Dim{sla.ByNucleo}}) {
		t.Nucleos = append(t.Nucleos, lineOf(r.Keys[0], r))
	}
	return t, nil
}
