package server

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/store"
)

// TestReconciliationDesk: Itabira's only APS professional finished Block 1
// under an e-mail with a typo; the URS user sees the candidate, links it,
// and Itabira's capacitação turns cumprida, with the link in the audit
// log; the link survives re-importing every file; undoing it reverts;
// a municipality user may not use the desk, and a URS may not link
// outside its territory.
func TestReconciliationDesk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, s := emptyServer(t, filepath.Join(t.TempDir(), "t.db"))
	imp := func(name string, b []byte) {
		t.Helper()
		rep, err := a.Ingest.Import(ctx, name, b, ingest.Options{})
		if err != nil || rep.Status == ingest.Failed {
			t.Fatalf("%s: %s %v", name, rep.Status, err)
		}
	}
	for _, f := range []string{"samples/abrangencia.xlsx", "samples/formalizacao_2024-09-02.xlsx", "samples/Indicacao_Ponto_Focal_Teleconsultoria(1-509).xlsx"} {
		b, _ := data.Samples.ReadFile(f)
		imp(filepath.Base(f), b)
	}
	sheet := []byte("Município;Nome completo;CPF;E-mail;Nível de atenção\nItabira;Maria José da Conceição;529.982.247-25;maria.conceicao@gmail.com;APS\n")
	moodle := []byte("\"Full name\",\"Email address\",CPF,Município,\"Course short name\",Completed,\"Time completed\"\n" +
		"\"Maria Jose da Conceicao\",maria.conceicao@gmail.con,,Itabira,telessaude_mg_bloco1,Yes,\"4 August 2024, 10:00 AM\"\n")
	imp("cadastro_Itabira.csv", sheet)
	imp("Conclusao_Bloco1.csv", moodle)
	aps := func() conditions.State {
		t.Helper()
		snap, err := a.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := snap.Row(itabira)
		return r.State(conditions.CapacitacaoAPS)
	}
	if aps() != conditions.Pendente {
		t.Fatal("the near miss matched by itself")
	}
	urs := loggedIn(t, s, ursEmail, "10.50.0.1")
	_, page := urs.get("/conciliacao")
	for _, want := range []string{"Maria Jose da Conceicao", "Maria José da Conceição", "gmail.con × gmail.com", "mesmo município no Moodle",
		"Confirmar vínculo", "***"} {
		if !strings.Contains(page, want) {
			t.Errorf("desk lacks %q", want)
		}
	}
	if strings.Contains(page, "529.982.247-25") || strings.Contains(page, "maria.conceicao@gmail.com") {
		t.Error("the desk shows a full CPF or e-mail")
	}
	field := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no %s in the form", name)
		}
		return m[1]
	}
	form := url.Values{"curso": {field("curso")}, "pessoa": {field("pessoa")}, "ibge": {field("ibge")}, "cpf": {field("cpf")},
		"motivo": {"mesmo nome e município; e-mail com erro de digitação"}}
	resp, _ := urs.post("/conciliacao/vincular", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("link: %d", resp.StatusCode)
	}
	if aps() != conditions.Cumprida {
		t.Fatal("the confirmed link does not count")
	}
	entries, _ := a.Store.AuditEntries(ctx, store.AuditQuery{Action: audit.LinkConfirmed})
	if len(entries) != 1 || entries[0].Actor != ursEmail || !strings.Contains(entries[0].Detail, "erro de digitação") {
		t.Errorf("audit: %+v", entries)
	}
	// Re-import everything (a new Moodle report and a new sheet): the link stays.
	imp("Conclusao_Bloco1_novo.csv", append(moodle, []byte("\"Outra Pessoa\",outra@x.org,,,telessaude_mg_bloco1,Yes,\"5 August 2024, 10:00 AM\"\n")...))
	imp("cadastro_Itabira_v2.csv", append(sheet, []byte("Itabira;João;111.444.777-35;;AAE\n")...))
	if aps() != conditions.Cumprida {
		t.Fatal("the link did not survive re-imports")
	}
	// Out of its territory, a URS is refused; a municipality user has no desk.
	form.Set("ibge", "3106200")
	if resp, _ := urs.post("/conciliacao/vincular", form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("link outside the URS: %d", resp.StatusCode)
	}
	if resp, _ := loggedIn(t, s, munEmail, "10.50.0.2").get("/conciliacao"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("municipality user on the desk: %d", resp.StatusCode)
	}
	// Undo: back to pendente, the link kept as undone.
	_, page = urs.get("/conciliacao")
	id := regexp.MustCompile(`/conciliacao/desfazer/(\d+)`).FindStringSubmatch(page)
	if id == nil {
		t.Fatal("no undo button")
	}
	if resp, _ := urs.post("/conciliacao/desfazer/"+id[1], url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo: %d", resp.StatusCode)
	}
	if aps() != conditions.Pendente {
		t.Error("the undone link still counts")
	}
	if _, page = urs.get("/conciliacao"); !strings.Contains(page, "desfeito por "+ursEmail) {
		t.Error("the undone link is not on record")
	}
}
