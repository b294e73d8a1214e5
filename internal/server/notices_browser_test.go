package server

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/ses-mg/telemonitor/internal/monitor"
)

// The URS's notices in Chromium: logged in through the form, at 1366 and
// 390 px, then printed to an A4 PDF with one page per municipality. Not
// parallel: it saves settings.
func TestBrowserNotices(t *testing.T) {
	s, a := ownDemo(t)
	admin := loggedIn(t, s, adminEmail, "10.47.0.1")
	i := ursIndex(a, "Itabira")
	if resp, body := saveSettingsForm(t, admin, url.Values{"urs_email_" + i: {ursItabiraEmail}, "urs_tel_" + i: {"(31) 3839-1234"},
		"urs_ref_" + i: {"Conceição Araújo"}, "moodle": {"https://moodle.saude.mg.gov.br/"},
		"formulario": {"https://forms.office.com/r/indicacao-ponto-focal"}}); resp.StatusCode != 303 {
		t.Fatalf("settings: %d\n%s", resp.StatusCode, body)
	}
	snap, _ := a.Snapshot(context.Background())
	n := len(snap.Select(monitor.Filter{URS: "Itabira", Situacao: "pendente"}))
	b := newBrowserFor(t, s)
	b.run(t, chromedp.Navigate(b.base+"/avisos?urs=Itabira&situacao=pendente"),
		fillLogin(ursEmail),
		chromedp.WaitVisible(chromedp.CSS(`article.aviso`)))
	text := b.text(t, `main`)
	for _, want := range []string{"Aviso de pendências", "O que fazer:", "referência: Conceição Araújo", "(31) 3839-1234",
		"https://moodle.saude.mg.gov.br/", "A quem recorrer"} {
		if !strings.Contains(text, want) {
			t.Errorf("notices page lacks %q", want)
		}
	}
	b.shotTop(t, "avisos-urs", 1366, 768)
	b.shotTop(t, "avisos-urs", 390, 844)
	b.run(t, chromedp.EmulateViewport(1366, 768))
	// A4 in the CSS page size, no margins, an untagged PDF with no outline:
	// what the test has always asked for (Chromium tags a PDF unless told not to).
	pdf := valueOf(t, b, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize(), chromedp.PDFMargin(0),
		func(p *cdppage.PrintToPDFParams) {
			no := false
			p.GenerateTaggedPDF, p.GenerateDocumentOutline = &no, &no
		}))
	path := filepath.Join(screenshotDir(t), "avisos-urs-itabira.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("pdf: %s", path)
	pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
	if pages != n {
		t.Errorf("the PDF has %d pages, want one per pendente municipality (%d)", pages, n)
	}
	// The send preview, the follow-up log and the digest, as the URS sees them.
	b.run(t, chromedp.Navigate(b.base+"/avisos/enviar?urs=Itabira&situacao=pendente"))
	if preview := b.text(t, `main`); !strings.Contains(preview, "têm o e-mail do ponto focal") {
		t.Errorf("send preview:\n%s", preview)
	}
	b.shotTop(t, "avisos-envio", 390, 844)
	b.run(t, chromedp.Navigate(b.base+"/municipios/"+cocais+"/acompanhamento"),
		chromedp.SetValue(chromedp.CSS(`textarea[name=nota]`), "Ligação para a coordenação da APS: planilha até 15/12."),
		chromedp.Click(chromedp.CSS(`form.form-config button`)),
		chromedp.WaitVisible(chromedp.CSS(`table.lista`)))
	if follow := b.text(t, `main`); !strings.Contains(follow, "planilha até 15/12") {
		t.Errorf("follow-up after recording:\n%s", follow)
	}
	b.shot(t, "acompanhamento-municipio", 390, 844)
	b.run(t, chromedp.Navigate(b.base+"/acompanhamento?urs=Itabira&sem_contato=30"), chromedp.WaitVisible(chromedp.CSS(`table.lista`)))
	b.shotTop(t, "acompanhamento-urs", 1366, 768)
	b.run(t, chromedp.Navigate(b.base+"/avisos/resumo"), chromedp.WaitVisible(chromedp.CSS(`pre.resumo-texto`)))
	b.shotTop(t, "resumo-urs", 1366, 768)
}

// The admin's settings page in Chromium (not parallel: it saves settings).
func TestBrowserSettings(t *testing.T) {
	s, _ := ownDemo(t)
	b := newBrowserFor(t, s)
	b.run(t, chromedp.Navigate(b.base+"/admin/configuracoes"),
		fillLogin(adminEmail),
		chromedp.WaitVisible(chromedp.CSS(`input[name=caixa_ses]`)),
		chromedp.SetValue(chromedp.CSS(`input[name=moodle]`), "https://moodle.saude.mg.gov.br/"),
		chromedp.Click(chromedp.CSS(`form.form-config button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.aviso-ok`)))
	b.shotTop(t, "configuracoes", 1366, 768)
	b.shotTop(t, "configuracoes", 390, 844)
}
