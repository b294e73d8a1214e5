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
		chromium.err = chromedp.Do(ctx)
	})
	if chromium.err != nil {
		t.Fatalf("starting Chromium: %v", chromium.err)
	}
	return chromium.ctx
}

// newTab opens a 1366×768 tab of the shared Chromium in a browser context
// of its own, closed with the test. The browser context and the tab are
// created here, so that the tab opens in a new window of that size
// (headless Chromium opens a tab in a new context only in a new window).
// listen gets every event of the tab from its first message.
func newTab(t *testing.T, listen func(ev any)) (context.Context, cdp.BrowserContextID) {
	t.Helper()
	shared := sharedChromium(t)
	bc, err := chromedp.CallBrowser(shared, target.CreateBrowserContext, target.CreateBrowserContextParams{})
	if err != nil {
		t.Fatal(err)
	}
	id := bc.BrowserContextID
	newWindow, focus := true, false // a new window, without taking the focus from the other tests' windows
	tab, err := chromedp.CallBrowser(shared, target.CreateTarget, target.CreateTargetParams{URL: "about:blank",
		BrowserContextID: id, NewWindow: &newWindow, Focus: &focus, Width: 1366, Height: 768})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := chromedp.NewContext(shared, chromedp.WithTargetID(tab.TargetID), chromedp.WithListener(listen))
	t.Cleanup(func() {
		cancel()
		if _, err := chromedp.CallBrowser(shared, target.DisposeBrowserContext,
			target.DisposeBrowserContextParams{BrowserContextID: id}); err != nil {
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

	_, port, _ := net.SplitHostPort(ln.Addr().String())
	b := &browser{base: "http://" + net.JoinHostPort(host, port), host: host}
	tab, browserContext := newTab(t, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			b.errors = append(b.errors, (&chromedp.ExceptionError{ExceptionDetails: e.ExceptionDetails}).Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value))
				}
				b.errors = append(b.errors, "console.error: "+strings.Join(parts, " "))
			}
		case *cdplog.EventEntryAdded: // CSP violations and failed loads land here
			if e.Entry.Level == cdplog.EntryLevelError {
				b.errors = append(b.errors, "log: "+e.Entry.Text)
			}
		case *network.EventRequestWillBeSent:
			b.urls = append(b.urls, e.Request.URL)
		}
	})
	ctx, cancelTimeout := context.WithTimeout(tab, 90*time.Second)
	t.Cleanup(cancelTimeout)
	b.ctx, b.browserContext = ctx, browserContext
	b.run(t, command(network.Enable, network.EnableParams{}), command(runtime.Enable, cdp.Empty{}), command(cdplog.Enable, cdp.Empty{}))
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

// step is a chromedp action that returns no value.
type step = chromedp.Action[chromedp.Void]

// run runs the steps in b's tab, in order; an error fails the test.
func (b *browser) run(t *testing.T, steps ...step) {
	t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// valueOf runs an action that returns a value (a text, a JavaScript result, a
// screenshot) in b's tab and returns the value; an error fails the test.
func valueOf[T any](t *testing.T, b *browser, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// text returns the visible text of the first element the CSS selector
// matches.
func (b *browser) text(t *testing.T, css string) string {
	t.Helper()
	return valueOf(t, b, chromedp.Text(chromedp.CSS(css)))
}

// command makes a step that sends one protocol command to the tab.
func command[P, R any](cmd cdp.Command[P, R], params P) step {
	return chromedp.Func(func(ctx context.Context, tab *chromedp.Target) error {
		_, err := cdp.Call(ctx, tab, cmd, params)
		return err
	})
}

// fillLogin fills the login form on the page and sends it.
func fillLogin(email string) step {
	return chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=senha]`), testPassword),
		chromedp.Click(chromedp.CSS(`form.entrar button`)),
	)
}

// waitCharts asks app.js to draw every chart on the page (it draws a
// chart when it scrolls into view) and waits until it has.
func waitCharts() step {
	return chromedp.Poll[chromedp.Void](`document.querySelectorAll('[data-grafico]').length > 0 && (window.tmDesenharTodos && window.tmDesenharTodos(), true) &&
		Object.keys(window.tmGraficos || {}).length === document.querySelectorAll('[data-grafico]').length`,
		chromedp.WithPollingTimeout(20*time.Second))
}

func (b *browser) shot(t *testing.T, name string, width, height int64) {
	t.Helper()
	b.run(t, chromedp.EmulateViewport(width, height), chromedp.Sleep(300*time.Millisecond))
	saveShot(t, name, width, height, valueOf(t, b, chromedp.FullScreenshot(100)))
}

// shotTop saves what the first screen shows (long pages).
func (b *browser) shotTop(t *testing.T, name string, width, height int64) {
	t.Helper()
	b.run(t, chromedp.EmulateViewport(width, height))
	saveShot(t, name, width, height, valueOf(t, b, chromedp.CaptureScreenshot()))
}

// saveShot writes a screenshot to the screenshot folder.
func saveShot(t *testing.T, name string, width, height int64, png []byte) {
	t.Helper()
	path := filepath.Join(screenshotDir(t), fmt.Sprintf("%s_%dx%d.png", name, width, height))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func TestBrowserMapDrawsAndClickOpensMunicipality(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(b.base+"/"), waitCharts())
	series := valueOf(t, b, chromedp.Evaluate[int](`tmGraficos.mapa.getOption().series[0].data.length`))
	features := valueOf(t, b, chromedp.Evaluate[int](`echarts.getMap('MG').geoJSON.features.length`))
	if series != 853 || features != 853 {
		t.Fatalf("map has %d data items and %d shapes, want 853", series, features)
	}
	b.shot(t, "painel", 1366, 768)
	b.shot(t, "painel", 390, 844)

	// Click the centre of Belo Horizonte (its seat's coordinates).
	b.run(t, chromedp.EmulateViewport(1366, 768),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('mapa').scrollIntoView({block: 'center'})`),
		chromedp.Sleep(200*time.Millisecond))
	xy := valueOf(t, b, chromedp.Evaluate[[]float64](`(function () {
			var p = tmGraficos.mapa.convertToPixel({seriesIndex: 0}, [-43.9266, -19.9102]);
			var r = document.getElementById('mapa').getBoundingClientRect();
			return [r.left + p[0], r.top + p[1]];
		})()`))
	b.run(t, chromedp.MouseClickXY(xy[0], xy[1]),
		chromedp.WaitVisible(`.ficha-topo h1`))
	loc := valueOf(t, b, chromedp.Location())
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
	readState := chromedp.Evaluate[filterState](readFilterState)
	b.run(t, chromedp.Navigate(b.base+"/"), waitCharts())
	before := valueOf(t, b, readState)
	// Choose LESTE as a person would; the change event submits the form, so
	// it is dispatched after this evaluation has returned (otherwise
	// chromedp may re-run the expression in the page being replaced).
	b.run(t, chromedp.Evaluate[chromedp.Void](`(function () {
			var s = document.querySelector('select[name=macro]');
			s.value = 'LESTE';
			setTimeout(function () { s.dispatchEvent(new Event('change')); }, 0);
		})()`),
		chromedp.WaitVisible(`.selo`), waitCharts())
	after := valueOf(t, b, readState)
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
	loc := valueOf(t, b, chromedp.Location())
	b.run(t, chromedp.Navigate(loc), chromedp.WaitVisible(`.selo`), waitCharts())
	reloaded := valueOf(t, b, readState)
	if fmt.Sprint(reloaded) != fmt.Sprint(after) {
		t.Errorf("after reload: %+v\nwant %+v", reloaded, after)
	}
	// Removing the badge goes back to the whole state.
	b.run(t, chromedp.Click(chromedp.CSS(`.selo`)), chromedp.WaitNotPresent(chromedp.CSS(`.selo`)), waitCharts())
	back := valueOf(t, b, readState)
	if back.TableRows != before.TableRows || back.URL != "" && back.URL != "?" {
		t.Errorf("after removing the badge: %+v", back)
	}
}

func TestBrowserTableSearchIgnoresAccents(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(b.base+"/"), waitCharts(),
		chromedp.SendKeys(chromedp.ID(`busca-municipio`), "acucena"))
	shown := valueOf(t, b, chromedp.Evaluate[int](`document.querySelectorAll('#tabela-municipios tbody tr').length`))
	first := b.text(t, `#tabela-municipios tbody tr td a`)
	if shown != 1 || first != "Açucena" {
		t.Errorf("search 'acucena': %d rows, first %q", shown, first)
	}
}

// selfCheck fills the self-check form on the page and sends it.
func selfCheck(cpf, email string) step {
	return chromedp.Steps(
		chromedp.SendKeys(chromedp.CSS(`input[name=cpf]`), cpf),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.Click(chromedp.CSS(`form.autoconsulta button`)),
	)
}

func TestBrowserSelfCheck(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	cpf, email := registeredProfessional(t)
	b.run(t, chromedp.Navigate(b.base+"/profissional"), selfCheck(cpf, email),
		chromedp.WaitVisible(chromedp.CSS(`ol.caminho`)))
	text := b.text(t, `main`)
	if !strings.Contains(text, "(a) Cadastro na plataforma") || !strings.Contains(text, "(d) Acesso à plataforma") {
		t.Errorf("matching professional sees:\n%s", text)
	}
	b.shot(t, "profissional", 1366, 768)
	b.shot(t, "profissional", 390, 844)
	b.run(t, chromedp.Navigate(b.base+"/profissional"), selfCheck("529.982.247-25", "ninguem@example.org"),
		chromedp.WaitVisible(`//h2[contains(., "Cadastro não encontrado")]`))
	if text := b.text(t, `main`); strings.Contains(text, "Seu caminho") {
		t.Error("a non-matching CPF got the steps")
	}
}

func TestBrowserCoverageAndHelpPages(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(b.base+"/abrangencia?municipio=itabira"), waitCharts())
	items := valueOf(t, b, chromedp.Evaluate[int](`tmGraficos['mapa-nucleos'].getOption().series[0].data.length`))
	if items != 853 {
		t.Errorf("coverage map has %d items", items)
	}
	b.shot(t, "abrangencia", 1366, 768)
	b.shot(t, "abrangencia", 390, 844)
	b.run(t, chromedp.Navigate(b.base+"/ajuda"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
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
	err := chromedp.Listen(b.ctx, func(ev any) {
		if e, ok := ev.(*cdpbrowser.EventDownloadProgress); ok && e.State == cdpbrowser.DownloadProgressStateCompleted {
			select { // the listener must not block; the first download is the one
			case done <- e.GUID:
			default:
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	events := true
	b.run(t, command(cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &events,
		BrowserContextID: b.browserContext}),
		chromedp.Navigate(b.base+"/municipios/"+cocais+"/profissionais"),
		fillLogin(ursEmail),
		chromedp.WaitVisible(chromedp.CSS(`td.cpf`))) // back where the login was asked
	cpf := b.text(t, `td.cpf`)
	if !regexp.MustCompile(`^\*\*\*\.\d{3}\.\d{3}-\*\*$`).MatchString(cpf) {
		t.Errorf("CPF on the URS page: %q", cpf)
	}
	b.shot(t, "profissionais-urs", 1366, 768)
	b.run(t, chromedp.Navigate(b.base+"/conta"))
	account := b.text(t, `main`)
	b.run(t, chromedp.Navigate(b.base+"/municipios/"+bh+"/profissionais"))
	denied := b.text(t, `main`)
	if !strings.Contains(account, "URS Itabira") || !strings.Contains(account, "Barão de Cocais") || strings.Contains(account, "Belo Horizonte") {
		t.Errorf("account page:\n%s", account)
	}
	if !strings.Contains(denied, "não permite") {
		t.Errorf("another URS's municipality:\n%s", denied)
	}
	b.run(t, chromedp.Navigate(b.base+"/conta"), chromedp.Click(chromedp.CSS(`a[href="/exportar/profissionais.xlsx?urs=Itabira"]`)))
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
	// (Without ?volta= an URS user lands on the URS's dashboard.)
	b.run(t, chromedp.Navigate(b.base+"/entrar?volta=/conta"),
		fillLogin(ursEmail),
		// Logged in, a URS user lands on the URS's dashboard; the account
		// page proves the session cookie came back over plain HTTP.
		chromedp.WaitVisible(chromedp.CSS(`form.sessao`)),
		chromedp.Navigate(b.base+"/conta"),
		chromedp.WaitVisible(`//h1[contains(., "Minha área")]`))
	if account := b.text(t, `main`); !strings.Contains(account, "URS Itabira") {
		t.Errorf("after login over plain HTTP:\n%s", account)
	}
	b.shot(t, "intranet-conta", 1366, 768)
	cpf, email := registeredProfessional(t)
	b.run(t, chromedp.Navigate(b.base+"/profissional"), selfCheck(cpf, email),
		chromedp.WaitVisible(chromedp.CSS(`ol.caminho`)))
	if text := b.text(t, `main`); strings.Contains(text, "expirou") || !strings.Contains(text, "(a) Cadastro na plataforma") {
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
	b.run(t, chromedp.Navigate(b.base+"/importacoes"),
		fillLogin(adminEmail),
		chromedp.WaitVisible(chromedp.CSS(`input[type=file]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type=file]`), []string{archive}),
		chromedp.Click(chromedp.CSS(`form[enctype] button`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[text()="Prévia da importação"]`)))
	preview := b.text(t, `main`)
	b.shotTop(t, "importacao-previa", 1366, 900)
	for _, want := range []string{"abrangencia.xlsx", "Regiões de abrangência", "Conclusões do Moodle", "mudariam de situação ou de condição (465)", "Linhas rejeitadas em"} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	b.run(t, chromedp.Click(chromedp.Search(`//button[text()="Confirmar e importar"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[text()="Importação concluída"]`)))
	b.text(t, `main`) // the result page has its text; what was imported is checked in the store
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
	b.run(t, chromedp.Navigate(b.base+"/importacoes"))
	history := b.text(t, `main`)
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
	b.run(t, chromedp.Navigate(b.base+"/entrar"),
		fillLogin(adminEmail),
		chromedp.WaitVisible(chromedp.CSS(`form.sessao`)),
		chromedp.Navigate(b.base+"/conciliacao"),
		chromedp.WaitVisible(`//h1[contains(., "Conciliação")]`))
	desk := b.text(t, `main`)
	if !strings.Contains(desk, "Confirmar vínculo") || !strings.Contains(desk, "Evidência:") {
		t.Errorf("desk:\n%.2000s", desk)
	}
	b.shotTop(t, "conciliacao", 1366, 900)
	b.shotTop(t, "conciliacao", 390, 844)
	b.run(t, chromedp.Navigate(b.base+"/mudancas?de=2024-01-01&ate=2030-12-31&urs=Itabira"),
		chromedp.WaitVisible(`//h1[contains(., "O que mudou")]`))
	changes := b.text(t, `main`)
	if !strings.Contains(changes, "Ficaram aptos") {
		t.Errorf("changes:\n%.1000s", changes)
	}
	b.shotTop(t, "mudancas", 1366, 900)
	b.shotTop(t, "mudancas", 390, 844)
	b.run(t, chromedp.Navigate(b.base+"/qualidade"), chromedp.WaitVisible(`//h1[contains(., "Qualidade dos dados")]`))
	quality := b.text(t, `main`)
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
	b.run(t, chromedp.Navigate(b.base+"/teleconsultorias?de=2025-01-01&ate=2025-06-30"), waitCharts())
	items := valueOf(t, b, chromedp.Evaluate[int](`tmGraficos['mapa-uso'].getOption().series[0].data.length`))
	tip := valueOf(t, b, chromedp.Evaluate[string](`JSON.parse(document.getElementById('mapa-uso-dados').textContent).detalhes['Rochedo de Minas'].uso || ''`))
	if items != 853 {
		t.Errorf("use map has %d municipalities", items)
	}
	if !strings.Contains(tip, "solicitações por mês") {
		t.Errorf("an apto municipality's use in the tooltip: %q", tip)
	}
	b.shot(t, "teleconsultorias", 1366, 900)
	b.shotTop(t, "teleconsultorias", 390, 844)
}
