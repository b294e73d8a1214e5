package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
)

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
