package charts

import (
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
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
// orange to dark red for what is missing, grey outside the stage), and a
// pale class for municipalities a filter leaves out.
var Classes = []Class{
	{1, "Apto", "#2166ac"},
	{2, "Pendente: falta 1 condição", "#fdb863"},
	{3, "Pendente: faltam 2 condições", "#e66101"},
	{4, "Pendente: faltam 3 condições", "#b2182b"},
	{5, "Pendente: faltam 4 ou mais condições", "#67001f"},
	{6, "Não contemplado nesta etapa", "#bdbdbd"},
	{7, "Fora do filtro escolhido", "#f3f3f3"},
}

// ClassOutside is the class of rows a filter leaves out.
const ClassOutside = 7

// ClassOf returns a row's situação class.
func ClassOf(r monitor.Row) int {
	switch r.Situation {
	case conditions.Apto:
		return 1
	case conditions.NaoContemplado:
		return 6
	}
	return 1 + min(len(r.Missing()), 4)
}

// NucleoClasses colour the coverage map (Okabe–Ito palette), with a class
// for a municipality listed under two núcleos, a data problem.
var NucleoClasses = []Class{
	{1, "FM-UFMG", "#0072b2"},
	{2, "Feluma", "#e69f00"},
	{3, "HC-UFMG", "#009e73"},
	{4, "Em dois núcleos (dado a corrigir)", "#d55e00"},
	{6, "Não contemplado nesta etapa", "#bdbdbd"},
}

// NucleoClass is the colour class of a núcleo's municipalities (the
// não contemplado class for "").
func NucleoClass(code string) int {
	for _, c := range NucleoClasses {
		if c.Label == code {
			return c.Value
		}
	}
	return 6
}

// Detail is what a map tooltip shows about a municipality; public data
// only.
type Detail struct {
	IBGE     string   `json:"ibge"`
	Nome     string   `json:"nome"`
	Macro    string   `json:"macro"`
	Nucleo   string   `json:"nucleo"`
	Situacao string   `json:"situacao"`
	Faltam   []string `json:"faltam,omitempty"`
	Uso      string   `json:"uso,omitempty"` // the use map's words
}

// DetailOf describes a row for the tooltip.
func DetailOf(r monitor.Row) Detail {
	d := Detail{IBGE: r.Municipality.IBGE, Nome: r.Name, Macro: r.MacroName, Nucleo: r.Nucleo(), Situacao: present.Situation[r.Situation]}
	for _, m := range r.Missing() {
		d.Faltam = append(d.Faltam, present.ConditionName[m.Condition])
	}
	return d
}

// View is where the map is centred and how far it is zoomed.
type View struct {
	Center [2]float64 `json:"center"`
	Zoom   float64    `json:"zoom"`
}

// MG's extent in degrees (the GeoJSON's bounding box, rounded out).
const (
	mgWidth  = 11.3
	mgHeight = 8.8
)

// ViewOf frames the municipality seats of rows with a margin; nil when the
// rows spread over most of the state (the whole state is shown).
func ViewOf(rows []monitor.Row) *View {
	if len(rows) == 0 {
		return nil
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, r := range rows {
		minX, maxX = math.Min(minX, r.Longitude), math.Max(maxX, r.Longitude)
		minY, maxY = math.Min(minY, r.Latitude), math.Max(maxY, r.Latitude)
	}
	w, h := math.Max(maxX-minX, 0.6)*1.6, math.Max(maxY-minY, 0.6)*1.6
	zoom := math.Min(mgWidth/w, mgHeight/h)
	if zoom <= 1.2 {
		return nil
	}
	return &View{Center: [2]float64{(minX + maxX) / 2, (minY + maxY) / 2}, Zoom: math.Round(zoom*10) / 10}
}

// SituationMap colours every municipality by situação class; rows for
// which inFilter is false get the pale class. view may be nil.
func SituationMap(id string, rows []monitor.Row, inFilter func(monitor.Row) bool, view *View) Chart {
	data := make([]opts.MapData, len(rows))
	details := make(map[string]Detail, len(rows))
	for i, r := range rows {
		class := ClassOf(r)
		if !inFilter(r) {
			class = ClassOutside
		}
		data[i] = opts.MapData{Name: r.Name, Value: class}
		details[r.Name] = DetailOf(r)
	}
	c := mapChart(id, "mapa-situacao", "Mapa de Minas Gerais colorido pela situação de cada município", Classes, data)
	c.spec[keyDetails] = details
	if view != nil {
		c.spec[keyView] = view
	}
	return c
}

// NucleoMap colours every municipality by the núcleo that serves it.
// twice holds the IBGE codes of municipalities listed under two núcleos.
func NucleoMap(id string, rows []monitor.Row, twice map[string]bool) Chart {
	data := make([]opts.MapData, len(rows))
	details := make(map[string]Detail, len(rows))
	for i, r := range rows {
		v := NucleoClass(r.Nucleo())
		if twice[r.Municipality.IBGE] {
			v = 4
		}
		data[i] = opts.MapData{Name: r.Name, Value: v}
		details[r.Name] = DetailOf(r)
	}
	c := mapChart(id, "mapa-nucleo", "Mapa de Minas Gerais colorido pelo núcleo de telessaúde de cada município", NucleoClasses, data)
	c.spec[keyDetails] = details
	return c
}

func mapChart(id, kind, label string, classes []Class, data []opts.MapData) Chart {
	m := charts.NewMap()
	m.RegisterMapType(MapName)
	pieces := make([]opts.Piece, len(classes))
	for i, c := range classes {
		pieces[i] = opts.Piece{Min: float32(c.Value), Max: float32(c.Value), Color: c.Color}
	}
	m.SetGlobalOptions(
		charts.WithVisualMapOpts(opts.VisualMap{Type: "piecewise", Pieces: pieces, Show: opts.Bool(false)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	m.AddSeries("Municípios", data, charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		s.Roam = opts.Bool(true)
	}))
	m.Validate()
	return newChart(id, kind, label, "560px", m.JSON())
}

// UseClasses colour the apto municipalities by their use of the service
// (requests per month in a period); the others are shown as not apto.
var UseClasses = []Class{
	{1, "Apto, sem solicitação no período", "#fdae61"},
	{2, "Apto, menos de 5 solicitações por mês", "#c6dbef"},
	{3, "Apto, de 5 a 20 por mês", "#6baed6"},
	{4, "Apto, mais de 20 por mês", "#08519c"},
	{5, "Ainda não apto", "#e0e0e0"},
	{6, "Não contemplado nesta etapa", "#bdbdbd"},
}

// UseClass is the use class of a municipality: apto tells whether it is,
// perMonth its requests per month in the period.
func UseClass(contemplated, apto bool, perMonth float64) int {
	switch {
	case !contemplated:
		return 6
	case !apto:
		return 5
	case perMonth == 0:
		return 1
	case perMonth < 5:
		return 2
	case perMonth <= 20:
		return 3
	}
	return 4
}

// UseMap colours every municipality by its use of the service; use gives
// an apto municipality's requests per month (absent: none).
func UseMap(id string, rows []monitor.Row, use map[string]float64) Chart {
	data := make([]opts.MapData, len(rows))
	details := make(map[string]Detail, len(rows))
	for i, r := range rows {
		apto := r.Situation == conditions.Apto
		per := use[r.Municipality.IBGE]
		data[i] = opts.MapData{Name: r.Name, Value: UseClass(r.Coverage != nil, apto, per)}
		d := DetailOf(r)
		if apto {
			d.Uso = strings.Replace(fmt.Sprintf("%.1f solicitações por mês", per), ".", ",", 1)
		}
		details[r.Name] = d
	}
	c := mapChart(id, "mapa-uso", "Mapa de Minas Gerais: uso da teleconsultoria pelos municípios aptos (solicitações por mês)", UseClasses, data)
	c.spec[keyDetails] = details
	return c
}
