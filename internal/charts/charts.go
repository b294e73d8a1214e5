// Package charts builds the pages' charts with go-echarts: domain values
// in, a Chart out. A Chart carries the ECharts options as JSON in a data
// block; web/static/app.js draws it with the ECharts copy this program
// serves, so pages need no inline script (and work under a strict CSP).
package charts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Chart is one chart of a page.
type Chart struct {
	ID     string // element id, unique on the page
	Kind   string // how app.js finishes the options: mapa-situacao, mapa-nucleo, barras, linha
	Label  string // accessible name
	Height string // CSS height
	spec   map[string]any
}

// spec keys read by app.js.
const (
	keyOptions = "opcoes"
	keyDetails = "detalhes"
	keyView    = "vista"
)

// HTML is the chart's container and its options as a JSON data block. The
// JSON is marshalled with HTML escaping, so it cannot close the block.
// The container's height is set in its style, so nothing moves when the
// chart is drawn (app.js draws it when it scrolls into view): a map keeps
// the state's proportions (app.css) up to its height.
func (c Chart) HTML() (template.HTML, error) {
	blob, err := json.Marshal(c.spec)
	if err != nil {
		return "", fmt.Errorf("charts: %s: %w", c.ID, err)
	}
	var b bytes.Buffer
	esc := template.HTMLEscapeString
	size := "height"
	if strings.HasPrefix(c.Kind, "mapa") {
		size = "max-height"
	}
	fmt.Fprintf(&b, `<div class="grafico" id="%s" data-grafico="%s" role="img" aria-label="%s" style="%s: %s"></div>`,
		esc(c.ID), esc(c.Kind), esc(c.Label), size, esc(c.Height))
	fmt.Fprintf(&b, `<script type="application/json" id="%s-dados">%s</script>`, esc(c.ID), blob)
	return template.HTML(b.String()), nil
}

// ClassCSS is the stylesheet of the colour classes (legends, table
// badges): .c<value> for situação classes and .n<value> for núcleo
// classes, generated from the same lists the charts use.
func ClassCSS() []byte {
	var b bytes.Buffer
	for _, set := range []struct {
		prefix  string
		classes []Class
	}{{"c", Classes}, {"n", NucleoClasses}, {"u", UseClasses}} {
		for _, c := range set.classes {
			fmt.Fprintf(&b, ".cor.%s%d, .sit.%s%d { background: %s; color: %s; }\n", set.prefix, c.Value, set.prefix, c.Value, c.Color, textOn(c.Color))
		}
	}
	return b.Bytes()
}

// textOn picks black or white text for a background, whichever contrasts
// more (WCAG relative luminance).
func textOn(hex string) string {
	var r, g, bl int
	fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &bl)
	lum := 0.2126*linear(r) + 0.7152*linear(g) + 0.0722*linear(bl)
	if (lum+0.05)/0.05 >= 1.05/(lum+0.05) {
		return "#000"
	}
	return "#fff"
}

func linear(v int) float64 {
	c := float64(v) / 255
	if c <= 0.03928 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

// Options returns the ECharts options (for tests).
func (c Chart) Options() map[string]any { return c.spec[keyOptions].(map[string]any) }

func newChart(id, kind, label, height string, options map[string]any) Chart {
	return Chart{ID: id, Kind: kind, Label: label, Height: height, spec: map[string]any{keyOptions: options}}
}

func px(n int) string { return fmt.Sprintf("%dpx", n) }
