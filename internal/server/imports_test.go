package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/store"
)

// TestImportCentreCoverageGuard: a coverage list taking 463 of the 465
// contemplated municipalities out is previewed with the count; confirming
// without ticking the confirmation (or with another count) imports nothing
// and keeps the preview; ticking it imports.
func TestImportCentreCoverageGuard(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, s := emptyServer(t, filepath.Join(t.TempDir(), "t.db"))
	abr, _ := data.Samples.ReadFile("samples/abrangencia.xlsx")
	if rep, err := a.Ingest.Import(ctx, "abrangencia.xlsx", abr, ingest.Options{}); err != nil || rep.Status != ingest.Imported {
		t.Fatalf("%+v %v", rep, err)
	}
	admin := loggedIn(t, s, adminEmail, "10.41.0.1")
	resp, _ := admin.upload(map[string][]byte{"abrangencia_nova.csv": []byte("Município;Núcleo\nItabira;FM-UFMG\nAbaeté;Feluma\n")})
	preview := resp.Header.Get("Location")
	_, page := admin.get(preview)
	// 463 leave the stage; a municipality that stays loses its AAE seat (the new list has no such column).
	for _, want := range []string{"463 municípios deixariam a etapa", `name="confirmar_remocao" value="463" required`,
		"Municípios que mudariam de situação ou de condição (464)", "Capacitação AAE: "} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	for _, form := range []url.Values{{}, {"confirmar_remocao": {"400"}}} {
		resp, page = admin.post(preview+"/confirmar", form)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "Nada foi importado") || !strings.Contains(page, "Confirmar e importar") {
			t.Errorf("confirm %v: %d", form, resp.StatusCode)
		}
		if bs, _ := a.Store.Batches(ctx); len(bs) != 1 {
			t.Fatalf("confirm %v imported: %d batches", form, len(bs))
		}
	}
	resp, page = admin.post(preview+"/confirmar", url.Values{"confirmar_remocao": {"463"}})
	if resp.StatusCode != 200 || !strings.Contains(page, "Importação concluída") {
		t.Fatalf("confirmed: %d", resp.StatusCode)
	}
	if now, _ := a.Store.Contemplated(ctx); len(now) != 2 {
		t.Errorf("%d contemplated, want 2", len(now))
	}
	entries, _ := a.Store.AuditEntries(ctx, store.AuditQuery{Action: audit.ImportConfirm})
	outcomes := map[string]int{}
	for _, e := range entries {
		outcomes[e.Outcome]++
	}
	if outcomes[audit.Refused] != 2 || outcomes[audit.OK] != 1 {
		t.Errorf("audit outcomes %v", outcomes)
	}
}

// TestImportCentreRefusedFile: a file that cannot be read, confirmed with
// a good one, is on record in the history (checksum, who, why, attempts),
// in the audit log, and can be downloaded back.
func TestImportCentreRefusedFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, s := emptyServer(t, filepath.Join(t.TempDir(), "t.db"))
	admin := loggedIn(t, s, adminEmail, "10.42.0.1")
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 2048)...)
	form, _ := data.Samples.ReadFile("samples/formalizacao_2024-09-02.xlsx")
	for range 2 {
		resp, _ := admin.upload(map[string][]byte{"antigo.xls": ole, "formalizacao.xlsx": form})
		resp, page := admin.post(resp.Header.Get("Location")+"/confirmar", url.Values{})
		if resp.StatusCode != 200 || !strings.Contains(page, "Importação concluída") {
			t.Fatalf("confirm: %d", resp.StatusCode)
		}
	}
	fs, err := a.Store.RefusedFiles(ctx)
	if err != nil || len(fs) != 1 || fs[0].Attempts != 2 || fs[0].LastBy != adminEmail || fs[0].FileName != "antigo.xls" {
		t.Fatalf("refused files %+v %v", fs, err)
	}
	_, list := admin.get("/importacoes")
	for _, want := range []string{"Arquivos recusados (1)", "antigo.xls", fs[0].SHA256[:12], ".xls (Excel 97-2003)",
		fmt.Sprintf("/importacoes/recusados/%d/original", fs[0].ID)} {
		if !strings.Contains(list, want) {
			t.Errorf("history lacks %q", want)
		}
	}
	_, orig := admin.get(fmt.Sprintf("/importacoes/recusados/%d/original", fs[0].ID))
	if orig != string(ole) {
		t.Error("the refused file's download differs from what was sent")
	}
	entries, _ := a.Store.AuditEntries(ctx, store.AuditQuery{Action: audit.ImportRefused})
	if len(entries) != 2 || entries[0].Actor != adminEmail || !strings.Contains(entries[0].Detail, fs[0].SHA256) || entries[0].Outcome != audit.Failed {
		t.Errorf("audit entries %+v", entries)
	}
	urs := loggedIn(t, s, ursEmail, "10.42.0.2")
	if resp, _ := urs.get(fmt.Sprintf("/importacoes/recusados/%d/original", fs[0].ID)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("URS downloads a refused file: %d", resp.StatusCode)
	}
}

// TestBatchRejectionReport: the rejection report carries each row's
// municipality, the reason in words and the row's own values; the admin
// gets every row with personal data in full, an URS only its
// municipalities' rows with CPF and CNS masked, others are refused; every
// text cell passes the formula guard.
func TestBatchRejectionReport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, s := emptyServer(t, filepath.Join(t.TempDir(), "t.db"))
	cad := "Município;Nome completo;CPF;CNS;E-mail;Nível de atenção;Observação\n" +
		"Itabira;Ana Souza;529.982.247-26;898001160660006;ana@itabira.mg.gov.br;APS;férias\n" +
		"Itabira;=HYPERLINK(\"http://x\");;;;APS;\n" +
		"Itabira;Caio Lima;529.982.247-25;123;caio@itabira.mg.gov.br;APS;\n" +
		"Belo Horizonte;Davi Reis;111.444.777-30;;davi@pbh.gov.br;APS;\n"
	rep, err := a.Ingest.Import(ctx, "cadastro_consolidado.csv", []byte(cad), ingest.Options{})
	if err != nil || rep.Rejected != 3 {
		t.Fatalf("%+v %v", rep, err)
	}
	target := fmt.Sprintf("/importacoes/lotes/%d/rejeicoes.xlsx", rep.BatchID)
	col := func(header []string, name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q in %v", name, header)
		return -1
	}
	admin := loggedIn(t, s, adminEmail, "10.43.0.1")
	_, body := admin.get(target)
	rows := sheetRows(t, []byte(body), export.SheetRejeicoes)
	h := rows[0]
	if len(rows) != 5 {
		t.Fatalf("admin: %d rows, want 4 issues: %v", len(rows)-1, rows)
	}
	ana := rows[1]
	if ana[col(h, "Município")] != "Itabira" || ana[col(h, "Código IBGE")] != itabira || ana[col(h, "CPF")] != "529.982.247-26" ||
		ana[col(h, "E-mail")] != "ana@itabira.mg.gov.br" || ana[col(h, "Observação")] != "férias" ||
		!strings.Contains(ana[col(h, "Motivo")], "dígitos verificadores não conferem") || !strings.Contains(ana[col(h, "Detalhe")], "529.982.247-26") {
		t.Errorf("admin, Ana's row: %v", ana)
	}
	if formula := rows[2][col(h, "Nome completo")]; formula != `'=HYPERLINK("http://x")` {
		t.Errorf("formula not guarded: %q", formula)
	}
	if rows[4][col(h, "Município")] != "Belo Horizonte" {
		t.Errorf("admin lacks the row of Belo Horizonte: %v", rows[4])
	}
	urs := loggedIn(t, s, ursEmail, "10.43.0.2")
	resp, body := urs.get(target)
	if resp.StatusCode != 200 {
		t.Fatalf("URS: %d", resp.StatusCode)
	}
	rows = sheetRows(t, []byte(body), export.SheetRejeicoes)
	h = rows[0]
	if len(rows) != 4 || strings.Contains(body, "Belo Horizonte") {
		t.Fatalf("URS Itabira: %d rows, want Itabira's 3: %v", len(rows)-1, rows)
	}
	ana = rows[1]
	if ana[col(h, "CPF")] != "***.982.247-**" || ana[col(h, "CNS")] != "*** **** **** 0006" || ana[col(h, "Município")] != "Itabira" ||
		!strings.Contains(ana[col(h, "Motivo")], "CPF inválido") {
		t.Errorf("URS, Ana's row: %v", ana)
	}
	for _, c := range h {
		if c == "Detalhe" || c == "Observação" {
			t.Errorf("URS gets column %q (may hold personal data)", c)
		}
	}
	for _, cell := range strings.Split(strings.Join(rows[1], "|"), "|") {
		if strings.Contains(cell, "529.982.247-26") || strings.Contains(cell, "52998224726") {
			t.Errorf("URS sees the full CPF: %v", rows[1])
		}
	}
	mun := loggedIn(t, s, munEmail, "10.43.0.3")
	if resp, _ := mun.get(target); resp.StatusCode != 200 {
		t.Errorf("the municipality's own rows: %d", resp.StatusCode)
	}
	// A batch with nothing in the user's scope is refused.
	other, err := a.Ingest.Import(ctx, "cadastro_bh.csv", []byte("Município;Nome completo;CPF\nBelo Horizonte;Eva;123\n"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := urs.get(fmt.Sprintf("/importacoes/lotes/%d/rejeicoes.xlsx", other.BatchID)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("URS Itabira gets Belo Horizonte's rejections: %d", resp.StatusCode)
	}
}
