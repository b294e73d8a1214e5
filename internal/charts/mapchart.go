// Package charts builds the go-echarts charts of the pages: domain values
// in, an HTML fragment out. ECharts itself and the MG map are served by
// this program (see web); nothing is loaded from another host.
package charts

import (
	"fmt"
	"html/template"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/event"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
)

// MapName is the name the MG GeoJSON is registered under.
const MapName = "MG"

// RegisterMapJS returns the small script that registers the GeoJSON with
// ECharts (go-echarts has no registerMap of its own).
func RegisterMapJS(geojson []byte) []byte {
	return []byte(fmt.Sprintf("echarts.registerMap(%q, %s);\n", MapName, geojson))
}

// Class is a map colour class, explained in words in the legend.
type Class struct {
	Value int
	Label string
	Color string
}

// Classes are the situação classes: colour-blind-safe (blue for apto,
// orange to dark red for what is missing, light grey outside the stage).
var Classes = []Class{
	{1, "Apto", "#2166ac"},
	{2, "Pendente: falta 1 condição", "#fdb863"},
	{3, "Pendente: faltam 2 condições", "#e66101"},
	{4, "Pendente: faltam 3 condições", "#b2182b"},
	{5, "Pendente: faltam 4 condições", "#67001f"},
	{6, "Não contemplado nesta etapa", "#e0e0e0"},
}

// ClassOf returns a row's class value.
func ClassOf(r monitor.Row) int {
	switch r.Situation {
	case conditions.Apto:
		return 1
	case conditions.NaoContemplado:
		return 6
	}
	n := len(r.Missing())
	if n > 4 {
		n = 4
	}
	return 1 + n
}

// StateMap builds the choropleth of all municipalities coloured by class.
// Clicking a municipality opens its page.
func StateMap(rows []monitor.Row, assetsHost string) template.HTML {
	m := charts.NewMap()
	m.RegisterMapType(MapName)
	pieces := make([]opts.Piece, len(Classes))
	for i, c := range Classes {
		pieces[i] = opts.Piece{Min: float32(c.Value), Max: float32(c.Value), Color: c.Color}
	}
	show := false
	m.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{AssetsHost: assetsHost, Width: "100%", Height: "560px", ChartID: "mapa_mg"}),
		charts.WithVisualMapOpts(opts.VisualMap{Type: "piecewise", Pieces: pieces, Show: &show}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Formatter: opts.FuncOpts(tooltipJS)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithEventListeners(event.Listener{EventName: "click", Handler: opts.FuncOpts(clickJS)}),
	)
	data := make([]opts.MapData, len(rows))
	for i, r := range rows {
		data[i] = opts.MapData{Name: r.Name, Value: ClassOf(r)}
	}
	roam := true
	m.AddSeries("Situação", data, charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		s.Roam = &roam
	}))
	// No marker dot per municipality, and follow the page's width.
	m.JSFunctions.AddJSFuncs(`%MY_ECHARTS%.setOption({series: [{showLegendSymbol: false}]});`,
		`window.addEventListener('resize', function () { %MY_ECHARTS%.resize(); });`)
	snip := m.RenderSnippet()
	return template.HTML(snip.Element + snip.Script)
}

// tooltipJS reads the per-municipality details the page embeds as JSON.
const tooltipJS = `function (p) {
  var d = (window.tmDados || {})[p.name];
  if (!d) { return p.name; }
  var s = '<strong>' + d.nome + '</strong><br>' + d.macro + (d.nucleo ? ' · ' + d.nucleo : '') + '<br>Situação: ' + d.situacao;
  if (d.faltam && d.faltam.length) { s += '<br>Falta: ' + d.faltam.join(', '); }
  return s;
}`

const clickJS = `function (p) {
  var d = (window.tmDados || {})[p.name];
  if (d) { window.location.href = '/municipios/' + d.ibge; }
}`
