package server

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/store"
)

const testPassword = "senha-de-teste-123"

// The test users of the demo database: one per role; the URS user and the
// focal point are both Itabira's.
const (
	adminEmail = "admin@teste.br"
	ursEmail   = "urs@teste.br"
	munEmail   = "pf@teste.br"
	itabira    = "3131703" // URS Itabira
	cocais     = "3105400" // Barão de Cocais, URS Itabira too
	bh         = "3106200" // URS Belo Horizonte
)

var usersOnce sync.Once

func addUsers(t *testing.T, st *store.Store) {
	t.Helper()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []store.User{
		{Email: adminEmail, Role: "admin"},
		{Email: ursEmail, Role: "urs", URS: "Itabira"},
		{Email: munEmail, Role: "municipio", IBGE: itabira},
	} {
		u.PasswordHash = hash
		if _, err := st.AddUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
}

// demoUsers returns the demo server with the test users added.
func demoUsers(t *testing.T) *Server {
	t.Helper()
	s := newDemoServer(t)
	usersOnce.Do(func() { addUsers(t, demoApp.Store) })
	return s
}

// loggedIn returns a client of s: anonymous for "", else logged in.
func loggedIn(t *testing.T, s *Server, email, ip string) *client {
	t.Helper()
	cl := newClient(t, s, ip)
	if email != "" {
		cl.login(email, testPassword)
	}
	return cl
}

func TestAuthorisationTable(t *testing.T) {
	t.Parallel()
	s := demoUsers(t)
	roles := []string{"", adminEmail, ursEmail, munEmail}
	// Status per role: public, admin, urs (Itabira), municipio (Itabira).
	const login = http.StatusSeeOther
	tests := []struct {
		url  string
		want [4]int
	}{
		{"/", [4]int{200, 200, 200, 200}},
		{"/abrangencia", [4]int{200, 200, 200, 200}},
		{"/municipios/" + itabira, [4]int{200, 200, 200, 200}},
		{"/ajuda", [4]int{200, 200, 200, 200}},
		{"/profissional", [4]int{200, 200, 200, 200}},
		{"/relatorios/imprimir?urs=Itabira", [4]int{200, 200, 200, 200}},
		{"/api/v1/municipios/" + itabira, [4]int{200, 200, 200, 200}},
		{"/exportar/municipios.xlsx?urs=Itabira", [4]int{200, 200, 200, 200}},
		{"/exportar/municipios.csv", [4]int{200, 200, 200, 200}},
		{"/conta", [4]int{login, 200, 200, 200}},
		{"/municipios/" + itabira + "/profissionais", [4]int{login, 200, 200, 200}},
		{"/municipios/" + cocais + "/profissionais", [4]int{login, 200, 200, 403}},
		{"/municipios/" + bh + "/profissionais", [4]int{login, 200, 403, 403}},
		{"/municipios/9999999/profissionais", [4]int{login, 404, 404, 404}},
		{"/exportar/profissionais.xlsx?ibge=" + itabira, [4]int{login, 200, 200, 200}},
		{"/exportar/profissionais.xlsx?urs=Itabira", [4]int{login, 200, 200, 403}},
		{"/exportar/profissionais.xlsx?urs=Diamantina", [4]int{login, 200, 403, 403}},
		{"/exportar/profissionais.xlsx", [4]int{login, 200, 403, 403}},
		{"/importacoes", [4]int{login, 200, 403, 403}},
		{"/conciliacao", [4]int{login, 200, 200, 403}},
		{"/qualidade", [4]int{login, 200, 200, 403}},
		{"/qualidade?urs=Itabira", [4]int{login, 200, 200, 403}},
		{"/conciliacao?vista=profissionais&pagina=2", [4]int{login, 200, 200, 403}},
		{"/mudancas?urs=Itabira", [4]int{200, 200, 200, 200}},
		{"/exportar/mudancas.csv?de=2024-01-01", [4]int{200, 200, 200, 200}},
		{"/importacoes/lotes/1", [4]int{login, 200, 403, 403}},
		{"/importacoes/lotes/1/original", [4]int{login, 200, 403, 403}},
		{"/importacoes/lotes/1/rejeicoes.xlsx", [4]int{login, 200, 403, 403}},
		{"/importacoes/previa/00000000000000000000000000000000", [4]int{login, 404, 403, 403}},
		{"/admin/auditoria", [4]int{login, 200, 403, 403}},
		{"/admin/auditoria.csv", [4]int{login, 200, 403, 403}},
		{"/admin/configuracoes", [4]int{login, 200, 403, 403}},
		{"/?faltam=1", [4]int{200, 200, 200, 200}},
		{"/exportar/municipios.csv?faltam=1", [4]int{200, 200, 200, 200}},
		{"/avisos", [4]int{login, 200, 200, 200}},
		{"/avisos?ibge=" + itabira, [4]int{login, 200, 200, 200}},
		{"/avisos?urs=Itabira", [4]int{login, 200, 200, 403}},
		{"/municipios/" + cocais + "/aviso", [4]int{login, 200, 200, 403}},
		{"/municipios/" + bh + "/aviso", [4]int{login, 200, 403, 403}},
		{"/municipios/9999999/aviso", [4]int{login, 404, 404, 404}},
		{"/avisos/eml?ibge=" + itabira, [4]int{login, 200, 200, 200}},
		{"/avisos/eml?urs=Itabira", [4]int{login, 200, 200, 403}},
		{"/avisos/enviar?urs=Itabira", [4]int{login, 200, 200, 403}},
		{"/avisos/resumo", [4]int{login, 400, 200, 403}},
		{"/avisos/resumo?urs=Itabira", [4]int{login, 200, 200, 403}},
		{"/acompanhamento?urs=Itabira", [4]int{login, 200, 200, 403}},
		{"/acompanhamento.csv?urs=Itabira", [4]int{login, 200, 200, 403}},
		{"/municipios/" + itabira + "/acompanhamento", [4]int{login, 200, 200, 403}},
		{"/municipios/" + bh + "/acompanhamento", [4]int{login, 200, 403, 403}},
	}
	for i, email := range roles {
		cl := loggedIn(t, s, email, fmt.Sprintf("10.20.0.%d", i+1))
		for _, tc := range tests {
			resp, _ := cl.get(tc.url)
			if resp.StatusCode != tc.want[i] {
				t.Errorf("%s as %q: %d, want %d", tc.url, email, resp.StatusCode, tc.want[i])
			}
		}
	}
}

// A professional's identifiers and name appear only where a role allows.
func TestPersonalDataExposure(t *testing.T) {
	s := demoUsers(t)
	pros, err := demoApp.Store.Professionals(context.Background(), []string{itabira})
	if err != nil || len(pros) == 0 {
		t.Fatalf("Itabira has no professionals in the samples: %v", err)
	}
	p := pros[0]
	full, masked := ident.FormatCPF(p.CPF), ident.MaskCPF(p.CPF)
	public := newClient(t, s, "10.21.0.1")
	for _, u := range []string{"/", "/municipios/" + itabira, "/api/v1/municipios/" + itabira, "/relatorios/imprimir?urs=Itabira",
		"/exportar/municipios.csv?urs=Itabira", "/mudancas?de=2024-01-01&ate=2030-12-31&urs=Itabira",
		"/exportar/mudancas.csv?de=2024-01-01&ate=2030-12-31&urs=Itabira", "/teleconsultorias"} {
		_, body := public.get(u)
		for _, secret := range []string{p.CPF, full, masked, p.Name, p.Email} {
			if secret != "" && strings.Contains(body, secret) {
				t.Errorf("public %s shows %q", u, secret)
			}
		}
	}
	urs := loggedIn(t, s, ursEmail, "10.21.0.2")
	resp, body := urs.get("/municipios/" + itabira + "/profissionais")
	if !strings.Contains(body, p.Name) || !strings.Contains(body, masked) || strings.Contains(body, full) ||
		(p.Email != "" && strings.Contains(body, p.Email)) {
		t.Errorf("URS page: name/masked CPF missing or full CPF/e-mail shown")
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("personal page Cache-Control = %q", resp.Header.Get("Cache-Control"))
	}
	admin := loggedIn(t, s, adminEmail, "10.21.0.3")
	if _, body := admin.get("/municipios/" + itabira + "/profissionais"); !strings.Contains(body, full) {
		t.Error("admin page does not show the full CPF")
	}
	// Workbooks: the URS's has masked CPFs and full contacts; the admin's full CPFs.
	for _, tc := range []struct {
		cl      *client
		wantCPF string
	}{{urs, masked}, {admin, full}} {
		resp, body := tc.cl.get("/exportar/profissionais.xlsx?urs=Itabira")
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("export: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		rows := sheetRows(t, []byte(body), export.SheetProfissionais)
		found := false
		for _, r := range rows[1:] {
			if r[4] == p.Name {
				found = true
				if r[5] != tc.wantCPF || r[0] == "" || r[2] != "Itabira" || (p.Email != "" && r[13] != p.Email) {
					t.Errorf("row %v: CPF want %s, e-mail %s", r, tc.wantCPF, p.Email)
				}
			}
			if r[1] != "Itabira" {
				t.Errorf("a municipality of URS %s in the Itabira workbook", r[1])
			}
		}
		if !found {
			t.Errorf("%s not in the Profissionais sheet", p.Name)
		}
	}
}

func sheetRows(t *testing.T, xlsx []byte, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return rows
}

func TestCSRF(t *testing.T) {
	s := demoUsers(t)
	anon := newClient(t, s, "10.22.0.1")
	anon.get("/entrar")
	creds := url.Values{"email": {ursEmail}, "senha": {testPassword}}
	for name, form := range map[string]url.Values{
		"missing": creds,
		"wrong":   {"email": creds["email"], "senha": creds["senha"], "csrf": {auth.NewToken()}},
		"empty":   {"email": creds["email"], "senha": creds["senha"], "csrf": {""}},
	} {
		req := form
		if name == "missing" {
			req = cloneQuery(form)
			req["csrf"] = nil
		}
		resp, _ := anon.do(formRequest("/entrar", req))
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("login with %s token: %d", name, resp.StatusCode)
		}
	}
	// A page of another site posting with the right token: the Origin gives it away.
	r := formRequest("/entrar", url.Values{"email": creds["email"], "senha": creds["senha"], "csrf": {anon.token()}})
	r.Header.Set("Origin", "https://outro-site.example")
	if resp, _ := anon.do(r); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin login: %d", resp.StatusCode)
	}
	// A short token planted as the cookie and sent in the form (double
	// submit with a cookie the attacker chose) is not a token.
	planted := newClient(t, s, "10.22.0.3")
	planted.cookies[csrfCookie] = "a"
	if resp, _ := planted.do(formRequest("/entrar", url.Values{"email": creds["email"], "senha": creds["senha"], "csrf": {"a"}})); resp.StatusCode != http.StatusForbidden {
		t.Errorf("login with a planted one-character token: %d", resp.StatusCode)
	}
	// Logged in, the anonymous token no longer works: the session's does.
	user := loggedIn(t, s, ursEmail, "10.22.0.2")
	anonToken := user.cookies[csrfCookie]
	if resp, _ := user.post("/sair", url.Values{"csrf": {anonToken}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout with the anonymous token: %d", resp.StatusCode)
	}
	if resp, _ := user.post("/sair", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("logout: %d", resp.StatusCode)
	}
	if resp, _ := user.get("/conta"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout /conta: %d", resp.StatusCode)
	}
}

func formRequest(target string, form url.Values) *http.Request {
	req := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

func TestLoginThrottleAndAudit(t *testing.T) {
	demoUsers(t)
	s := mustNew(t, behindTestProxy) // a throttle of its own
	cl := newClient(t, s, "10.23.0.1")
	for i := 0; i < 5; i++ {
		resp, body := cl.post("/entrar", url.Values{"email": {munEmail}, "senha": {"errada-errada"}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "E-mail ou senha incorretos") {
			t.Fatalf("bad login %d: %d", i+1, resp.StatusCode)
		}
	}
	resp, body := cl.post("/entrar", url.Values{"email": {munEmail}, "senha": {testPassword}})
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Muitas tentativas") || resp.Header.Get("Retry-After") == "" {
		t.Errorf("6th attempt (right password) while throttled: %d", resp.StatusCode)
	}
	if c := cl.cookies[sessionCookie]; c != "" {
		t.Error("a throttled login opened a session")
	}
	// The other accounts from another address are not affected.
	loggedIn(t, s, ursEmail, "10.23.0.2")
	entries, err := demoApp.Store.AuditEntries(context.Background(), store.AuditQuery{IP: "10.23.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range entries {
		// Failures name the account as the actor; a refusal while
		// blocked is the public's (counted) and names it as the target.
		if e.Actor == munEmail || e.Target == munEmail {
			count[e.Action]++
		}
	}
	if count["login.falha"] != 5 || count["login.bloqueado"] != 1 {
		t.Errorf("audit of the attempts: %v", count)
	}
}

func TestAuditRecordsAccess(t *testing.T) {
	s := demoUsers(t)
	urs := loggedIn(t, s, ursEmail, "10.24.0.1")
	urs.get("/municipios/" + cocais + "/profissionais")
	urs.get("/municipios/" + bh + "/profissionais")
	urs.get("/exportar/profissionais.xlsx?urs=Itabira")
	entries, err := demoApp.Store.AuditEntries(context.Background(), store.AuditQuery{IP: "10.24.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append([]string{e.Action + ":" + e.Target + ":" + e.Outcome}, got...)
		if e.Actor != ursEmail {
			t.Errorf("actor %q", e.Actor)
		}
	}
	want := []string{"login:" + ursEmail + ":ok", "dados_pessoais.visualizacao:" + cocais + ":ok", "acesso.negado:" + bh + ":negado"}
	if len(got) != 4 || strings.Join(got[:3], " ") != strings.Join(want, " ") || !strings.HasPrefix(got[3], "exportacao:condicionalidades_URS-Itabira_") {
		t.Errorf("audit trail:\n%s", strings.Join(got, "\n"))
	}
	admin := loggedIn(t, s, adminEmail, "10.24.0.2")
	_, page := admin.get("/admin/auditoria?usuario=" + url.QueryEscape(ursEmail) + "&ip=10.24.0.1")
	if !strings.Contains(page, "Acesso negado") || !strings.Contains(page, "Visualização de dados pessoais") {
		t.Error("the admin page does not list the URS user's accesses")
	}
	resp, csv := admin.get("/admin/auditoria.csv?ip=10.24.0.1")
	if resp.StatusCode != 200 || !strings.HasPrefix(csv, "\uFEFFData e hora;") || strings.Count(csv, "\n") != 5 {
		t.Errorf("audit CSV: %d\n%s", resp.StatusCode, csv)
	}
	// SQL metacharacters in the filters are data, not SQL.
	_, page = admin.get("/admin/auditoria?usuario=" + url.QueryEscape("' OR 1=1 --") + "&acao=" + url.QueryEscape("login' --"))
	if !strings.Contains(page, "Nenhum registro com estes filtros") {
		t.Error("SQL metacharacters in the audit filters matched entries")
	}
	if resp, _ := admin.get("/admin/auditoria?de=31/02/2026"); resp.StatusCode != 200 {
		t.Errorf("bad date: %d", resp.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := demoUsers(t)
	for _, u := range []string{"/", "/entrar", "/api/v1/resumo", "/nada"} {
		resp, _ := get(t, s, u)
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s headers: %v", u, resp.Header)
		}
	}
	// No page has an inline script (the CSP would block it).
	for _, u := range []string{"/", "/municipios/" + itabira, "/abrangencia", "/relatorios/imprimir", "/entrar"} {
		_, body := get(t, s, u)
		if strings.Contains(body, "<script>") || strings.Contains(body, " onclick=") || strings.Contains(body, "javascript:") {
			t.Errorf("%s has inline script", u)
		}
	}
	cl := loggedIn(t, s, adminEmail, "10.25.0.1")
	resp, _ := cl.post("/entrar", url.Values{"email": {adminEmail}, "senha": {testPassword}})
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && (!c.HttpOnly || c.SameSite != http.SameSiteLaxMode) {
			t.Errorf("session cookie flags: %+v", c)
		}
	}
}

// An XSS payload imported as a focal point's and a professional's name is
// escaped on every page and stays plain text in the exports.
func TestXSSPayloadsAreEscaped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, err := app.Open(ctx, filepath.Join(t.TempDir(), "x.db"), conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	for _, f := range []string{"samples/abrangencia.xlsx", "samples/formalizacao_2024-09-02.xlsx"} {
		b, _ := data.Samples.ReadFile(f)
		if _, err := a.Ingest.Import(ctx, filepath.Base(f), b, ingest.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	const focal = `<script>alert("pf")</script>`
	const pro = `<img src=x onerror=alert(1)>`
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"ID", "Hora de conclusão", "Município", "Nome completo do ponto focal", "E-mail do ponto focal"})
	x.SetSheetRow("Sheet1", "A2", &[]any{1, 46000.5, "Itabira", focal, "pf@itabira.mg.gov.br"})
	var buf bytes.Buffer
	x.Write(&buf)
	cad := "Nome completo;CPF;Ocupação;Unidade de saúde;Nível de atenção;E-mail\n" + pro + ";529.982.247-25;Médico;UBS;APS;x@y.br\n"
	for name, b := range map[string][]byte{"pf.xlsx": buf.Bytes(), "cadastro_Itabira.csv": []byte(cad)} {
		if rep, err := a.Ingest.Import(ctx, name, b, ingest.Options{}); err != nil || rep.Accepted != 1 {
			t.Fatalf("import %s: %+v %v", name, rep, err)
		}
	}
	addUsers(t, a.Store)
	s, err := New(a, Options{StagingDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	admin := loggedIn(t, s, adminEmail, "10.26.0.1")
	for _, u := range []string{"/municipios/" + itabira, "/municipios/" + itabira + "/profissionais", "/", "/relatorios/imprimir?urs=Itabira"} {
		_, body := admin.get(u)
		if strings.Contains(body, focal) || strings.Contains(body, pro) || strings.Contains(body, "<img src=x") {
			t.Errorf("%s has the raw payload", u)
		}
	}
	_, body := admin.get("/municipios/" + itabira + "/profissionais")
	if !strings.Contains(body, "&lt;script&gt;alert(&#34;pf&#34;)&lt;/script&gt;") || !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("the payloads are not shown escaped on the personal page")
	}
	_, xlsx := admin.get("/exportar/profissionais.xlsx?ibge=" + itabira)
	rows := sheetRows(t, []byte(xlsx), export.SheetProfissionais)
	if len(rows) != 2 || rows[1][4] != pro {
		t.Errorf("Profissionais sheet: %v", rows)
	}
	if rows := sheetRows(t, []byte(xlsx), export.SheetMunicipios); !strings.Contains(strings.Join(rows[1], "|"), focal) {
		t.Errorf("Municípios sheet lost the focal point's name as text: %v", rows[1])
	}
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

// The import centre end to end: a .zip with two files and a loose file
// named with a path traversal are previewed, confirmed, listed, and can be
// downloaded back; nothing is written outside the staging folder.
func TestImportCentre(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	a, s := emptyServer(t, filepath.Join(dir, "db", "t.db"))
	staging := filepath.Join(dir, "db", "envios")
	abr, _ := data.Samples.ReadFile("samples/abrangencia.xlsx")
	form, _ := data.Samples.ReadFile("samples/formalizacao_2024-09-02.xlsx")
	cad := []byte("Nome completo;CPF;Ocupação;Unidade de saúde;Nível de atenção\nAna;529.982.247-25;Médico;UBS;APS\nBeto;111.111.111-11;Médico;UBS;APS\n")
	admin := loggedIn(t, s, adminEmail, "10.27.0.1")
	resp, _ := admin.upload(map[string][]byte{
		"lote.zip":                             zipOf(t, map[string][]byte{"x/formalizacao.xlsx": form, "abrangencia.xlsx": abr}),
		"../../../../tmp/cadastro_Itabira.csv": cad,
	})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	preview := resp.Header.Get("Location")
	_, page := admin.get(preview)
	for _, want := range []string{"Prévia da importação", "abrangencia.xlsx", "formalizacao.xlsx", "cadastro_Itabira.csv",
		"Regiões de abrangência", "Planilha de cadastro de profissionais", "Municípios que mudariam de situação ou de condição (465)", "CPF"} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if bs, _ := a.Store.Batches(ctx); len(bs) != 0 {
		t.Fatalf("the preview wrote %d batches", len(bs))
	}
	// Only the staging folder got files.
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && !strings.HasPrefix(p, staging) && !strings.HasPrefix(filepath.Base(p), "t.db") {
			t.Errorf("file written outside the staging folder: %s", p)
		}
		return nil
	})
	resp, page = admin.post(preview+"/confirmar", url.Values{})
	if resp.StatusCode != 200 || !strings.Contains(page, "Importação concluída") {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	bs, err := a.Store.Batches(ctx)
	if err != nil || len(bs) != 3 || bs[2].Kind != "abrangencia" || bs[0].Kind != "cadastro" || bs[0].ImportedBy != adminEmail {
		t.Fatalf("batches after confirm: %+v %v", bs, err)
	}
	if entries := filesUnder(t, staging); len(entries) != 0 {
		t.Errorf("the confirmed preview's files stayed in staging: %v", entries)
	}
	_, list := admin.get("/importacoes")
	if !strings.Contains(list, bs[0].SHA256[:12]) || !strings.Contains(list, "cadastro_Itabira.csv") {
		t.Error("history lacks the batch")
	}
	_, orig := admin.get(fmt.Sprintf("/importacoes/lotes/%d/original", bs[0].ID))
	if orig != string(cad) {
		t.Error("the original download differs from the uploaded bytes")
	}
	_, rej := admin.get(fmt.Sprintf("/importacoes/lotes/%d/rejeicoes.xlsx", bs[0].ID))
	rows := sheetRows(t, []byte(rej), export.SheetRejeicoes)
	if len(rows) < 2 || rows[1][2] != "3" || rows[1][3] != "CPF" || rows[1][4] != "rejeitada" {
		t.Errorf("rejection report: %v", rows)
	}
	// The same files again change nothing.
	resp, _ = admin.upload(map[string][]byte{"cadastro_Itabira.csv": cad})
	_, page = admin.get(resp.Header.Get("Location"))
	if !strings.Contains(page, "sem alterações") {
		t.Error("a re-upload is not reported unchanged")
	}
	admin.post(resp.Header.Get("Location")+"/descartar", url.Values{})
	if entries := filesUnder(t, staging); len(entries) != 0 {
		t.Errorf("the discarded preview stayed in staging: %v", entries)
	}
}

// filesUnder lists the files under the staging folder (a confirmed
// preview leaves only an empty marker folder).
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// emptyServer is a server over a new database at path holding only the
// territory and the test users.
func emptyServer(t *testing.T, path string) (*app.App, *Server) {
	t.Helper()
	a, err := app.Open(context.Background(), path, conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	addUsers(t, a.Store)
	s, err := New(a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return a, s
}

func TestUploadLimits(t *testing.T) {
	t.Parallel()
	_, s := emptyServer(t, filepath.Join(t.TempDir(), "t.db"))
	admin := loggedIn(t, s, adminEmail, "10.28.0.1")
	// A zip bomb: refused, nothing staged.
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.Create("bomba.csv")
	zeros := make([]byte, 1<<20)
	for i := 0; i < 200; i++ {
		w.Write(zeros)
	}
	zw.Close()
	resp, page := admin.upload(map[string][]byte{"bomba.zip": bomb.Bytes()})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "bomba zip") {
		t.Errorf("zip bomb: %d", resp.StatusCode)
	}
	// An upload over the limit is refused by its declared length after
	// the first few kilobytes, never read whole (over a real connection).
	base := listen(t, s)
	head := fmt.Sprintf("POST /importacoes HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n",
		maxUploadBytes+1024)
	if status := rawRequest(t, base, head, io.LimitReader(bytes.NewReader(make([]byte, maxUploadBytes+1024)), maxUploadBytes+1024)); !strings.Contains(status, "413") {
		t.Errorf("oversized upload: %q", status)
	}
	// Other forms take small bodies only.
	resp, _ = admin.post("/profissional", url.Values{"cpf": {strings.Repeat("1", 100<<10)}})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("large form body: %d", resp.StatusCode)
	}
}

// TestAnonymousAuditCannotBeFlooded: the public's repeated exports and a
// blocked login hammered again and again add one audit entry each, with
// the count, not one per request.
func TestAnonymousAuditCannotBeFlooded(t *testing.T) {
	s := demoUsers(t)
	ctx := context.Background()
	anon := newClient(t, s, "10.31.0.1")
	for range 200 {
		if resp, _ := anon.get("/exportar/municipios.csv?urs=Itabira"); resp.StatusCode != 200 {
			t.Fatalf("export: %d", resp.StatusCode)
		}
	}
	for range 60 {
		anon.post("/entrar", url.Values{"email": {"alguem@teste.br"}, "senha": {"errada-errada"}})
	}
	entries, err := s.app.Store.AuditEntries(ctx, store.AuditQuery{IP: "10.31.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	rows := map[string]int{}
	for _, e := range entries {
		rows[e.Action]++
		count[e.Action] += e.Count
	}
	if rows[audit.Export] != 1 || count[audit.Export] != 200 {
		t.Errorf("200 anonymous exports: %d entries counting %d", rows[audit.Export], count[audit.Export])
	}
	if rows[audit.LoginThrottled] != 1 || count[audit.LoginThrottled] < 30 {
		t.Errorf("throttled logins: %d entries counting %d", rows[audit.LoginThrottled], count[audit.LoginThrottled])
	}
	if len(entries) > 8 {
		t.Errorf("%d audit entries for one anonymous client", len(entries))
	}
	admin := loggedIn(t, s, adminEmail, "10.31.0.2")
	_, csv := admin.get("/admin/auditoria.csv?ip=10.31.0.1")
	if !strings.Contains(csv, ";200;") {
		t.Errorf("the audit CSV does not show the count:\n%s", csv)
	}
}

// TestErrorPageKnowsTheUser: a refusal tells a logged-in user who they are
// and what their profile may see, with their menu (not "Entrar").
func TestErrorPageKnowsTheUser(t *testing.T) {
	s := demoUsers(t)
	urs := loggedIn(t, s, ursEmail, "10.42.0.1")
	resp, page := urs.get("/municipios/" + bh + "/profissionais")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "Você entrou como") || !strings.Contains(page, "URS Itabira") ||
		!strings.Contains(page, `href="/conta"`) || strings.Contains(page, `href="/entrar"`) {
		t.Errorf("403 page for a logged-in URS user (%d):\n%.1500s", resp.StatusCode, page)
	}
}
