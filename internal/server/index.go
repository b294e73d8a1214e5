package server

import (
	"encoding/json"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/charts"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
)

type card struct {
	Count int
	Label string
}

type indexPage struct {
	Title          string
	Summary        monitor.Summary
	Aptos          int
	AptosPct       string
	ConditionCards []card
	Map            template.HTML
	Legend         []charts.Class
	Version        string
}

// mapDetail is what the map tooltip shows; only public data.
type mapDetail struct {
	IBGE     string   `json:"ibge"`
	Nome     string   `json:"nome"`
	Macro    string   `json:"macro"`
	Nucleo   string   `json:"nucleo"`
	Situacao string   `json:"situacao"`
	Faltam   []string `json:"faltam"`
}

func (s *Server) index(c *fiber.Ctx) error {
	snap, err := s.app.Snapshot(c.Context())
	if err != nil {
		return err
	}
	stage := snap.Select(monitor.Filter{})
	sum := monitor.Summarise(stage)
	p := indexPage{Title: "Painel estadual", Summary: sum, Legend: charts.Classes, Version: snap.Version}
	p.Aptos = sum.Estado.PorSituacao[conditions.Apto]
	p.AptosPct = percent(p.Aptos, sum.Estado.Municipios)
	for _, k := range conditions.All {
		n := sum.Estado.PorCondicao[k][conditions.Cumprida]
		if k == conditions.CapacitacaoAAE {
			n += sum.Estado.PorCondicao[k][conditions.NaoSeAplica] + sum.Estado.PorCondicao[k][conditions.Suspensa]
		}
		p.ConditionCards = append(p.ConditionCards, card{n, present.ConditionMet[k]})
	}
	details := map[string]mapDetail{}
	for _, r := range snap.Rows {
		d := mapDetail{IBGE: r.Municipality.IBGE, Nome: r.Name, Macro: r.MacroName, Nucleo: r.Nucleo(), Situacao: present.Situation[r.Situation]}
		for _, m := range r.Missing() {
			d.Faltam = append(d.Faltam, present.ConditionName[m.Condition])
		}
		details[r.Name] = d
	}
	blob, err := json.Marshal(details)
	if err != nil {
		return err
	}
	// json.Marshal escapes <, > and &, so the blob is safe inside <script>.
	p.Map = template.HTML(`<script src="`+s.assets.URL("echarts.min.js")+`"></script>`+
		`<script src="`+s.assets.URL("mapa-mg.js")+`"></script>`+
		`<script>window.tmDados = `+string(blob)+`;</script>`) + charts.StateMap(snap.Rows, "/static/")
	return s.render(c, "index", p)
}
