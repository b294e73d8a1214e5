package charts

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/territory"
)

func mrow(name string, lon, lat float64, sit conditions.Situation, missing int) monitor.Row {
	r := monitor.Row{Municipality: territory.Municipality{IBGE: name, Name: name, Longitude: lon, Latitude: lat}}
	r.Situation = sit
	for i := 0; i < missing; i++ {
		r.Conditions = append(r.Conditions, conditions.Result{Condition: conditions.All[i], State: conditions.Pendente})
	}
	return r
}

func TestClassOf(t *testing.T) {
	tests := []struct {
		r    monitor.Row
		want int
	}{
		{mrow("a", 0, 0, conditions.Apto, 0), 1},
		{mrow("b", 0, 0, conditions.PendenteSit, 1), 2},
		{mrow("c", 0, 0, conditions.PendenteSit, 3), 4},
		{mrow("d", 0, 0, conditions.PendenteSit, 5), 5},
		{mrow("e", 0, 0, conditions.NaoContemplado, 0), 6},
	}
	for _, tt := range tests {
		if got := ClassOf(tt.r); got != tt.want {
			t.Errorf("%s: class %d, want %d", tt.r.Name, got, tt.want)
		}
	}
}

func TestViewOf(t *testing.T) {
	state := []monitor.Row{mrow("w", -50.9, -19.5, "", 0), mrow("e", -40.2, -17, "", 0), mrow("s", -46, -22.8, "", 0), mrow("n", -45, -14.3, "", 0)}
	if v := ViewOf(state); v != nil {
		t.Errorf("whole state zoomed: %+v", v)
	}
	region := []monitor.Row{mrow("a", -43.0, -19.0, "", 0), mrow("b", -42.0, -20.0, "", 0)}
	v := ViewOf(region)
	if v == nil || v.Center != [2]float64{-42.5, -19.5} || v.Zoom < 3 {
		t.Errorf("region view = %+v", v)
	}
}

func TestSituationMapMarksRowsOutsideTheFilter(t *testing.T) {
	rows := []monitor.Row{mrow("A", 0, 0, conditions.Apto, 0), mrow("B", 0, 0, conditions.PendenteSit, 2)}
	c := SituationMap("m", rows, func(r monitor.Row) bool { return r.Name == "A" }, nil)
	b, err := json.Marshal(c.Options()["series"])
	if err != nil {
		t.Fatal(err)
	}
	var series []struct{ Data []opts.MapData }
	if err := json.Unmarshal(b, &series); err != nil {
		t.Fatal(err)
	}
	if got := series[0].Data; len(got) != 2 || got[0].Value != float64(1) || got[1].Value != float64(ClassOutside) {
		t.Errorf("data = %+v", got)
	}
	html, err := c.HTML()
	if err != nil || !strings.Contains(string(html), `data-grafico="mapa-situacao"`) || !strings.Contains(string(html), `id="m-dados"`) {
		t.Errorf("html = %.300s (%v)", html, err)
	}
}

// A name with markup cannot break out of the JSON data block.
func TestChartHTMLEscapesData(t *testing.T) {
	rows := []monitor.Row{mrow("</script><script>alert(1)</script>", 0, 0, conditions.Apto, 0)}
	html, err := SituationMap("m", rows, func(monitor.Row) bool { return true }, nil).HTML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(html), "</script>") != 1 {
		t.Errorf("data block can be closed early: %s", html)
	}
}

func TestClassCSSPicksReadableText(t *testing.T) {
	css := string(ClassCSS())
	for _, want := range []string{".cor.c1, .sit.c1 { background: #2166ac; color: #fff; }", ".cor.c2, .sit.c2 { background: #fdb863; color: #000; }",
		".cor.c5, .sit.c5 { background: #67001f; color: #fff; }", ".cor.n2, .sit.n2 { background: #e69f00; color: #000; }"} {
		if !strings.Contains(css, want) {
			t.Errorf("no %q in\n%s", want, css)
		}
	}
}
