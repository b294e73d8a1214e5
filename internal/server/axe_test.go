package server

import (
	_ "embed"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, vendored (testdata/axe/README.md): CI checks
// accessibility in the browser tests' Chromium, without npm.
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// axeTags are the rules checked: WCAG 2.0, 2.1 and 2.2, levels A and AA,
// and axe's best practices.
const axeTags = `['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']`

// axeViolation is one rule axe found broken, with where.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeRun injects axe into the page shown (once per page) and returns its
// violations, after drawing every chart.
func (b *browser) axeRun(t *testing.T) []axeViolation {
	t.Helper()
	b.run(t, chromedp.Evaluate[chromedp.Void](`window.tmDesenharTodos && window.tmDesenharTodos(); true`),
		chromedp.Poll[chromedp.Void](`!document.querySelector('[data-grafico]') || Object.keys(window.tmGraficos || {}).length === document.querySelectorAll('[data-grafico]').length`,
			chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Evaluate[chromedp.Void](`window.axe ? true : (function () { `+axeSource+`; return true; })()`))
	return valueOf(t, b, chromedp.Evaluate[[]axeViolation](`axe.run(document, {runOnly: {type: 'tag', values: `+axeTags+`}, resultTypes: ['violations']}).then(function (r) {
			return r.violations.map(function (v) {
				return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' ') + ' ' + n.html.slice(0, 120); })};
			});
		})`, chromedp.EvalAwaitPromise))
}

func reportAxe(t *testing.T, where string, vs []axeViolation) {
	t.Helper()
	for _, v := range vs {
		t.Errorf("axe %s: %s (%s): %s\n  %s", where, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
	}
}

// Every page, public and logged in, has no axe violation at WCAG 2.2 AA
// (and best practices), at 1366 px and, for the pages a phone opens, at
// 390 px with the phone's menu open. The pages are checked in four tabs
// side by side.
func TestBrowserAxeEveryPage(t *testing.T) {
	t.Parallel()
	usersOnce.Do(func() { newDemoServer(t); addUsers(t, demoApp.Store) })
	desktop := func(u string) step {
		return chromedp.Steps(chromedp.EmulateViewport(1366, 900), chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	}
	phone := func(u string) step {
		return chromedp.Steps(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(u),
			chromedp.WaitVisible(chromedp.CSS(`main h1`)), chromedp.Click(chromedp.CSS(`details.menu > summary`)))
	}
	tabs := []struct {
		name  string
		pages []string
		open  func(string) step
		login string // the user logged in first, if any
		label string // after the page in a violation
	}{
		{"public", []string{"/", "/?macro=LESTE&urs=Uberaba", "/abrangencia?municipio=sao+joao",
			"/abrangencia?municipio=itabira", "/municipios/3131703", "/municipios/3100104"}, desktop, "", ""},
		{"public-2", []string{"/ajuda", "/profissional", "/relatorios/imprimir?urs=Itabira", "/mudancas", "/teleconsultorias",
			"/entrar", "/nada"}, desktop, "", ""},
		{"phone", []string{"/", "/municipios/3131703", "/ajuda"}, phone, "", " at 390 px"},
		{"admin", []string{"/", "/conta", "/municipios/3131703", "/municipios/3131703/profissionais", "/importacoes",
			"/admin/auditoria"}, desktop, adminEmail, " (admin)"},
	}
	for _, tab := range tabs {
		t.Run(tab.name, func(t *testing.T) {
			t.Parallel()
			b := newBrowser(t)
			if slices.Contains(tab.pages, "/nada") {
				b.allow = "status of 404 (Not Found)" // on purpose
			}
			if tab.login != "" {
				b.run(t, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(b.base+"/entrar"),
					fillLogin(tab.login), chromedp.WaitVisible(chromedp.CSS(`form.sessao`)))
			}
			for _, u := range tab.pages {
				b.run(t, tab.open(b.base+u))
				reportAxe(t, u+tab.label, b.axeRun(t))
			}
		})
	}
}
