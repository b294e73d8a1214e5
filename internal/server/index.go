package server

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/charts"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/textnorm"
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
	Short string // in the one-line summary ("Moodle 20/11/2026")
	At    time.Time
}

// conditionBar is one condition in "Condições cumpridas": how many meet
// it out of where it applies, and the link to the pending ones.
type conditionBar struct {
	Label        string
	Met, Applies int
	Pct          string
	Width        string // CSS width of the bar
	Detail       string // AAE: pending and suspended
	Pending      int
	Link         string
}

// rankRow is one region or núcleo in a ranking by share apto.
type rankRow struct {
	Pos          int
	Name, Link   string
	Aptos, Total int
	Pct, Width   string
	Current      bool // the filter already selects it
}

// ranking is one ranking table of the dashboard.
type ranking struct {
	ID, Title, Column string
	Rows              []rankRow
}

// maxTableRows is how many rows of the municipality table are in the
// HTML; app.js shows the rest, page by page, from the JSON data block.
const maxTableRows = 25

type indexData struct {
	Filters      filterForm
	Total        int
	Aptos        int
	AptosPct     string
	Pendentes    int
	Cards        []card
	Conditions   []conditionBar
	Rankings     []ranking
	Map          template.HTML
	Legend       []charts.Class
	OverTime     template.HTML
	HistoryStart time.Time
	HistoryDays  int
	Rows         []tableRow // the first maxTableRows, by name
	TableJSON    template.JS
	FinderJSON   template.JS
	Updated      []freshness
	Latest       time.Time
	Version      string
}

func (s *Server) index(c *fiber.Ctx, snap *monitor.Snapshot) (page, error) {
	f, err := s.validFilter(c)
	if err != nil {
		return page{}, err
	}
	q := queryValues(c)
	rows := snap.Select(f)
	d := indexData{Filters: stageFilterForm(snap.Rows, q), Total: len(rows), Version: snap.Version}
	sum := monitor.Summarise(rows)
	d.Aptos, d.Pendentes = sum.Estado.Aptos(), sum.Estado.PorSituacao[conditions.PendenteSit]
	d.AptosPct = percent(d.Aptos, d.Total)
	d.Cards = []card{{d.Pendentes, "pendentes", percent(d.Pendentes, d.Total)}}
	d.Conditions = conditionBars(sum.Estado, q)
	d.Rankings = rankings(sum, q)
	selected := selection(rows)
	stateMap, legend := situationMap("mapa", snap, f, rows, selected)
	d.Legend = legend
	// By evidence time, up to the last change (the page is kept per data
	// version, so it must not depend on today's date).
	points := monitor.AptosOverTime(rows, time.Time{})
	if len(points) > 0 {
		d.HistoryStart, d.HistoryDays = points[0].Date, len(points)
	}
	if d.Map, err = stateMap.HTML(); err != nil {
		return page{}, err
	}
	if d.OverTime, err = charts.AptosLine("aptos-tempo", points).HTML(); err != nil {
		return page{}, err
	}
	all := tableRows(rows)
	sortByName(all)
	d.Rows = all[:min(len(all), maxTableRows)]
	if d.TableJSON, err = tableJSON(all); err != nil {
		return page{}, err
	}
	if d.FinderJSON, err = finderJSON(snap.Rows); err != nil {
		return page{}, err
	}
	if d.Updated, d.Latest, err = s.updated(c); err != nil {
		return page{}, err
	}
	return page{Name: "index", Title: "Painel estadual", Nav: "painel", Data: d}, nil
}

// conditionBars frames each condition as met out of where it applies:
// all the rows, except the AAE training, counted where it applies (the
// engine's summary, monitor.AAE).
func conditionBars(c *monitor.Counts, q url.Values) []conditionBar {
	var out []conditionBar
	for _, k := range conditions.All {
		n := c.PorCondicao[k]
		b := conditionBar{Label: present.ConditionName[k], Met: n[conditions.Cumprida], Applies: c.Municipios, Pending: n[conditions.Pendente],
			Link: with(q, "condicao", string(k))}
		if k == conditions.CapacitacaoAAE {
			a := c.CapacitacaoAAE
			b.Met, b.Applies = a.Cumprida, a.SeAplica
			b.Detail = fmt.Sprintf("%s, %s", plural(a.Pendente, "pendente", "pendentes"), plural(a.Suspensa, "suspensa", "suspensas"))
		}
		b.Pct = percent(b.Met, b.Applies)
		b.Width = width(b.Met, b.Applies)
		out = append(out, b)
	}
	return out
}

// rankings are the macro, URS and núcleo rankings by share apto.
func rankings(sum monitor.Summary, q url.Values) []ranking {
	build := func(id, title, column, param string, groups []monitor.Group) ranking {
		r := ranking{ID: id, Title: title, Column: column}
		for i, g := range monitor.Ranking(groups) {
			r.Rows = append(r.Rows, rankRow{Pos: i + 1, Name: g.Name, Link: with(q, param, g.Name), Aptos: g.Counts.Aptos(),
				Total: g.Counts.Municipios, Pct: percent(g.Counts.Aptos(), g.Counts.Municipios), Width: width(g.Counts.Aptos(), g.Counts.Municipios),
				Current: q.Get(param) != "" && (q.Get(param) == g.Name || q.Get(param) == g.Code)})
		}
		return r
	}
	return []ranking{
		build("ranking-macro", "Macrorregiões", "Macrorregião", "macro", sum.Macros),
		build("ranking-nucleo", "Núcleos", "Núcleo", "nucleo", sum.Nucleos),
		build("ranking-urs", "URS", "URS", "urs", sum.URS),
	}
}

// plural writes n with the singular or plural word.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return present.Thousands(n) + " " + many
}

// width is n/total as a CSS percentage (for bars).
func width(n, total int) string {
	if total == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(total))
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

// sortByName orders rows as people read names (accents folded).
func sortByName(rows []tableRow) {
	sort.SliceStable(rows, func(i, j int) bool { return textnorm.Fold(rows[i].Name) < textnorm.Fold(rows[j].Name) })
}

// tableJSON is the whole table for app.js, one array per row: IBGE,
// name, macro, URS, núcleo, situação, class, what is missing.
func tableJSON(rows []tableRow) (template.JS, error) {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = []any{r.IBGE, r.Name, r.Macro, r.URS, r.Nucleo, r.Situacao, r.Class, r.Faltam}
	}
	return jsonBlock(out)
}

// finderJSON lists every MG municipality for "Encontre seu município":
// IBGE code, name, situação class and words.
func finderJSON(rows []monitor.Row) (template.JS, error) {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = []any{r.Municipality.IBGE, r.Name, charts.ClassOf(r), present.Situation[r.Situation]}
	}
	return jsonBlock(out)
}

// jsonBlock marshals v for a <script type="application/json"> block;
// json.Marshal escapes <, > and &, so the text cannot close the block.
func jsonBlock(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return template.JS(b), nil
}

// updated lists the last import date of each kind of source, and the
// latest of them.
func (s *Server) updated(c *fiber.Ctx) ([]freshness, time.Time, error) {
	batches, err := s.app.Store.Batches(c.UserContext())
	if err != nil {
		return nil, time.Time{}, err
	}
	last := map[records.Kind]time.Time{}
	var latest time.Time
	for _, b := range batches {
		if b.ImportedAt.After(last[b.Kind]) {
			last[b.Kind] = b.ImportedAt
		}
		if b.ImportedAt.After(latest) {
			latest = b.ImportedAt
		}
	}
	var out []freshness
	for _, k := range records.Kinds {
		out = append(out, freshness{Label: present.KindFilesLabel(k), Short: present.KindShort(k), At: last[k]})
	}
	return out, latest, nil
}
