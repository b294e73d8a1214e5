package server

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// publicPages are the pages every visitor can open, as a phone opens them.
var publicPages = []string{"/", "/?macro=LESTE", "/?macro=LESTE&urs=Uberaba", "/abrangencia", "/abrangencia?municipio=sao+joao",
	"/municipios/3131703", "/municipios/3156205", "/municipios/3100104", "/ajuda", "/profissional", "/relatorios/imprimir?urs=Itabira", "/nada"}

// overflow is the width by which the page is wider than the screen.
const overflow = `document.documentElement.scrollWidth - document.documentElement.clientWidth`

// On a 360 px phone no public page scrolls sideways, and every control
// (buttons, fields, the menu, lists of links) is at least 44 px tall;
// links inside a sentence are exempt, as WCAG 2.5.8 exempts them.
func TestBrowserPhoneNoOverflow(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	b.allow = "status of 404 (Not Found)"
	for _, u := range publicPages {
		b.run(t, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch), chromedp.Navigate(b.base+u),
			chromedp.WaitVisible(chromedp.CSS(`main h1`)), chromedp.Sleep(150*time.Millisecond))
		extra := valueOf(t, b, chromedp.Evaluate[int](overflow))
		small := valueOf(t, b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('main button, main select, main input:not([type=hidden]), header summary, header nav a, a.botao, .selo, .encontre-lista a, .barras a, .ranking a, #tabela-municipios a, .trilha a'))
				.filter(function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.height < 44; })
				.map(function (e) { return e.tagName + ' ' + (e.textContent || e.name).trim().slice(0, 30) + ' ' + Math.round(e.getBoundingClientRect().height); })`))
		if extra > 0 {
			t.Errorf("%s: %d px wider than a 360 px screen", u, extra)
		}
		if len(small) > 0 {
			t.Errorf("%s: tap targets under 44 px: %s", u, strings.Join(small, "; "))
		}
	}
}

// A focal point on a 390 px phone finds the municipality from the top of
// the dashboard in one search, without accents, by part of the name.
func TestBrowserPhoneFindMunicipality(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	b.run(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch), chromedp.Navigate(b.base+"/"),
		chromedp.WaitVisible(chromedp.ID(`encontre`)))
	top := valueOf(t, b, chromedp.Evaluate[float64](`document.getElementById('encontre').getBoundingClientRect().top`))
	b.run(t, chromedp.SendKeys(chromedp.ID(`encontre`), "sao joao d"),
		chromedp.WaitVisible(chromedp.CSS(`#encontre-lista a`)))
	items := valueOf(t, b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#encontre-lista a')).map(function (a) { return a.textContent; })`))
	if top > 300 {
		t.Errorf("the search box is %.0f px down the phone screen", top)
	}
	if len(items) < 2 || !contains(items, "São João del Rei") {
		t.Errorf("'sao joao d' suggests %v", items)
	}
	b.shotTop(t, "painel-encontre", 390, 844)
	b.run(t, chromedp.Click(chromedp.Search(`//ul[@id="encontre-lista"]//a[text()="São João del Rei"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.ficha-topo h1`)))
	loc := valueOf(t, b, chromedp.Location())
	if !strings.HasSuffix(loc, "/municipios/3162500") {
		t.Errorf("the suggestion opened %s", loc)
	}
	// An IBGE code and Enter go straight to the municipality.
	b.run(t, chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.ID(`encontre`)),
		chromedp.SendKeys(chromedp.ID(`encontre`), "3131703\n"),
		chromedp.WaitVisible(chromedp.CSS(`.ficha-topo h1`)))
	loc = valueOf(t, b, chromedp.Location())
	if !strings.HasSuffix(loc, "/municipios/3131703") {
		t.Errorf("code + Enter opened %s", loc)
	}
	b.shot(t, "municipio-celular", 390, 844)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
