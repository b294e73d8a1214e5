package server

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
)

// selectOptions returns the options of a filter select as value → selected.
func selectOptions(t *testing.T, body, name string) (values []string, selected string) {
	t.Helper()
	m := regexp.MustCompile(`(?s)<select name="` + name + `">(.*?)</select>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no select %s", name)
	}
	for _, o := range regexp.MustCompile(`<option value="([^"]*)"[^>]*?( selected)?>`).FindAllStringSubmatch(m[1], -1) {
		if o[1] == "" {
			continue
		}
		values = append(values, o[1])
		if o[2] != "" {
			selected = o[1]
		}
	}
	return values, selected
}

// sameSet fails unless got holds exactly the keys of want.
func sameSet(t *testing.T, what string, got []string, want map[string]bool) {
	t.Helper()
	seen := map[string]bool{}
	for _, g := range got {
		if !want[g] {
			t.Errorf("%s: %q offered", what, g)
		}
		seen[g] = true
	}
	if len(seen) != len(want) || len(got) != len(want) {
		t.Errorf("%s: offered %v, want the %d of them", what, got, len(want))
	}
}

func demoSnapshot(t *testing.T) *monitor.Snapshot {
	t.Helper()
	snap, err := demoApp.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// The filters offer only what exists in the stage, cascade from the
// macro, and show the current value whatever form it was given in.
func TestDashboardFiltersCascade(t *testing.T) {
	s := newDemoServer(t)
	snap := demoSnapshot(t)
	macros, micros := map[string]bool{}, map[string]bool{}
	for _, r := range snap.Rows {
		if r.Situation != conditions.NaoContemplado {
			macros[r.MacroName] = true
			if r.MacroName == "LESTE" {
				micros[r.MicroName] = true
			}
		}
	}
	_, body := get(t, s, "/")
	got, _ := selectOptions(t, body, "macro")
	sameSet(t, "macros with contemplated municipalities", got, macros)
	// The macro by its code: filtered and shown as chosen.
	_, body = get(t, s, "/?macro=3106")
	if _, sel := selectOptions(t, body, "macro"); sel != "LESTE" {
		t.Errorf("?macro=3106 shows %q as chosen", sel)
	}
	gotMicros, _ := selectOptions(t, body, "micro")
	sameSet(t, "contemplated micros of LESTE", gotMicros, micros)
	if !strings.Contains(body, "Macrorregião: LESTE") {
		t.Error("no badge for the macro given by its code")
	}
}

// A filter that selects nothing says so, with a way back, and draws no
// empty chart.
func TestDashboardEmptyState(t *testing.T) {
	s := newDemoServer(t)
	resp, body := get(t, s, "/?macro=LESTE&urs=Uberaba")
	if resp.StatusCode != 200 || !strings.Contains(body, "Nenhum município contemplado com estes filtros") ||
		!strings.Contains(body, `<a href="/">volte ao painel completo</a>`) || strings.Contains(body, "data-grafico") {
		t.Errorf("empty result: %d\n%s", resp.StatusCode, dynamic.FindString(body))
	}
	if !strings.Contains(body, "URS: Uberaba") {
		t.Error("the filter that emptied the list has no badge to remove")
	}
}

// The AAE training is framed as met out of where it applies, from the
// engine's summary; rankings are by share apto; the freshness line leads.
func TestDashboardMeetingNumbers(t *testing.T) {
	s := newDemoServer(t)
	snap := demoSnapshot(t)
	sum := monitor.Summarise(snap.Select(monitor.Filter{}))
	a := sum.Estado.CapacitacaoAAE
	if a.SeAplica == 0 || a.SeAplica == sum.Estado.Municipios {
		t.Fatalf("demo data: AAE applies to %d of %d", a.SeAplica, sum.Estado.Municipios)
	}
	_, body := get(t, s, "/")
	want := fmt.Sprintf("%d de %d onde se aplica (%s)", a.Cumprida, a.SeAplica, percent(a.Cumprida, a.SeAplica))
	if !strings.Contains(body, want) {
		t.Errorf("dashboard lacks %q", want)
	}
	_, report := get(t, s, "/relatorios/imprimir")
	if !strings.Contains(report, fmt.Sprintf("%d de %d onde se aplica", a.Cumprida, a.SeAplica)) {
		t.Error("report frames the AAE training another way")
	}
	// Ranking by share apto: the first macro has the highest share.
	ranked := monitor.Ranking(sum.Macros)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].Counts.ShareApto() > ranked[j].Counts.ShareApto() })
	m := regexp.MustCompile(`(?s)<table id="ranking-macro">.*?<th scope="row"><a href="([^"]+)">([^<]+)</a>`).FindStringSubmatch(body)
	if m == nil || m[2] != ranked[0].Name || html.UnescapeString(m[1]) != "/?macro="+url.QueryEscape(ranked[0].Name) {
		t.Errorf("first in the macro ranking: %v, want %s", m, ranked[0].Name)
	}
	if !regexp.MustCompile(`<strong>Dados de \d\d/\d\d/\d{4}:</strong>\s+abrangência \d\d/\d\d/\d{4}; .*Moodle \d\d/\d\d/\d{4}`).MatchString(body) {
		t.Error("no freshness line on the dashboard")
	}
	if !strings.Contains(report, "Dados de:</strong>") || !strings.Contains(report, "Filtros aplicados:</strong> nenhum") {
		t.Error("report lacks freshness or the filter list")
	}
	_, report = get(t, s, "/relatorios/imprimir?urs=Itabira&situacao=apto")
	if !strings.Contains(report, "<li>URS: Itabira</li>") || !strings.Contains(report, "<li>Situação: Apto</li>") {
		t.Error("report does not list its filters")
	}
}

// The table's HTML holds its first rows; the JSON block holds them all.
func TestDashboardTableIsPaged(t *testing.T) {
	s := newDemoServer(t)
	_, body := get(t, s, "/")
	rows := strings.Count(body[strings.Index(body, `id="tabela-municipios"`):], "<tr><td>")
	if rows != maxTableRows {
		t.Errorf("%d rows in the HTML, want %d", rows, maxTableRows)
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="tabela-dados">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil || strings.Count(m[1], `["31`) != 465 {
		t.Errorf("table data block holds %d rows", strings.Count(m[1], `["31`))
	}
}

// /abrangencia finds any part of a name, accents ignored, and phones are
// tel: links.
func TestCoverageSearchBySubstring(t *testing.T) {
	s := newDemoServer(t)
	_, body := get(t, s, "/abrangencia?municipio=sao+joao")
	if !strings.Contains(body, "municípios com “sao joao” no nome") || !strings.Contains(body, "São João del Rei") {
		t.Errorf("'sao joao':\n%s", dynamic.FindString(body))
	}
	_, body = get(t, s, "/abrangencia?municipio=joao+del")
	if !strings.Contains(body, `href="/municipios/3162500"`) || !strings.Contains(body, `Telefone: <a href="tel:&#43;553133079201">(31) 3307-9201</a>`) {
		t.Errorf("'joao del' does not find São João del Rei with the núcleo's phone link")
	}
	_, body = get(t, s, "/ajuda")
	if !strings.Contains(body, `<a href="tel:&#43;553134099677">(31) 3409-9677</a>`) {
		t.Error("/ajuda phone is not a tel: link")
	}
}
