package ingest_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/ingest"
)

// coverageCSV lists the first n municipalities of the sample coverage
// list, read back from the database after the sample import.
func coverageCSV(t *testing.T, codes []string) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("Código IBGE;Núcleo\n")
	for _, c := range codes {
		b.WriteString(c + ";FM-UFMG\n")
	}
	return b.Bytes()
}

// TestCoverageGuard: a coverage list that would take more than 10 % of the
// contemplated municipalities out of the stage is not applied, with the
// rest of its set, unless the removal is confirmed with its count.
func TestCoverageGuard(t *testing.T) {
	a := openApp(t)
	ctx := context.Background()
	abr, _ := data.Samples.ReadFile("samples/abrangencia.xlsx")
	form, _ := data.Samples.ReadFile("samples/formalizacao_2024-09-02.xlsx")
	if rep, err := a.Ingest.Import(ctx, "abrangencia.xlsx", abr, ingest.Options{}); err != nil || rep.Status != ingest.Imported || rep.Removal != nil {
		t.Fatalf("first coverage list: %+v %v", rep, err)
	}
	current, err := a.Store.Contemplated(ctx)
	if err != nil || len(current) != 465 {
		t.Fatalf("contemplated %d %v", len(current), err)
	}
	var codes []string
	for c := range current {
		codes = append(codes, c)
	}
	// 46 out of 465 (9.9 %) may go without confirmation: counted, applied.
	keep419 := coverageCSV(t, codes[:419])
	dry, err := a.Ingest.Import(ctx, "abr_419.csv", keep419, ingest.Options{DryRun: true})
	if err != nil || dry.Removal == nil || dry.Removal.Leaving != 46 || dry.Removal.NeedsConfirm {
		t.Fatalf("46 leaving: %+v %v", dry.Removal, err)
	}
	before, _ := a.Store.DataVersion(ctx)
	small := coverageCSV(t, codes[:2])
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
	blocked := []ingest.File{{Name: "abr_2.csv", Data: small}, {Name: "formalizacao.xlsx", Data: form}, {Name: "velho.xls", Data: ole}}
	for _, confirm := range []int{0, 462} {
		reps, err := a.Ingest.ImportSet(ctx, blocked, ingest.Options{ConfirmedRemoval: confirm})
		if err != nil || len(reps) != 3 {
			t.Fatal(err)
		}
		if reps[2].Status != ingest.Failed || reps[2].RefusedID != 0 {
			t.Errorf("unreadable file in a blocked set: %+v", reps[2])
		}
		for _, r := range reps[:2] {
			if r.Status != ingest.Blocked || r.BatchID != 0 {
				t.Errorf("confirmation %d: %s %s", confirm, r.File, r.Status)
			}
		}
		if rm := reps[0].Removal; rm == nil || rm.Leaving != 463 || rm.Contemplated != 465 || rm.Confirmed ||
			!strings.Contains(reps[0].Error, "463 municípios deixariam a etapa") {
			t.Errorf("confirmation %d: removal %+v, error %q", confirm, rm, reps[0].Error)
		}
		if !strings.Contains(reps[1].Error, "abr_2.csv") {
			t.Errorf("the other file does not say why: %q", reps[1].Error)
		}
	}
	if after, _ := a.Store.DataVersion(ctx); after != before {
		t.Fatalf("a blocked set changed the data: %s → %s", before, after)
	}
	if fs, _ := a.Store.RefusedFiles(ctx); len(fs) != 0 {
		t.Errorf("a blocked set recorded %d refused files", len(fs))
	}
	files := blocked[:2]
	// The dry run previews it, naming the count.
	dry, err = a.Ingest.Import(ctx, "abr_2.csv", small, ingest.Options{DryRun: true})
	if err != nil || dry.Status != ingest.DryRun || dry.Removal == nil || !dry.Removal.NeedsConfirm || dry.Removal.Message != "463 municípios deixariam a etapa" {
		t.Fatalf("dry run: %+v %v", dry.Removal, err)
	}
	// Confirmed with the count the preview named: applied.
	reps, err := a.Ingest.ImportSet(ctx, files, ingest.Options{ConfirmedRemoval: 463})
	if err != nil || reps[0].Status != ingest.Imported || reps[1].Status != ingest.Imported || !reps[0].Removal.Confirmed {
		t.Fatalf("confirmed: %+v %v", reps, err)
	}
	if now, _ := a.Store.Contemplated(ctx); len(now) != 2 {
		t.Errorf("%d contemplated after the confirmed list, want 2", len(now))
	}
}

// TestRefusedFileOnRecord: a file that cannot be read is kept on record
// with who sent it, when, its checksum and why; the same bytes again are
// one more attempt on the same record; a dry run records nothing.
func TestRefusedFileOnRecord(t *testing.T) {
	a := openApp(t)
	ctx := context.Background()
	xls := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
	if rep, _ := a.Ingest.Import(ctx, "antigo.xls", xls, ingest.Options{DryRun: true, By: "ana@saude.mg.gov.br"}); rep.Status != ingest.Failed || rep.RefusedID != 0 {
		t.Fatalf("dry run: %+v", rep)
	}
	if fs, _ := a.Store.RefusedFiles(ctx); len(fs) != 0 {
		t.Fatalf("a dry run recorded %d refused files", len(fs))
	}
	var last ingest.Report
	for i, by := range []string{"ana@saude.mg.gov.br", "beto@saude.mg.gov.br"} {
		rep, err := a.Ingest.Import(ctx, "antigo.xls", xls, ingest.Options{By: by})
		if err != nil || rep.Status != ingest.Failed || rep.RefusedID == 0 || rep.Attempts != i+1 || len(rep.SHA256) != 64 {
			t.Fatalf("attempt %d: %+v %v", i+1, rep, err)
		}
		last = rep
	}
	fs, err := a.Store.RefusedFiles(ctx)
	if err != nil || len(fs) != 1 {
		t.Fatalf("refused files %+v %v", fs, err)
	}
	f := fs[0]
	if f.ID != last.RefusedID || f.FileName != "antigo.xls" || f.SHA256 != last.SHA256 || f.Attempts != 2 || f.Size != int64(len(xls)) ||
		f.FirstBy != "ana@saude.mg.gov.br" || f.LastBy != "beto@saude.mg.gov.br" || f.FirstAt.IsZero() || !strings.Contains(f.Reason, ".xls") {
		t.Errorf("record %+v", f)
	}
	_, content, err := a.Store.RefusedFileContent(ctx, f.ID)
	if err != nil || !bytes.Equal(content, xls) {
		t.Errorf("content kept: %v", err)
	}
	action, detail, outcome := last.AuditEntry("importacao.cli")
	if action != "importacao.arquivo_recusado" || outcome != "falha" || !strings.Contains(detail, last.SHA256) || !strings.Contains(detail, "2ª tentativa") {
		t.Errorf("audit entry %s %q %s", action, detail, outcome)
	}
	if bs, _ := a.Store.Batches(ctx); len(bs) != 0 {
		t.Errorf("a refused file made %d batches", len(bs))
	}
}
