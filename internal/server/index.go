package server

import (
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/charts"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/records"
)

type card struct {
	Count int
	Label string
	Pct   string
}

// tableRow is one municipality in the table under the map.
type tableRow struct {
	IBGE, Name, Macro, URS, Nucleo, Situacao, Faltam string
	Class                                            int
	Missing                                          int
}

// freshness is the last import of one kind of source.
type freshness struct {
	Label string
	At    time.Time
}

type indexData struct {
	Filters      filterForm
	Total        int
	Aptos        int
	AptosPct     string
	Cards        []card
	Map          template.HTML
	Legend       []charts.Class
	ByMacro      template.HTML
	ByNucleo     template.HTML
	ByCondition  template.HTML
	OverTime     template.HTML
	HistoryStart time.Time
	HistoryDays  int
	Rows         []tableRow
	Updated      []freshness
	Version      string
}

// kindLabels name the sources in "Dados atualizados em".
var kindLabels = map[records.Kind]string{
	records.Abrangencia:  "Regiões de abrangência",
	records.Formalizacao: "Formalização",
	records.PontoFocal:   "Indicação de ponto focal",
	records.Cadastro:     "Planilhas de cadastro",
	records.Moodle:       "Capacitação (Moodle)",
	records.Envio:        "Envio dos dados aos núcleos",
}

func (s *Server) index(c *fiber.Ctx, snap *monitor.Snapshot) (page, error) {
	f, err := s.validFilter(c)
	if err != nil {
		return page{}, err
	}
	rows := snap.Select(f)
	d := indexData{Filters: buildFilterForm(s.app.Territory, queryValues(c)), Total: len(rows), Version: snap.Version}
	sum := monitor.Summarise(rows)
	d.Aptos = sum.Estado.PorSituacao[conditions.Apto]
	d.AptosPct = percent(d.Aptos, d.Total)
	for _, k := range conditions.All {
		n := sum.Estado.PorCondicao[k][conditions.Cumprida]
		if k == conditions.CapacitacaoAAE {
			n += sum.Estado.PorCondicao[k][conditions.NaoSeAplica] + sum.Estado.PorCondicao[k][conditions.Suspensa]
		}
		d.Cards = append(d.Cards, card{n, present.ConditionMet[k], percent(n, d.Total)})
	}
	selected := selection(rows)
	stateMap, legend := situationMap("mapa", snap, f, rows, selected)
	d.Legend = legend
	// By evidence time, up to the last change (the page is kept per data
	// version, so it must not depend on today's date).
	points := monitor.AptosOverTime(rows, time.Time{})
	if len(points) > 0 {
		d.HistoryStart, d.HistoryDays = points[0].Date, len(points)
	}
	for _, ch := range []struct {
		dst *template.HTML
		c   charts.Chart
	}{
		{&d.Map, stateMap},
		{&d.ByMacro, charts.SituationBars("por-macro", "Situação por macrorregião", rows, func(r monitor.Row) string { return r.MacroName })},
		{&d.ByNucleo, charts.SituationBars("por-nucleo", "Situação por núcleo", rows, monitor.Row.Nucleo)},
		{&d.ByCondition, charts.ConditionBars("por-condicao", rows)},
		{&d.OverTime, charts.AptosLine("aptos-tempo", points)},
	} {
		if *ch.dst, err = ch.c.HTML(); err != nil {
			return page{}, err
		}
	}
	d.Rows = tableRows(rows)
	if d.Updated, err = s.updated(c); err != nil {
		return page{}, err
	}
	return page{Name: "index", Title: "Painel estadual", Nav: "painel", Data: d}, nil
}

// selection is the set of IBGE codes of rows.
func selection(rows []monitor.Row) map[string]bool {
	out := make(map[string]bool, len(rows))
	for _, r := range rows {
		out[r.Municipality.IBGE] = true
	}
	return out
}

// situationMap is the map of the whole state for filter f, whose rows are
// selected: the others are pale ("fora do filtro"), and a regional filter
// zooms to its rows. Without a filter nobody is outside it. It returns the
// legend that goes with the map.
func situationMap(id string, snap *monitor.Snapshot, f monitor.Filter, rows []monitor.Row, selected map[string]bool) (charts.Chart, []charts.Class) {
	if f == (monitor.Filter{}) {
		all := func(monitor.Row) bool { return true }
		return charts.SituationMap(id, snap.Rows, all, nil), charts.Classes[:len(charts.Classes)-1] // all but "fora do filtro"
	}
	var view *charts.View
	if f.Macro != "" || f.Micro != "" || f.URS != "" {
		view = charts.ViewOf(rows)
	}
	in := func(r monitor.Row) bool { return selected[r.Municipality.IBGE] }
	return charts.SituationMap(id, snap.Rows, in, view), charts.Classes
}

// tableRows are the municipality table's rows.
func tableRows(rows []monitor.Row) []tableRow {
	out := make([]tableRow, 0, len(rows))
	for _, r := range rows {
		var missing []string
		for _, m := range r.Missing() {
			missing = append(missing, present.ConditionName[m.Condition])
		}
		out = append(out, tableRow{IBGE: r.Municipality.IBGE, Name: r.Name, Macro: r.MacroName, URS: r.URS, Nucleo: r.Nucleo(),
			Situacao: present.Situation[r.Situation], Faltam: strings.Join(missing, ", "), Class: charts.ClassOf(r), Missing: len(missing)})
	}
	return out
}

// updated lists the last import date of each kind of source.
func (s *Server) updated(c *fiber.Ctx) ([]freshness, error) {
	batches, err := s.app.Store.Batches(c.UserContext())
	if err != nil {
		return nil, err
	}
	last := map[records.Kind]time.Time{}
	for _, b := range batches {
		if b.ImportedAt.After(last[b.Kind]) {
			last[b.Kind] = b.ImportedAt
		}
	}
	var out []freshness
	for _, k := range records.Kinds {
		out = append(out, freshness{Label: kindLabels[k], At: last[k]})
	}
	return out, nil
}
