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
)

type reportCount struct {
	Label           string
	Met, Pending    int
	Suspended, NA   int
	MetPct, PendPct string
}

type reportData struct {
	Scope     string
	Generated time.Time
	Total     int
	Aptos     int
	AptosPct  string
	Pendentes int
	Counts    []reportCount
	Map       template.HTML
	Legend    []charts.Class
	Rows      []tableRow
}

// report is the printable report of the dashboard's filters.
func (s *Server) report(c *fiber.Ctx, snap *monitor.Snapshot) (page, error) {
	f, err := s.validFilter(c)
	if err != nil {
		return page{}, err
	}
	rows := snap.Select(f)
	sum := monitor.Summarise(rows)
	d := reportData{Scope: export.Scope{Filter: f}.Describe(), Generated: time.Now(), Total: len(rows),
		Aptos: sum.Estado.PorSituacao[conditions.Apto], Pendentes: sum.Estado.PorSituacao[conditions.PendenteSit]}
	d.AptosPct = percent(d.Aptos, d.Total)
	for _, k := range conditions.All {
		n := sum.Estado.PorCondicao[k]
		d.Counts = append(d.Counts, reportCount{Label: present.ConditionName[k], Met: n[conditions.Cumprida], Pending: n[conditions.Pendente],
			Suspended: n[conditions.Suspensa], NA: n[conditions.NaoSeAplica], MetPct: percent(n[conditions.Cumprida], d.Total),
			PendPct: percent(n[conditions.Pendente], d.Total)})
	}
	m, legend := situationMap("mapa", snap, f, rows, selection(rows))
	d.Legend = legend
	m.Height = "340px" // fits on the first A4 page with the summary
	if d.Map, err = m.HTML(); err != nil {
		return page{}, err
	}
	d.Rows = tableRows(rows)
	return page{Name: "relatorio", Title: "Relatório de condicionalidades", Data: d}, nil
}
