package server

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/apptest"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ident"
)

var (
	demoOnce   sync.Once
	demoServer *Server
	demoApp    *app.App
	demoDir    string // removed by TestMain
)

// newDemoServer imports every sample file once for the read-only page
// tests (the database lives in a temporary folder of the first test).
func newDemoServer(t *testing.T) *Server {
	t.Helper()
	demoOnce.Do(func() {
		dir, err := newTempDir()
		if err != nil {
			t.Fatal(err)
		}
		demoDir = dir
		a, err := apptest.Samples.OpenAt(filepath.Join(dir, "demo.db"))
		if err != nil {
			t.Fatal(err)
		}
		demoApp = a
		demoServer = mustNew(t, behindTestProxy)
	})
	if demoServer == nil {
		t.Fatal("demo server not built")
	}
	return demoServer
}

// mustNew builds a server of its own over the demo database.
func mustNew(t *testing.T, opt Options) *Server {
	t.Helper()
	s, err := New(demoApp, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPages(t *testing.T) {
	s := newDemoServer(t)
	tests := []struct {
		url      string
		status   int
		contains []string
	}{
		{"/", 200, []string{"Painel estadual", "465", "127", "aptos (27,3%)", `data-grafico="mapa-situacao"`, `id="tabela-municipios"`,
			`href="/municipios/3100203"`, "Dados atualizados em", "Capacitação (Moodle):"}},
		{"/?macro=CENTRO&situacao=apto", 200, []string{`Macrorregião: CENTRO`, `Situação: Apto`, `href="?situacao=apto"`, `"vista"`, "municípios no filtro"}},
		{"/?nucleo=Feluma&condicao=planilha", 200, []string{"Núcleo: Feluma", "Condição: Planilha de cadastro pendente"}},
		{"/?macro=NOWHERE", 400, []string{"Filtro inválido", "macrorregião desconhecida"}},
		{"/abrangencia", 200, []string{`data-grafico="mapa-nucleo"`, "Núcleo FM-UFMG", "(31) 3409-9677", "388 dos 853"}},
		{"/abrangencia?municipio=SAO+JOAO+DEL+REI", 200, []string{`href="/municipios/3162500"`, "Atendido pelo núcleo"}},
		{"/abrangencia?municipio=Gotham", 200, []string{"Nenhum município de Minas Gerais"}},
		{"/municipios/3131703", 200, []string{"Itabira", "Condicionalidades", "O que fazer:", "telessaude@feluma.org.br", "URS Itabira", "Histórico"}},
		{"/municipios/313170", 200, []string{"Itabira"}},
		{"/municipios/3100104", 200, []string{"Fora da etapa atual"}},
		{"/municipios/0000000", 404, []string{"Município não encontrado"}},
		{"/nada", 404, []string{"Página não encontrada"}},
		{"/ajuda", 200, []string{"72 horas", "Gastrenterologia", "teleconsultoria@saude.mg.gov.br", "3 dias úteis"}},
		{"/profissional", 200, []string{`name="cpf"`, `name="email"`}},
		{"/municipios/3100807", 200, []string{"Aguanil", "Apto desde", "desde 04/08/2024", "Data da evidência: 28/06/2024", "registrado no painel em",
			"Capacitação APS: cumprida.", "O município ficou apto."}},
		{"/mudancas?de=01/01/2024&ate=2030-12-31", 200, []string{"O que mudou entre duas datas", "Ficaram aptos (127)",
			`href="/municipios/3100807"`, "Situação em 01/01/2024", `href="/exportar/mudancas.xlsx?ate=2030-12-31&amp;de=2024-01-01"`}},
		{"/mudancas?de=31/02/2024", 400, []string{"Data inválida"}},
		{"/?nucleo=feluma", 200, []string{"Núcleo: Feluma"}},
		{"/relatorios/imprimir?urs=Juiz+de+Fora", 200, []string{"Teleconsultorias: resposta em até 72 horas", "FM-UFMG"}},
		{"/municipios/3156205", 200, []string{"Uso da teleconsultoria", "Especialidades pedidas", "Dermatologia", "01/2025",
			"Respostas em atraso contadas em 01/07/2025 07:35, o momento"}},
	}
	for _, tt := range tests {
		resp, body := get(t, s, tt.url)
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s = %d, want %d", tt.url, resp.StatusCode, tt.status)
		}
		for _, c := range tt.contains {
			if !strings.Contains(body, c) {
				t.Errorf("GET %s: no %q", tt.url, c)
			}
		}
		if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
			t.Errorf("GET %s references another host", tt.url)
		}
	}
}

// An apto municipality's page shows no pending step; a pending one has one
// step per missing condition, with the núcleo's contact.
func TestMunicipalityPageStepsFollowTheEngine(t *testing.T) {
	s := newDemoServer(t)
	snap, err := demoApp.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checked := map[conditions.Situation]bool{}
	for _, r := range snap.Rows {
		if checked[r.Situation] {
			continue
		}
		checked[r.Situation] = true
		_, body := get(t, s, "/municipios/"+r.Municipality.IBGE)
		if got, want := strings.Count(body, "O que fazer:"), len(r.Missing()); got != want {
			t.Errorf("%s (%s): %d steps, want %d", r.Name, r.Situation, got, want)
		}
	}
	if len(checked) != 3 {
		t.Errorf("situations seen: %v", checked)
	}
}

func TestPagesAreCachedPerDataVersion(t *testing.T) {
	s := newDemoServer(t)
	resp, _ := get(t, s, "/?macro=LESTE")
	tag := resp.Header.Get("ETag")
	if tag == "" {
		t.Fatal("no ETag")
	}
	resp, body := get(t, s, "/?macro=LESTE", "If-None-Match", tag)
	if resp.StatusCode != 304 || body != "" {
		t.Errorf("If-None-Match: %d, %d bytes", resp.StatusCode, len(body))
	}
	other, _ := get(t, s, "/?macro=OESTE")
	if other.Header.Get("ETag") == tag {
		t.Error("two URLs share an ETag")
	}
}

// post sends a form as a new visitor from ip who first opened the form
// (so it carries the visitor's CSRF cookie and token).
func post(t *testing.T, s *Server, target string, form url.Values, ip string) (*http.Response, string) {
	t.Helper()
	cl := newClient(t, s, ip)
	cl.get(target)
	return cl.post(target, form)
}

// registeredProfessional returns the CPF and e-mail of an accepted
// professional of a contemplated municipality in the demo data.
func registeredProfessional(t *testing.T) (cpf, email string) {
	t.Helper()
	p, err := demoApp.Store.LoadProgramme(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The first one in IBGE order, so that every run (and every
	// screenshot of the self-check) shows the same person.
	for _, ibge := range slices.Sorted(maps.Keys(p.Inputs)) {
		in := p.Inputs[ibge]
		for _, pr := range in.Professionals {
			if pr.Email != "" && in.Coverage != nil && cpf == "" {
				cpf, email = pr.CPF, pr.Email
			}
		}
	}
	if cpf == "" {
		t.Fatal("no registered professional with an e-mail in the samples")
	}
	return cpf, email
}

var dynamic = regexp.MustCompile(`(?s)<main.*</main>`)

func TestSelfCheck(t *testing.T) {
	s := newDemoServer(t)
	cpf, email := registeredProfessional(t)
	resp, body := post(t, s, "/profissional", url.Values{"cpf": {ident.FormatCPF(cpf)}, "email": {strings.ToUpper(email)}}, "10.0.0.1")
	if resp.StatusCode != 200 || !strings.Contains(body, "Seu caminho até a teleconsultoria") || strings.Count(body, "class=\"item-") != 4 {
		t.Errorf("matching CPF and e-mail: %d\n%s", resp.StatusCode, dynamic.FindString(body))
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", resp.Header.Get("Cache-Control"))
	}
	// One visitor asks both (the page carries the visitor's CSRF token).
	visitor := newClient(t, s, "10.0.0.2")
	visitor.get("/profissional")
	_, wrongEmail := visitor.post("/profissional", url.Values{"cpf": {cpf}, "email": {"outra.pessoa@example.org"}})
	_, unknownCPF := visitor.post("/profissional", url.Values{"cpf": {"529.982.247-25"}, "email": {"outra.pessoa@example.org"}})
	if !strings.Contains(wrongEmail, "Cadastro não encontrado") || dynamic.FindString(wrongEmail) != dynamic.FindString(unknownCPF) {
		t.Errorf("the answers for a known CPF with another e-mail and an unknown CPF differ")
	}
	_, invalid := post(t, s, "/profissional", url.Values{"cpf": {"111.111.111-11"}, "email": {email}}, "10.0.0.4")
	if !strings.Contains(invalid, "não é válido") {
		t.Error("an invalid CPF is not explained")
	}
}

// The self-check is limited per CPF, so one health unit behind a single
// address can check dozens of professionals; an address still has a
// ceiling.
func TestSelfCheckIsRateLimited(t *testing.T) {
	newDemoServer(t)
	s := mustNew(t, behindTestProxy)
	form := url.Values{"cpf": {"529.982.247-25"}, "email": {"x@example.org"}}
	var last *http.Response
	var body string
	for i := 0; i <= selfCheckLimit; i++ {
		last, body = post(t, s, "/profissional", form, "10.9.9.9")
	}
	if last.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "para este CPF") {
		t.Errorf("attempt %d for one CPF: %d", selfCheckLimit+1, last.StatusCode)
	}
	if resp, _ := post(t, s, "/profissional", form, "10.9.9.10"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the same CPF from another address: %d", resp.StatusCode)
	}
	// 40 colleagues behind the unit's one address, 3 tries each: none is refused.
	cpfs := map[string]bool{}
	for n := 100000000; len(cpfs) < 40; n += 7919 {
		if c := ident.CPF(withCheckDigits(fmt.Sprintf("%09d", n)), false); c.Valid {
			cpfs[c.Canonical] = true
		}
	}
	refused := 0
	for cpf := range cpfs {
		for try := 0; try < 3; try++ {
			if resp, _ := post(t, s, "/profissional", url.Values{"cpf": {cpf}, "email": {"x@example.org"}}, "10.8.8.8"); resp.StatusCode != 200 {
				refused++
			}
		}
	}
	if refused > 0 {
		t.Errorf("%d of 120 tries of 40 professionals behind one address were refused", refused)
	}
	// The address ceiling: past it, even new CPFs are refused.
	for i := 120; i < selfCheckAddressLimit; i++ {
		post(t, s, "/profissional", url.Values{"cpf": {"1"}, "email": {"x@example.org"}}, "10.8.8.8")
	}
	if resp, body := post(t, s, "/profissional", url.Values{"cpf": {"11144477735"}, "email": {"x@example.org"}}, "10.8.8.8"); resp.StatusCode != http.StatusTooManyRequests ||
		!strings.Contains(body, "desta rede") {
		t.Errorf("past the address ceiling: %d", resp.StatusCode)
	}
}

// withCheckDigits appends a CPF's two check digits to its first nine.
func withCheckDigits(nine string) string {
	d := []byte(nine)
	for _, n := range []int{10, 11} {
		sum := 0
		for i := 0; i < n-1; i++ {
			sum += int(d[i]-'0') * (n - i)
		}
		r := sum * 10 % 11 % 10
		d = append(d, byte('0'+r))
	}
	return string(d)
}

func newTempDir() (string, error) { return os.MkdirTemp("", "telemonitor-server-test-") }

// The first visit to / (page and every asset it references) transfers at
// most 1.2 MB compressed; assets are immutable, so a repeat visit fetches
// only the page.
func TestFirstVisitWeight(t *testing.T) {
	s := newDemoServer(t)
	resp, page := get(t, s, "/", "Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("page not compressed: %q", resp.Header.Get("Content-Encoding"))
	}
	total := len(page)
	_, plain := get(t, s, "/")
	assets := regexp.MustCompile(`/static/[^"]+`).FindAllString(plain, -1)
	if len(assets) < 5 {
		t.Fatalf("page references %d assets", len(assets))
	}
	for _, a := range assets {
		r, body := get(t, s, a, "Accept-Encoding", "gzip")
		if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d %q", a, r.StatusCode, r.Header.Get("Cache-Control"))
		}
		total += len(body)
	}
	if total > 1200*1000 {
		t.Errorf("first visit transfers %d bytes, more than 1.2 MB", total)
	}
	t.Logf("first visit: %d bytes compressed", total)
}

func TestExportRoutesAndPrintableReport(t *testing.T) {
	s := newDemoServer(t)
	resp, body := get(t, s, "/exportar/municipios.xlsx?urs=Itabira")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), `condicionalidades_URS-Itabira_`) ||
		!strings.HasPrefix(body, "PK") {
		t.Errorf("xlsx: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	resp, body = get(t, s, "/exportar/municipios.csv?ibge=3131703")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "\uFEFFMacrorregião;") || strings.Count(body, "\r\n") != 2 ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "Municipio-Itabira") {
		t.Errorf("csv of one municipality: %d %q\n%s", resp.StatusCode, resp.Header.Get("Content-Disposition"), body)
	}
	if resp, _ := get(t, s, "/exportar/municipios.xlsx?urs=Nada"); resp.StatusCode != 400 {
		t.Errorf("unknown URS: %d", resp.StatusCode)
	}
	resp, body = get(t, s, "/relatorios/imprimir?urs=Itabira")
	if resp.StatusCode != 200 || !strings.Contains(body, "Abrangência:</strong> URS: Itabira") || !strings.Contains(body, `data-grafico="mapa-situacao"`) ||
		strings.Count(body, "<tr><td>") != 27 {
		t.Errorf("report: %d, %d rows", resp.StatusCode, strings.Count(body, "<tr><td>"))
	}
	_, index := get(t, s, "/?urs=Itabira")
	for _, link := range []string{`href="/exportar/municipios.xlsx?urs=Itabira"`, `href="/exportar/municipios.csv?urs=Itabira"`, `href="/relatorios/imprimir?urs=Itabira"`} {
		if !strings.Contains(index, link) {
			t.Errorf("dashboard has no %s", link)
		}
	}
}

// TestReceivedButNotAccepted: Fronteira's nomination was refused (no valid
// contact) and a row of its sheet too; its public page says so in words,
// without personal data, and the personal page lists the rows masked.
func TestReceivedButNotAccepted(t *testing.T) {
	s := demoUsers(t)
	const fronteira = "3127008"
	_, page := get(t, s, "/municipios/"+fronteira)
	for _, want := range []string{"Recebemos", "Indicação de ponto focal", "não aceita(s)</strong>: Sem contato válido",
		"Planilha de cadastro de profissionais", "CPF inválido"} {
		if !strings.Contains(page, want) {
			t.Errorf("public page lacks %q", want)
		}
	}
	pros, _ := demoApp.Store.Professionals(context.Background(), []string{fronteira})
	admin := loggedIn(t, s, adminEmail, "10.40.0.1")
	_, personal := admin.get("/municipios/" + fronteira + "/profissionais")
	for _, want := range []string{"Linhas recebidas e não aceitas", "não aceita", "CPF inválido", "***.", "/rejeicoes.xlsx"} {
		if !strings.Contains(personal, want) {
			t.Errorf("personal page lacks %q", want)
		}
	}
	for _, p := range pros {
		if strings.Contains(page, p.Name) || strings.Contains(page, p.CPF) {
			t.Errorf("public page shows %s", p.Name)
		}
	}
	if regexp.MustCompile(`\d{3}\.\d{3}\.\d{3}-\d{2}`).MatchString(page) {
		t.Error("public page shows a CPF")
	}
}

// TestDataQualityPanel: the state's panel counts the latest files'
// refusals by reason, the unmatched completions and the professionals
// without a care level, with links to fix; a URS sees its municipalities.
func TestDataQualityPanel(t *testing.T) {
	s := demoUsers(t)
	admin := loggedIn(t, s, adminEmail, "10.41.0.1")
	_, page := admin.get("/qualidade")
	for _, want := range []string{"Qualidade dos dados", "Linhas recusadas e avisos, por motivo", "Sem contato válido",
		"CPF inválido", `href="/municipios/3127008"`, "conclusões do Moodle sem profissional", `href="/conciliacao"`,
		"profissionais sem nível de atenção", "/profissionais#recebidos"} {
		if !strings.Contains(page, want) {
			t.Errorf("state panel lacks %q", want)
		}
	}
	urs := loggedIn(t, s, ursEmail, "10.41.0.2")
	_, page = urs.get("/qualidade?urs=Juiz+de+Fora") // a URS cannot pick another
	if strings.Contains(page, `href="/municipios/3127008"`) || !strings.Contains(page, "Itabira") {
		t.Error("the URS panel shows municipalities outside the URS")
	}
	for _, m := range regexp.MustCompile(`<td><a href="/municipios/(\d{7})">`).FindAllStringSubmatch(page, -1) {
		r, _ := demoApp.Territory.ByCode(m[1])
		if r.URS != "Itabira" {
			t.Errorf("URS Itabira's panel lists %s (%s)", r.Name, r.URS)
		}
	}
}

// TestTeleconsultationExports: the page's period as a workbook (one sheet
// per grouping, numbers as numbers) and as the CSV of `telemonitor sla
// --por nucleo,especialidade`, the same rows in both.
func TestTeleconsultationExports(t *testing.T) {
	s := newDemoServer(t)
	resp, csvBody := get(t, s, "/exportar/teleconsultorias.csv?de=2025-01-01&ate=2025-06-30")
	if resp.StatusCode != 200 {
		t.Fatalf("csv: %d", resp.StatusCode)
	}
	lines := strings.Split(strings.TrimSpace(csvBody), "\n")
	if lines[0] != "nucleo,especialidade,solicitacoes,respondidas,respondidas_72h,em_atraso,pct_72h,mediana_horas,p90_horas" || len(lines) < 10 {
		t.Fatalf("csv:\n%.500s", csvBody)
	}
	resp, xlsx := get(t, s, "/exportar/teleconsultorias.xlsx?de=2025-01-01&ate=2025-06-30")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "teleconsultorias_2025-01-01_a_2025-06-30.xlsx") {
		t.Fatalf("xlsx: %d %s", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	rows := sheetRows(t, []byte(xlsx), "Núcleo × especialidade")
	if len(rows) != len(lines) {
		t.Errorf("workbook has %d rows, CSV %d", len(rows), len(lines))
	}
	first := strings.Split(lines[1], ",")
	if rows[1][0] != first[0] || rows[1][1] != first[1] || rows[1][2] != first[2] {
		t.Errorf("first row differs: %v vs %v", rows[1], first)
	}
	for _, sheet := range []string{"Por núcleo", "Por especialidade", "Por mês", "Por município"} {
		if r := sheetRows(t, []byte(xlsx), sheet); len(r) < 2 {
			t.Errorf("sheet %s is empty", sheet)
		}
	}
	if regexp.MustCompile(`\d{3}\.\d{3}\.\d{3}-\d{2}|\b\d{11}\b`).MatchString(csvBody) {
		t.Error("the CSV carries a CPF")
	}
}
