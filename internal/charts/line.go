package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
)

// GroupOf names the group a row belongs to ("" leaves it out).
type GroupOf func(monitor.Row) string

// SituationBars stacks, per group, the municipalities by situação class
// (the map's classes, so colours mean the same on every panel).
func SituationBars(id, label string, rows []monitor.Row, groupOf GroupOf) Chart {
	var names []string
	counts := map[string][]int{}
	for _, r := range rows {
		g := groupOf(r)
		if g == "" || r.Situation == conditions.NaoContemplado {
			continue
		}
		if counts[g] == nil {
			names = append(names, g)
			counts[g] = make([]int, len(Classes)+1)
		}
		counts[g][ClassOf(r)]++
	}
	sortStrings(names)
	b := horizontalBar(names)
	for _, c := range Classes[:5] {
		data := make([]opts.BarData, len(names))
		for i, n := range names {
			data[i] = opts.BarData{Value: counts[n][c.Value]}
		}
		b.AddSeries(c.Label, data, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: c.Color}))
	}
	return finishBar(id, label, b, len(names))
}

// ConditionBars shows, per condition, how many municipalities meet it
// (for the AAE training, meet it or are not required to) and how many are
// pending.
func ConditionBars(id string, rows []monitor.Row) Chart {
	names := make([]string, len(conditions.All))
	met := make([]opts.BarData, len(conditions.All))
	pending := make([]opts.BarData, len(conditions.All))
	for i, k := range conditions.All {
		names[i] = present.ConditionName[k]
		m, p := 0, 0
		for _, r := range rows {
			switch r.State(k) {
			case conditions.Pendente:
				p++
			case "":
			default:
				m++
			}
		}
		met[i], pending[i] = opts.BarData{Value: m}, opts.BarData{Value: p}
	}
	b := horizontalBar(names)
	b.AddSeries("Cumprida (ou não exigida)", met, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: Classes[0].Color}))
	b.AddSeries("Pendente", pending, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: Classes[2].Color}))
	return finishBar(id, "Quantos municípios cumprem cada condição", b, len(names))
}

func horizontalBar(categories []string) *charts.Bar {
	b := charts.NewBar()
	b.SetXAxis(categories)
	b.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "12", Right: "24", Top: "8", Bottom: "64", ContainLabel: opts.Bool(true)}),
	)
	b.XYReversal()
	return b
}

func finishBar(id, label string, b *charts.Bar, n int) Chart {
	b.Validate()
	height := 120 + 28*n
	return newChart(id, "barras", label, px(height), b.JSON())
}

// AptosLine draws the number of apto municipalities over time.
func AptosLine(id string, points []monitor.Point) Chart {
	l := charts.NewLine()
	x := make([]string, len(points))
	y := make([]opts.LineData, len(points))
	for i, p := range points {
		x[i] = present.Date(p.Date)
		y[i] = opts.LineData{Value: p.Aptos}
	}
	l.SetXAxis(x)
	l.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "24", Top: "16", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{MinInterval: 1}),
	)
	l.AddSeries("Municípios aptos", y, charts.WithLineChartOpts(opts.LineChart{Step: "end"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: Classes[0].Color}))
	l.Validate()
	return newChart(id, "linha", "Municípios aptos ao longo do tempo", "260px", l.JSON())
}
