package server

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/guidance"
	"github.com/ses-mg/telemonitor/internal/mail/mailtest"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/people"
	"github.com/ses-mg/telemonitor/internal/settings"
	"github.com/ses-mg/telemonitor/internal/store"
)

// ownDemo is a server over a copy of the demo database, for tests that
// change settings or send mail without disturbing the shared one.
func ownDemo(t *testing.T) (*Server, *app.App) {
	t.Helper()
	newDemoServer(t)
	path := filepath.Join(t.TempDir(), "copia.db")
	if err := demoApp.Store.Backup(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), path, conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	// guidance's contacts are the process's: back to the defaults after.
	t.Cleanup(func() { a.Close(); guidance.Use(settings.Defaults()) })
	s, err := New(a, behindTestProxy)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.UserByEmail(context.Background(), adminEmail); errors.Is(err, store.ErrNotFound) {
		addUsers(t, a.Store)
	}
	return s, a
}

const ursItabiraEmail = "urs.itabira@saude.mg.gov.br"

// saveSettingsForm posts the settings page's own form with some fields
// changed, as an admin does.
func saveSettingsForm(t *testing.T, admin *client, change url.Values) (*http.Response, string) {
	t.Helper()
	_, body := admin.get("/admin/configuracoes")
	form := formValues(body)
	for k, v := range change {
		form[k] = v
	}
	return admin.post("/admin/configuracoes", form)
}

var (
	inputTag    = regexp.MustCompile(`<input [^>]*name="([^"]+)" value="([^"]*)"[^>]*>`)
	selectTag   = regexp.MustCompile(`(?s)<select name="([^"]+)">(.*?)</select>`)
	selectedOpt = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// formValues reads a page's form as a browser submits it: inputs (checked
// boxes only) and the selected option of each select.
func formValues(body string) url.Values {
	v := url.Values{}
	for _, m := range inputTag.FindAllStringSubmatch(body, -1) {
		if strings.Contains(m[0], `type="checkbox"`) && !strings.Contains(m[0], " checked") {
			continue
		}
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range selectTag.FindAllStringSubmatch(body, -1) {
		if o := selectedOpt.FindStringSubmatch(m[2]); o != nil {
			v.Set(m[1], html.UnescapeString(o[1]))
		}
	}
	delete(v, "csrf")
	return v
}

func ursIndex(a *app.App, name string) string {
	for i, u := range a.Territory.URSs() {
		if u.Name == name {
			return fmt.Sprint(i)
		}
	}
	return "?"
}

// Settings: admin only; a change is audited, shown on the public pages at
// once (the cache and ETags follow) and reaches the notices.
func TestSettingsChange(t *testing.T) {
	s, a := ownDemo(t)
	urs := loggedIn(t, s, ursEmail, "10.40.0.2")
	if resp, _ := urs.get("/admin/configuracoes"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("URS user on the settings: %d", resp.StatusCode)
	}
	public := newClient(t, s, "10.40.0.3")
	_, before := public.get("/municipios/" + itabira)
	if strings.Contains(before, ursItabiraEmail) {
		t.Fatal("URS e-mail before it was set")
	}
	admin := loggedIn(t, s, adminEmail, "10.40.0.1")
	i := ursIndex(a, "Itabira")
	resp, body := saveSettingsForm(t, admin, url.Values{"urs_email_" + i: {ursItabiraEmail}, "urs_tel_" + i: {"(31) 3839-1234"},
		"formulario": {"https://forms.office.com/r/indicacao-pf"}, "smtp_senha": {"segredo-nao-aparece"},
		"caixa_ses": {"teleconsultoria.nova@saude.mg.gov.br"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", resp.StatusCode, body)
	}
	_, page := admin.get("/admin/configuracoes?salvo=1")
	if !strings.Contains(page, "Configurações salvas") || strings.Contains(page, "segredo-nao-aparece") || !strings.Contains(page, ursItabiraEmail) {
		t.Error("the settings page after saving: message, values, and never the password")
	}
	// Pages follow the new data version within a moment (app.Current
	// re-evaluates in the background).
	var after string
	for i := 0; i < 40 && !strings.Contains(after, ursItabiraEmail); i++ {
		time.Sleep(50 * time.Millisecond)
		_, after = public.get("/municipios/" + itabira)
	}
	if !strings.Contains(after, ursItabiraEmail) {
		t.Error("the public municipality page does not show the new URS contacts")
	}
	if _, login := newClient(t, s, "10.40.0.4").get("/entrar"); !strings.Contains(login, `href="mailto:teleconsultoria.nova@saude.mg.gov.br"`) {
		t.Error("the login page does not show the SES mailbox of the settings")
	}
	log, _ := a.Store.AuditEntries(context.Background(), store.AuditQuery{Action: audit.SettingsChanged})
	if len(log) != 1 || log[0].Actor != adminEmail || !strings.Contains(log[0].Detail, ursItabiraEmail) ||
		!strings.Contains(log[0].Detail, "SMTP senha alterada") || strings.Contains(log[0].Detail, "segredo") {
		t.Errorf("audit of the change: %+v", log)
	}
	// An invalid value saves nothing and says why.
	resp, body = saveSettingsForm(t, admin, url.Values{"moodle": {"javascript:alert(1)"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Nada foi salvo") {
		t.Errorf("invalid link: %d", resp.StatusCode)
	}
	if log, _ := a.Store.AuditEntries(context.Background(), store.AuditQuery{Action: audit.SettingsChanged}); len(log) != 1 {
		t.Errorf("an invalid form was audited as a change: %d entries", len(log))
	}
	// The notice has the new contacts and link.
	_, notice := urs.get("/municipios/" + itabira + "/aviso")
	for _, want := range []string{ursItabiraEmail, "https://forms.office.com/r/indicacao-pf", "Aviso de pendências"} {
		if !strings.Contains(notice, want) && !strings.Contains(notice, "cumpre as quatro") {
			t.Errorf("notice lacks %q", want)
		}
	}
}

// Sending the notices of an URS through a real SMTP server: recipients
// (each focal point), UTF-8 subject, Portuguese body, the municipality's
// workbook attached; every message recorded, audited and in the
// follow-up log.
func TestSendNoticesSMTP(t *testing.T) {
	s, a := ownDemo(t)
	srv := mailtest.Start(t)
	app.MailTLS = srv.ClientTLS
	t.Cleanup(func() { app.MailTLS = nil })
	admin := loggedIn(t, s, adminEmail, "10.41.0.1")
	cfg := srv.Settings()
	i := ursIndex(a, "Itabira")
	if resp, body := saveSettingsForm(t, admin, url.Values{"smtp_host": {cfg.Host}, "smtp_porta": {fmt.Sprint(cfg.Port)},
		"smtp_seguranca": {"starttls"}, "smtp_usuario": {cfg.User}, "smtp_senha": {cfg.Password}, "smtp_remetente": {cfg.From},
		"urs_email_" + i: {ursItabiraEmail}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("SMTP settings: %d\n%s", resp.StatusCode, body)
	}
	ctx := context.Background()
	snap, _ := a.Snapshot(ctx)
	pend := snap.Select(monitor.Filter{URS: "Itabira", Situacao: "pendente"})
	want := map[string]monitor.Row{} // focal point e-mail → municipality
	for _, r := range pend {
		if fp, ok, _ := people.FocalPoint(ctx, a.Store, r); ok && fp.Email != "" {
			want[strings.ToLower(fp.Email)] = r
		}
	}
	if len(want) == 0 {
		t.Fatal("no pendente municipality of URS Itabira has a focal point e-mail in the samples")
	}
	urs := loggedIn(t, s, ursEmail, "10.41.0.2")
	q := "/avisos/enviar?urs=Itabira&situacao=pendente"
	resp, preview := urs.get(q)
	if resp.StatusCode != 200 || !strings.Contains(preview, fmt.Sprintf("Enviar %d aviso(s) agora", len(want))) {
		t.Fatalf("preview %d:\n%s", resp.StatusCode, preview)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("the preview sent %d messages", n)
	}
	resp, result := urs.post(q, url.Values{"confirmar": {"1"}})
	if resp.StatusCode != 200 || !strings.Contains(result, fmt.Sprintf("%d aviso(s) enviado(s)", len(want))) {
		t.Fatalf("send %d:\n%s", resp.StatusCode, result)
	}
	got := srv.Messages()
	if len(got) != len(want) {
		t.Fatalf("%d messages received, want %d", len(got), len(want))
	}
	for _, m := range got {
		d, err := mailtest.Decode(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		r, ok := want[strings.ToLower(m.To[0])]
		if !ok || len(d.To) != 1 || !strings.EqualFold(d.To[0], m.To[0]) {
			t.Errorf("message to %v (header %v): not a focal point of a pendente municipality", m.To, d.To)
			continue
		}
		if d.Subject != "Teleconsultoria SES-MG: pendências de "+r.Name+" – "+strings.Split(d.Subject, " – ")[1] ||
			!strings.HasPrefix(d.RawSubject, "=?UTF-8?") {
			t.Errorf("subject %q (raw %q)", d.Subject, d.RawSubject)
		}
		if !strings.Contains(d.ReplyTo, ursItabiraEmail) {
			t.Errorf("reply-to %q", d.ReplyTo)
		}
		for _, w := range []string{"Prezado(a) ponto focal de " + r.Name, "O que fazer:", "quatro condicionalidades", "Situação de cada condição",
			"URS Itabira", "teleconsultoria@saude.mg.gov.br"} {
			if !strings.Contains(d.Text, w) {
				t.Errorf("%s: body lacks %q:\n%s", r.Name, w, d.Text)
			}
		}
		var xlsx []byte
		for n, b := range d.Attachments {
			if strings.HasPrefix(n, "condicionalidades_Municipio-") && strings.HasSuffix(n, ".xlsx") {
				xlsx = b
			}
		}
		f, err := excelize.OpenReader(bytes.NewReader(xlsx))
		if err != nil {
			t.Fatalf("%s: attachment is not a workbook: %v", r.Name, err)
		}
		cells, _ := f.GetRows(export.SheetPendencias)
		if len(cells) < 2 || !strings.Contains(strings.Join(cells[1], "|"), r.Municipality.IBGE) {
			t.Errorf("%s: Pendências sheet %v", r.Name, cells)
		}
	}
	sent, _ := a.Store.Messages(ctx, store.MessageQuery{Kind: store.MessageNotice})
	log, _ := a.Store.AuditEntries(ctx, store.AuditQuery{Action: audit.NoticeSent})
	if len(sent) != len(want) || len(log) != len(want) || log[0].Actor != ursEmail {
		t.Errorf("recorded %d messages and %d audit entries, want %d", len(sent), len(log), len(want))
	}
	// The follow-up log shows each send.
	_, follow := urs.get("/acompanhamento?urs=Itabira")
	if c := strings.Count(follow, "Aviso de pendências enviado por e-mail"); c != len(want) {
		t.Errorf("follow-up log shows %d sends, want %d", c, len(want))
	}
	// The focal point reads their own notice but cannot send.
	mun := loggedIn(t, s, munEmail, "10.41.0.3")
	if resp, _ := mun.post(q, url.Values{"confirmar": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("focal point sending: %d", resp.StatusCode)
	}
	// The weekly digest goes to the URS.
	resp, _ = urs.post("/avisos/resumo", url.Values{})
	if resp.StatusCode != 200 {
		t.Fatalf("digest: %d", resp.StatusCode)
	}
	all := srv.Messages()
	dg, _ := mailtest.Decode(all[len(all)-1].Data)
	if dg.To[0] != ursItabiraEmail || !strings.Contains(dg.Subject, "resumo semanal da URS Itabira") ||
		!strings.Contains(dg.Text, "Pendentes (") || len(dg.Attachments) != 1 {
		t.Errorf("digest: to %v, %q\n%s", dg.To, dg.Subject, dg.Text)
	}
	if last, _ := a.Store.LastDigest(ctx, "Itabira"); last.IsZero() {
		t.Error("digest not recorded")
	}
}

// Without SMTP the notices download as .eml: one file for one
// municipality, a .zip with one per municipality for several.
func TestNoticesEML(t *testing.T) {
	s := demoUsers(t)
	urs := loggedIn(t, s, ursEmail, "10.42.0.1")
	resp, body := urs.get("/avisos/eml?ibge=" + itabira)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "message/rfc822" {
		t.Fatalf("one .eml: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	d, err := mailtest.Decode([]byte(body))
	if err != nil || !strings.Contains(d.Subject, "Itabira") || len(d.Attachments) != 1 {
		t.Fatalf("decoded .eml: %+v %v", d.Subject, err)
	}
	resp, body = urs.get("/avisos/eml?urs=Itabira&situacao=pendente")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("zip: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := demoApp.Snapshot(context.Background())
	if n := len(snap.Select(monitor.Filter{URS: "Itabira", Situacao: "pendente"})); len(zr.File) != n || n < 2 {
		t.Errorf("%d files in the zip, want %d", len(zr.File), n)
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "aviso_Municipio-") || !strings.HasSuffix(f.Name, ".eml") {
			t.Errorf("file name %q", f.Name)
		}
	}
	// Another URS's municipalities: refused.
	if resp, _ := urs.get("/avisos/eml?ibge=" + bh); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another URS: %d", resp.StatusCode)
	}
}

// The follow-up log: record, list, filter by days without contact, export.
func TestFollowups(t *testing.T) {
	s, a := ownDemo(t)
	urs := loggedIn(t, s, ursEmail, "10.43.0.1")
	resp, _ := urs.post("/municipios/"+cocais+"/acompanhamento", url.Values{"data": {"2026-11-20"}, "canal": {"telefone"},
		"nota": {"Falou com a coordenação da APS; planilha até dezembro."}, "prazo": {"15/12/2026"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	if resp, body := urs.post("/municipios/"+cocais+"/acompanhamento", url.Values{"data": {"amanhã"}, "canal": {"telefone"},
		"nota": {"x"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "dd/mm/aaaa") {
		t.Errorf("bad date: %d", resp.StatusCode)
	}
	_, page := urs.get("/municipios/" + cocais + "/acompanhamento")
	for _, w := range []string{"20/11/2026", "Telefone", "planilha até dezembro", "15/12/2026", ursEmail} {
		if !strings.Contains(page, w) {
			t.Errorf("log lacks %q", w)
		}
	}
	_, list := urs.get("/acompanhamento?urs=Itabira&sem_contato=30")
	snap, _ := a.Snapshot(context.Background())
	n := len(snap.Select(monitor.Filter{URS: "Itabira"}))
	if !strings.Contains(list, fmt.Sprintf("Municípios (%d)", n)) {
		// Cocais was contacted on 20/11/2026: within 30 days only when the clock says so.
		if !strings.Contains(list, fmt.Sprintf("Municípios (%d)", n-1)) {
			t.Errorf("sem contato há 30 dias: neither %d nor %d municipalities", n, n-1)
		}
	}
	resp, csvBody := urs.get("/acompanhamento.csv?urs=Itabira")
	if resp.StatusCode != 200 || !strings.Contains(csvBody, "Barão de Cocais;"+cocais+";20/11/2026;Telefone") {
		t.Errorf("csv %d:\n%s", resp.StatusCode, csvBody)
	}
	log, _ := a.Store.AuditEntries(context.Background(), store.AuditQuery{Action: audit.FollowupAdded})
	if len(log) != 1 || log[0].Target != cocais {
		t.Errorf("audit %+v", log)
	}
	mun := loggedIn(t, s, munEmail, "10.43.0.2")
	if resp, _ := mun.get("/municipios/" + itabira + "/acompanhamento"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("focal point on the follow-up log: %d", resp.StatusCode)
	}
}

// "Falta 1 condição": the dashboard, the API and the exports.
func TestMissingOneFilter(t *testing.T) {
	s := newDemoServer(t)
	snap, _ := demoApp.Snapshot(context.Background())
	n := 0
	for _, r := range snap.Rows {
		if r.Situation == conditions.PendenteSit && len(r.Missing()) == 1 {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no municipality one condition away in the samples")
	}
	cl := newClient(t, s, "10.44.0.1")
	resp, body := cl.get("/exportar/municipios.csv?faltam=1")
	if lines := strings.Count(strings.TrimSpace(body), "\n"); resp.StatusCode != 200 || lines != n {
		t.Errorf("csv: %d rows, want %d", lines, n)
	}
	_, page := cl.get("/?faltam=1")
	if !strings.Contains(page, "Falta 1 condição") {
		t.Error("dashboard lacks the filter badge")
	}
	if resp, _ := cl.get("/?faltam=x"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("faltam=x: %d", resp.StatusCode)
	}
	_, report := cl.get("/relatorios/imprimir?ibge=" + itabira)
	if strings.Count(report, "<tr><td>") > 1 {
		t.Error("the printed report ignores ?ibge=")
	}
}

// URS and focal points land on their own scope after login.
func TestLoginLanding(t *testing.T) {
	s := demoUsers(t)
	for email, want := range map[string]string{ursEmail: "/?urs=Itabira", munEmail: "/municipios/" + itabira, adminEmail: "/conta"} {
		cl := newClient(t, s, "10.45.0.1")
		resp, _ := cl.post("/entrar", url.Values{"email": {email}, "senha": {testPassword}})
		if loc := resp.Header.Get("Location"); loc != want {
			t.Errorf("%s lands on %q, want %q", email, loc, want)
		}
	}
	cl := newClient(t, s, "10.45.0.2")
	resp, _ := cl.post("/entrar", url.Values{"email": {ursEmail}, "senha": {testPassword}, "volta": {"/abrangencia"}})
	if loc := resp.Header.Get("Location"); loc != "/abrangencia" {
		t.Errorf("asked page: %q", loc)
	}
}

// The forms refuse what the role or the scope does not allow.
func TestNoticePostsRefused(t *testing.T) {
	s, _ := ownDemo(t)
	urs := loggedIn(t, s, ursEmail, "10.46.0.1")
	for target, want := range map[string]int{
		"/admin/configuracoes":                  http.StatusForbidden,
		"/municipios/" + bh + "/acompanhamento": http.StatusForbidden,
		"/avisos/enviar?ibge=" + bh:             http.StatusForbidden,
		"/avisos/resumo?urs=Diamantina":         http.StatusForbidden,
	} {
		if resp, _ := urs.post(target, url.Values{"confirmar": {"1"}, "data": {"2026-11-20"}, "canal": {"email"}, "nota": {"x"}}); resp.StatusCode != want {
			t.Errorf("POST %s as URS Itabira: %d, want %d", target, resp.StatusCode, want)
		}
	}
	public := newClient(t, s, "10.46.0.2")
	if resp, _ := public.post("/avisos/enviar?urs=Itabira", url.Values{"confirmar": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous send: %d", resp.StatusCode)
	}
}

// The URS's workbook with personal data has the focal point's contacts on
// the Pendências sheet, for mail-merge; the public one does not.
func TestPendingSheetFocalContacts(t *testing.T) {
	s := demoUsers(t)
	ctx := context.Background()
	snap, _ := demoApp.Snapshot(ctx)
	var email, ibge string
	for _, r := range snap.Select(monitor.Filter{URS: "Itabira", Situacao: "pendente"}) {
		if fp, ok, _ := people.FocalPoint(ctx, demoApp.Store, r); ok && fp.Email != "" {
			email, ibge = fp.Email, r.Municipality.IBGE
			break
		}
	}
	if email == "" {
		t.Fatal("no pendente municipality with a focal point e-mail")
	}
	sheet := func(cl *client, target string) [][]string {
		resp, body := cl.get(target)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", target, resp.StatusCode)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(export.SheetPendencias)
		return rows
	}
	urs := loggedIn(t, s, ursEmail, "10.48.0.1")
	rows := sheet(urs, "/exportar/profissionais.xlsx?urs=Itabira")
	if h := strings.Join(rows[0], "|"); !strings.Contains(h, "E-mail do ponto focal|Telefone do ponto focal") {
		t.Fatalf("header %s", h)
	}
	found := false
	for _, r := range rows[1:] {
		found = found || (r[4] == ibge && strings.Contains(strings.Join(r, "|"), email))
	}
	if !found {
		t.Errorf("the focal point's e-mail %s is not on %s's rows", email, ibge)
	}
	public := sheet(newClient(t, s, "10.48.0.2"), "/exportar/municipios.xlsx?urs=Itabira")
	if strings.Contains(strings.Join(public[0], "|"), "ponto focal") || strings.Contains(fmt.Sprint(public), email) {
		t.Error("the public workbook has the focal point's contacts")
	}
}
