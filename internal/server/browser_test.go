package server

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/xuri/excelize/v2"
)

// The browser tests drive Debian's Chromium (CHROMIUM, default
// /usr/bin/chromium) against a server on 127.0.0.1 with the demo data.
// Screenshots go to SCREENSHOTS_DIR (default <repository>/tmp/screenshots)
// and the folder is printed. They run in parallel, each in a tab of one
// shared Chromium, except those that save settings: the settings in force
// are the process's (guidance.Use), read by every page.

func chromiumPath(t *testing.T) string {
	p := os.Getenv("CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("browser tests need Chromium at %s (apt-get install -y chromium, or set CHROMIUM): %v", p, err)
	}
	return p
}

func screenshotDir(t *testing.T) string {
	dir := os.Getenv("SCREENSHOTS_DIR")
	if dir == "" {
		abs, err := filepath.Abs("../../tmp/screenshots")
		if err != nil {
			t.Fatal(err)
		}
		dir = abs
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browser is one Chromium tab on a live server, recording console errors
// and every URL the page requests.
type browser struct {
	ctx            context.Context
	browserContext cdp.BrowserContextID // the tab's cookies and downloads
	base           string
	mu             sync.Mutex
	errors         []string
	urls           []string
	allow          string // an error the test provokes on purpose
	host           string // the server's host name
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	newDemoServer(t)
	// A server of its own: the self-check rate limit is per server, and a
	// browser's requests all come from 127.0.0.1.
	return newBrowserFor(t, mustNew(t, Options{}))
}

// newBrowserFor drives Chromium against server s.
func newBrowserFor(t *testing.T, s *Server) *browser {
	t.Helper()
	return newBrowserAt(t, s, "127.0.0.1")
}

// intranetHost is a name that is not localhost, so not a secure context,
// as an intranet server's is not; Chromium resolves it to 127.0.0.1.
const intranetHost = "telemonitor.intranet"

// chromium is the one Chromium the package's browser tests share (TestMain
// stops it); each test opens a tab in a browser context of its own, with
// its own cookies and downloads, so the tests can run side by side.
var chromium struct {
	once sync.Once
	ctx  context.Context
	stop context.CancelFunc
	err  error
}

// sharedChromium starts the shared Chromium on first use.
func sharedChromium(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	chromium.once.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox,
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.WindowSize(1366, 768),
			chromedp.Flag("host-resolver-rules", "MAP "+intranetHost+" 127.0.0.1"),
		)
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(actx)
		chromium.ctx, chromium.stop = ctx, func() { cancelCtx(); cancelAlloc() }
		chromium.err = chromedp.Run(ctx)
	})
	if chromium.err != nil {
		t.Fatalf("starting Chromium: %v", chromium.err)
	}
	return chromium.ctx
}

// newTab opens a 1366×768 tab of the shared Chromium in a browser context
// of its own, closed with the test. (Headless Chromium opens a tab in a
// new context only in a new window, which chromedp's WithNewBrowserContext
// does not ask for.)
func newTab(t *testing.T) (context.Context, cdp.BrowserContextID) {
	t.Helper()
	shared := sharedChromium(t)
	browserExec := cdp.WithExecutor(shared, chromedp.FromContext(shared).Browser)
	id, err := target.CreateBrowserContext().Do(browserExec)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := target.CreateTarget("about:blank").WithBrowserContextID(id).WithNewWindow(true).
		WithWidth(1366).WithHeight(768).Do(browserExec)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := chromedp.NewContext(shared, chromedp.WithTargetID(tab))
	t.Cleanup(func() {
		cancel()
		if err := target.DisposeBrowserContext(id).Do(browserExec); err != nil {
			t.Errorf("closing the browser context: %v", err)
		}
	})
	return ctx, id
}

// newBrowserAt drives Chromium against server s under the host name host:
// 127.0.0.1 or intranetHost.
func newBrowserAt(t *testing.T, s *Server, host string) *browser {
	t.Helper()
	if host != "127.0.0.1" && host != intranetHost {
		t.Fatalf("Chromium does not resolve %s", host)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Handler().Listener(ln)
	t.Cleanup(func() { ln.Close() })

	tab, browserContext := newTab(t)
	ctx, cancelTimeout := context.WithTimeout(tab, 90*time.Second)
	t.Cleanup(cancelTimeout)

	_, port, _ := net.SplitHostPort(ln.Addr().String())
	b := &browser{ctx: ctx, browserContext: browserContext, base: "http://" + net.JoinHostPort(host, port), host: host}
	chromedp.ListenTarget(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			b.errors = append(b.errors, e.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value))
				}
				b.errors = append(b.errors, "console.error: "+strings.Join(parts, " "))
			}
		case *cdplog.EventEntryAdded: // CSP violations and failed loads land here
			if e.Entry.Level == cdplog.LevelError {
				b.errors = append(b.errors, "log: "+e.Entry.Text)
			}
		case *network.EventRequestWillBeSent:
			b.urls = append(b.urls, e.Request.URL)
		}
	})
	if err := chromedp.Run(ctx, network.Enable(), runtime.Enable(), cdplog.Enable()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.checkClean(t) })
	return b
}

// checkClean fails the test on console errors or a request that left
// localhost.
func (b *browser) checkClean(t *testing.T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errors {
		if b.allow == "" || !strings.Contains(e, b.allow) {
			t.Errorf("browser error: %s", e)
		}
	}
	for _, u := range b.urls {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "data" && p.Hostname() != b.host) {
			t.Errorf("request left the server: %s", u)
		}
	}
	if len(b.urls) == 0 {
		t.Error("no request recorded")
	}
}

func (b *browser) run(t *testing.T, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(b.ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// fillLogin fills the login form on the page and sends it.
func fillLogin(email string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.WaitVisible(`input[name=email]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=email]`, email, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=senha]`, testPassword, chromedp.ByQuery),
		chromedp.Click(`form.entrar button`, chromedp.ByQuery),
	}
}

// waitCharts asks app.js to draw every chart on the page (it draws a
// chart when it scrolls into view) and waits until it has.
func waitCharts() chromedp.Action {
	return chromedp.Poll(`document.querySelectorAll('[data-grafico]').length > 0 && (window.tmDesenharTodos && window.tmDesenharTodos(), true) &&
		Object.keys(window.tmGraficos || {}).length === document.querySelectorAll('[data-grafico]').length`, nil,
		chromedp.WithPollingTimeout(20*time.Second))
}

func (b *browser) shot(t *testing.T, name string, width, height int64) {
	t.Helper()
	var png []byte
	b.run(t, chromedp.EmulateViewport(width, height), chromedp.Sleep(300*time.Millisecond), chromedp.FullScreenshot(&png, 100))
	path := filepath.Join(screenshotDir(t), fmt.Sprintf("%s_%dx%d.png", name, width, height))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// shotTop saves what the first screen shows (long pages).
func (b *browser) shotTop(t *testing.T, name string, width, height int64) {
	t.Helper()
	var png []byte
	b.run(t, chromedp.EmulateViewport(width, height), chromedp.CaptureScreenshot(&png))
	path := filepath.Join(screenshotDir(t), fmt.Sprintf("%s_%dx%d.png", name, width, height))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func TestBrowserMapDrawsAndClickOpensMunicipality(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	var series, features int
	b.run(t, chromedp.Navigate(b.base+"/"), waitCharts(),
		chromedp.Evaluate(`tmGraficos.mapa.getOption().series[0].data.length`, &series),
		chromedp.Evaluate(`echarts.getMap('MG').geoJSON.features.length`, &features))
	if series != 853 || features != 853 {
		t.Fatalf("map has %d data items and %d shapes, want 853", series, features)
	}
	b.shot(t, "painel", 1366, 768)
	b.shot(t, "painel", 390, 844)

	// Click the centre of Belo Horizonte (its seat's coordinates).
	var xy []float64
	b.run(t, chromedp.EmulateViewport(1366, 768),
		chromedp.Evaluate(`document.getElementById('mapa').scrollIntoView({block: 'center'})`, nil),
		chromedp.Sleep(200*time.Millisecond),
		chromedp.Evaluate(`(function () {
			var p = tmGraficos.mapa.convertToPixel({seriesIndex: 0}, [-43.9266, -19.9102]);
			var r = document.getElementById('mapa').getBoundingClientRect();
			return [r.left + p[0], r.top + p[1]];
		})()`, &xy))
	var loc string
	b.run(t, chromedp.MouseClickXY(xy[0], xy[1]),
		chromedp.WaitVisible(`.ficha-topo h1`),
		chromedp.Location(&loc))
	if !strings.HasSuffix(loc, "/municipios/3106200") {
		t.Fatalf("click on Belo Horizonte opened %s", loc)
	}
	b.shot(t, "municipio", 1366, 768)
	b.shot(t, "municipio", 390, 844)
}

// filterState is what the test reads of every panel after filtering.
type filterState struct {
	URL       string   `json:"url"`
	Badges    []string `json:"badges"`
	TableRows int      `json:"tableRows"`
	Outside   int      `json:"outside"`
	Macros    []string `json:"macros"`
	Headline  string   `json:"headline"`
}

const readFilterState = `({
	url: location.search,
	badges: Array.from(document.querySelectorAll('.selo')).map(function (e) { return e.textContent.trim(); }),
	tableRows: +document.getElementById('tabela-municipios').getAttribute('data-total'),
	outside: tmGraficos.mapa.getOption().series[0].data.filter(function (d) { return d.value === 7; }).length,
	macros: Array.from(document.querySelectorAll('#ranking-macro tbody th')).map(function (e) { return e.textContent; }),
	headline: document.querySelector('.cartao .valor').textContent
})`

func TestBrowserFilterAppliesToEveryPanelAndSurvivesReload(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	snap, err := demoApp.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, r := range snap.Rows {
		if r.MacroName == "LESTE" && r.Nucleo() != "" {
			want++
		}
	}
	var before, after, reloaded filterState
	b.run(t, chromedp.Navigate(b.base+"/"), waitCharts(), chromedp.Evaluate(readFilterState, &before))
	// Choose LESTE as a person would; the change event submits the form, so
	// it is dispatched after this evaluation has returned (otherwise
	// chromedp may re-run the expression in the page being replaced).
	b.run(t, chromedp.Evaluate(`(function () {
			var s = document.querySelector('select[name=macro]');
			s.value = 'LESTE';
			setTimeout(function () { s.dispatchEvent(new Event('change')); }, 0);
		})()`, nil),
		chromedp.WaitVisible(`.selo`), waitCharts(), chromedp.Evaluate(readFilterState, &after))
	if after.URL != "?macro=LESTE" || len(after.Badges) != 1 || !strings.Contains(after.Badges[0], "LESTE") {
		t.Errorf("after choosing LESTE: url %q badges %v", after.URL, after.Badges)
	}
	if after.TableRows != want || after.Headline != fmt.Sprint(want) || before.TableRows == after.TableRows {
		t.Errorf("table rows %d (before %d), headline %s; want %d", after.TableRows, before.TableRows, after.Headline, want)
	}
	if after.Outside != 853-want || before.Outside != 0 {
		t.Errorf("map: %d municipalities outside the filter (before %d), want %d", after.Outside, before.Outside, 853-want)
	}
	if len(after.Macros) != 1 || after.Macros[0] != "LESTE" || len(before.Macros) < 2 {
		t.Errorf("bars by macro: %v (before %v)", after.Macros, before.Macros)
	}
	b.shot(t, "painel-filtrado", 1366, 768)
	var loc string
	b.run(t, chromedp.Location(&loc))
	b.run(t, chromedp.Navigate(loc), chromedp.WaitVisible(`.selo`), waitCharts(), chromedp.Evaluate(readFilterState, &reloaded))
	if fmt.Sprint(reloaded) != fmt.Sprint(after) {
		t.Errorf("after reload: %+v\nwant %+v", reloaded, after)
	}
	// Removing the badge goes back to the whole state.
	var back filterState
	b.run(t, chromedp.Click(`.selo`, chromedp.ByQuery), chromedp.WaitNotPresent(`.selo`, chromedp.ByQuery), waitCharts(),
		chromedp.Evaluate(readFilterState, &back))
	if back.TableRows != before.TableRows || back.URL != "" && back.URL != "?" {
		t.Errorf("after removing the badge: %+v", back)
	}
}

func TestBrowserTableSearchIgnoresAccents(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	var shown int
	b.run(t, chromedp.Navigate(b.base+"/"), waitCharts(),
		chromedp.SendKeys(`#busca-municipio`, "acucena", chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll('#tabela-municipios tbody tr').length`, &shown))
	var first string
	b.run(t, chromedp.Text(`#tabela-municipios tbody tr td a`, &first, chromedp.ByQuery))
	if shown != 1 || first != "Açucena" {
		t.Errorf("search 'acucena': %d rows, first %q", shown, first)
	}
}

func TestBrowserSelfCheck(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	cpf, email := registeredProfessional(t)
	var text string
	b.run(t, chromedp.Navigate(b.base+"/profissional"),
		chromedp.SendKeys(`input[name=cpf]`, cpf, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=email]`, email, chromedp.ByQuery),
		chromedp.Click(`form.autoconsulta button`, chromedp.ByQuery),
		chromedp.WaitVisible(`ol.caminho`, chromedp.ByQuery),
		chromedp.Text(`main`, &text, chromedp.ByQuery))
	if !strings.Contains(text, "(a) Cadastro na plataforma") || !strings.Contains(text, "(d) Acesso à plataforma") {
		t.Errorf("matching professional sees:\n%s", text)
	}
	b.shot(t, "profissional", 1366, 768)
	b.shot(t, "profissional", 390, 844)
	b.run(t, chromedp.Navigate(b.base+"/profissional"),
		chromedp.SendKeys(`input[name=cpf]`, "529.982.247-25", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=email]`, "ninguem@example.org", chromedp.ByQuery),
		chromedp.Click(`form.autoconsulta button`, chromedp.ByQuery),
		chromedp.WaitVisible(`//h2[contains(., "Cadastro não encontrado")]`),
		chromedp.Text(`main`, &text, chromedp.ByQuery))
	if strings.Contains(text, "Seu caminho") {
		t.Error("a non-matching CPF got the steps")
	}
}

func TestBrowserCoverageAndHelpPages(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	var items int
	b.run(t, chromedp.Navigate(b.base+"/abrangencia?municipio=itabira"), waitCharts(),
		chromedp.Evaluate(`tmGraficos['mapa-nucleos'].getOption().series[0].data.length`, &items))
	if items != 853 {
		t.Errorf("coverage map has %d items", items)
	}
	b.shot(t, "abrangencia", 1366, 768)
	b.shot(t, "abrangencia", 390, 844)
	b.run(t, chromedp.Navigate(b.base+"/ajuda"), chromedp.WaitVisible(`main h1`, chromedp.ByQuery))
	b.shot(t, "ajuda", 1366, 768)
	b.shot(t, "ajuda", 390, 844)
}

// A URS user logs in, sees the personal data of the URS's municipalities
// only, and downloads the URS's workbook with the Profissionais sheet.
func TestBrowserURSLoginAndDownload(t *testing.T) {
	t.Parallel()
	usersOnce.Do(func() { newDemoServer(t); addUsers(t, demoApp.Store) })
	b := newBrowser(t)
	b.allow = "status of 403 (Forbidden)" // the other URS's page, opened on purpose
	dir := t.TempDir()
	done := make(chan string, 1)
	chromedp.ListenTarget(b.ctx, func(ev any) {
		if e, ok := ev.(*cdpbrowser.EventDownloadProgress); ok && e.State == cdpbrowser.DownloadProgressStateCompleted {
			done <- e.GUID
		}
	})
	var account, denied string
	b.run(t, cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName).WithDownloadPath(dir).WithEventsEnabled(true).
		WithBrowserContextID(b.browserContext),
		chromedp.Navigate(b.base+"/municipios/"+cocais+"/profissionais"),
		fillLogin(ursEmail),
		chromedp.WaitVisible(`td.cpf`, chromedp.ByQuery)) // back where the login was asked
	var cpf string
	b.run(t, chromedp.Text(`td.cpf`, &cpf, chromedp.ByQuery))
	if !regexp.MustCompile(`^\*\*\*\.\d{3}\.\d{3}-\*\*$`).MatchString(cpf) {
		t.Errorf("CPF on the URS page: %q", cpf)
	}
	b.shot(t, "profissionais-urs", 1366, 768)
	b.run(t, chromedp.Navigate(b.base+"/conta"), chromedp.Text(`main`, &account, chromedp.ByQuery),
		chromedp.Navigate(b.base+"/municipios/"+bh+"/profissionais"), chromedp.Text(`main`, &denied, chromedp.ByQuery))
	if !strings.Contains(account, "URS Itabira") || !strings.Contains(account, "Barão de Cocais") || strings.Contains(account, "Belo Horizonte") {
		t.Errorf("account page:\n%s", account)
	}
	if !strings.Contains(denied, "não permite") {
		t.Errorf("another URS's municipality:\n%s", denied)
	}
	b.run(t, chromedp.Navigate(b.base+"/conta"), chromedp.Click(`a[href="/exportar/profissionais.xlsx?urs=Itabira"]`, chromedp.ByQuery))
	var guid string
	select {
	case guid = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the workbook download did not finish")
	}
	raw, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Resumo,Municípios,Pendências,Profissionais" {
		t.Errorf("sheets: %s", got)
	}
	rows, _ := f.GetRows("Profissionais")
	if len(rows) < 2 {
		t.Fatal("no professionals in the URS workbook")
	}
	for _, r := range rows[1:] {
		if r[1] != "Itabira" || !strings.HasPrefix(r[5], "***.") {
			t.Errorf("row outside the URS or with a full CPF: %v", r)
		}
	}
}

// On a plain-HTTP intranet address (a host name that is not localhost,
// so no secure context), the login and the self-check work: the cookies
// the forms need are not marked Secure there.
func TestBrowserPlainHTTPIntranet(t *testing.T) {
	t.Parallel()
	usersOnce.Do(func() { newDemoServer(t); addUsers(t, demoApp.Store) })
	b := newBrowserAt(t, mustNew(t, Options{}), intranetHost)
	var account string
	// (Without ?volta= an URS user lands on the URS's dashboard.)
	b.run(t, chromedp.Navigate(b.base+"/entrar?volta=/conta"),
		fillLogin(ursEmail),
		// Logged in, a URS user lands on the URS's dashboard; the account
		// page proves the session cookie came back over plain HTTP.
		chromedp.WaitVisible(`form.sessao`, chromedp.ByQuery),
		chromedp.Navigate(b.base+"/conta"),
		chromedp.WaitVisible(`//h1[contains(., "Minha área")]`),
		chromedp.Text(`main`, &account, chromedp.ByQuery))
	if !strings.Contains(account, "URS Itabira") {
		t.Errorf("after login over plain HTTP:\n%s", account)
	}
	b.shot(t, "intranet-conta", 1366, 768)
	cpf, email := registeredProfessional(t)
	var text string
	b.run(t, chromedp.Navigate(b.base+"/profissional"),
		chromedp.SendKeys(`input[name=cpf]`, cpf, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=email]`, email, chromedp.ByQuery),
		chromedp.Click(`form.autoconsulta button`, chromedp.ByQuery),
		chromedp.WaitVisible(`ol.caminho`, chromedp.ByQuery),
		chromedp.Text(`main`, &text, chromedp.ByQuery))
	if strings.Contains(text, "expirou") || !strings.Contains(text, "(a) Cadastro na plataforma") {
		t.Errorf("self-check over plain HTTP:\n%s", text)
	}
	b.shot(t, "intranet-profissional", 390, 844)
}

// An SES admin imports the sample files end to end in the browser: log in,
// upload a .zip of them, read the preview, confirm, see the batches.
func TestBrowserImportCentre(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	a, s := emptyServer(t, filepath.Join(dir, "t.db"))
	files, err := app.SampleFiles()
	if err != nil {
		t.Fatal(err)
	}
	samples := map[string][]byte{}
	for _, f := range files {
		b, _ := data.Samples.ReadFile(f)
		samples[f] = b
	}
	archive := filepath.Join(dir, "amostras.zip")
	if err := os.WriteFile(archive, zipOf(t, samples), 0o600); err != nil {
		t.Fatal(err)
	}
	b := newBrowserFor(t, s)
	var preview, result string
	b.run(t, chromedp.Navigate(b.base+"/importacoes"),
		fillLogin(adminEmail),
		chromedp.WaitVisible(`input[type=file]`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`input[type=file]`, []string{archive}, chromedp.ByQuery),
		chromedp.Click(`form[enctype] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`//h1[text()="Prévia da importação"]`, chromedp.BySearch),
		chromedp.Text(`main`, &preview, chromedp.ByQuery))
	b.shotTop(t, "importacao-previa", 1366, 900)
	for _, want := range []string{"abrangencia.xlsx", "Regiões de abrangência", "Conclusões do Moodle", "mudariam de situação ou de condição (465)", "Linhas rejeitadas em"} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	b.run(t, chromedp.Click(`//button[text()="Confirmar e importar"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//h1[text()="Importação concluída"]`, chromedp.BySearch),
		chromedp.Text(`main`, &result, chromedp.ByQuery))
	bs, err := a.Store.Batches(ctx)
	if err != nil || len(bs) != len(files) {
		t.Fatalf("%d batches after confirming %d files (%v)", len(bs), len(files), err)
	}
	snap, err := a.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	aptos := 0
	for _, r := range snap.Rows {
		if r.Situation == conditions.Apto {
			aptos++
		}
	}
	expected, _ := data.Samples.ReadFile("samples/expected/expected_status.csv")
	if want := strings.Count(string(expected), ",apto\n"); aptos != want || want == 0 {
		t.Errorf("%d aptos after the import, expected_status.csv has %d", aptos, want)
	}
	var history string
	b.run(t, chromedp.Navigate(b.base+"/importacoes"), chromedp.Text(`main`, &history, chromedp.ByQuery))
	if !strings.Contains(history, "Lotes importados") || !strings.Contains(history, adminEmail) {
		t.Error("the batch history does not list the import")
	}
	b.shot(t, "importacoes", 1366, 768)
}

// An SES admin opens the reconciliation desk and the comparison of two
// dates; both render without browser errors at both widths.
func TestBrowserDeskAndChanges(t *testing.T) {
	t.Parallel()
	usersOnce.Do(func() { newDemoServer(t); addUsers(t, demoApp.Store) })
	b := newBrowser(t)
	var desk, changes string
	b.run(t, chromedp.Navigate(b.base+"/entrar"),
		fillLogin(adminEmail),
		chromedp.WaitVisible(`form.sessao`, chromedp.ByQuery),
		chromedp.Navigate(b.base+"/conciliacao"),
		chromedp.WaitVisible(`//h1[contains(., "Conciliação")]`),
		chromedp.Text(`main`, &desk, chromedp.ByQuery))
	if !strings.Contains(desk, "Confirmar vínculo") || !strings.Contains(desk, "Evidência:") {
		t.Errorf("desk:\n%.2000s", desk)
	}
	b.shotTop(t, "conciliacao", 1366, 900)
	b.shotTop(t, "conciliacao", 390, 844)
	b.run(t, chromedp.Navigate(b.base+"/mudancas?de=2024-01-01&ate=2030-12-31&urs=Itabira"),
		chromedp.WaitVisible(`//h1[contains(., "O que mudou")]`),
		chromedp.Text(`main`, &changes, chromedp.ByQuery))
	if !strings.Contains(changes, "Ficaram aptos") {
		t.Errorf("changes:\n%.1000s", changes)
	}
	b.shotTop(t, "mudancas", 1366, 900)
	b.shotTop(t, "mudancas", 390, 844)
	var quality string
	b.run(t, chromedp.Navigate(b.base+"/qualidade"), chromedp.WaitVisible(`//h1[contains(., "Qualidade dos dados")]`),
		chromedp.Text(`main`, &quality, chromedp.ByQuery))
	if !strings.Contains(quality, "por motivo") {
		t.Errorf("quality:\n%.1000s", quality)
	}
	b.shot(t, "qualidade", 1366, 900)
	b.shotTop(t, "qualidade", 390, 844)
}

// The teleconsultations page draws the map of use: every municipality,
// apto ones by requests per month, with no browser error.
func TestBrowserUseMap(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	var items int
	var tip string
	b.run(t, chromedp.Navigate(b.base+"/teleconsultorias?de=2025-01-01&ate=2025-06-30"), waitCharts(),
		chromedp.Evaluate(`tmGraficos['mapa-uso'].getOption().series[0].data.length`, &items),
		chromedp.Evaluate(`JSON.parse(document.getElementById('mapa-uso-dados').textContent).detalhes['Rochedo de Minas'].uso || ''`, &tip))
	if items != 853 {
		t.Errorf("use map has %d municipalities", items)
	}
	if !strings.Contains(tip, "solicitações por mês") {
		t.Errorf("an apto municipality's use in the tooltip: %q", tip)
	}
	b.shot(t, "teleconsultorias", 1366, 900)
	b.shotTop(t, "teleconsultorias", 390, 844)
}
