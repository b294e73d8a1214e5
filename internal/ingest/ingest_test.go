package ingest_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/cli"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/statustest"
)

func openApp(t *testing.T) *app.App {
	t.Helper()
	a, err := app.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func importSamples(t *testing.T, a *app.App) []ingest.Report {
	t.Helper()
	reps, err := a.ImportSamples(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, rep := range reps {
		if rep.Status != ingest.Imported {
			t.Fatalf("%s: status %s (%s)", rep.File, rep.Status, rep.Error)
		}
	}
	return reps
}

// TestSamplesEndToEnd imports the sample files in the documented order and
// compares the status with expected/expected_status.csv, column by column.
func TestSamplesEndToEnd(t *testing.T) {
	a := openApp(t)
	importSamples(t, a)
	snap, err := a.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := cli.WriteStatusCSV(&buf, snap.Select(monitor.Filter{})); err != nil {
		t.Fatal(err)
	}
	exp, err := data.Samples.ReadFile("samples/expected/expected_status.csv")
	if err != nil {
		t.Fatal(err)
	}
	statustest.Compare(t, buf.Bytes(), exp)
}

// TestReimportChangesNothing checks that the same bytes are "unchanged" and
// write nothing, and that a dry run writes nothing.
func TestReimportChangesNothing(t *testing.T) {
	a := openApp(t)
	ctx := context.Background()
	b, err := data.Samples.ReadFile("samples/abrangencia.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	cad, err := data.Samples.ReadFile("samples/cadastro/FM-UFMG/Planilha_cadastro_profissionais_Bicas.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Ingest.Import(ctx, "abrangencia.xlsx", b, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	before, _ := a.Store.DataVersion(ctx)
	rep, err := a.Ingest.Import(ctx, "outro-nome.xlsx", b, ingest.Options{})
	if err != nil || rep.Status != ingest.Unchanged {
		t.Fatalf("re-import: %v %s", err, rep.Status)
	}
	dry, err := a.Ingest.Import(ctx, "Planilha_cadastro_profissionais_Bicas.xlsx", cad, ingest.Options{DryRun: true})
	if err != nil || dry.Status != ingest.DryRun || dry.Accepted != 9 {
		t.Fatalf("dry run: %v %+v", err, dry)
	}
	// Bicas only gains planilha: its situação stays pendente, and the
	// preview still lists it, with the condition that changes.
	if len(dry.Changes) != 1 || dry.Changes[0].Name != "Bicas" || dry.Changes[0].From != "pendente" || dry.Changes[0].To != "pendente" ||
		len(dry.Changes[0].Conditions) != 1 || dry.Changes[0].Conditions[0] != (ingest.ConditionChange{Condition: "planilha", From: "pendente", To: "cumprida"}) {
		t.Errorf("dry run changes %+v", dry.Changes)
	}
	after, _ := a.Store.DataVersion(ctx)
	if before != after {
		t.Errorf("data version moved from %s to %s", before, after)
	}
	batches, _ := a.Store.Batches(ctx)
	if len(batches) != 1 {
		t.Errorf("%d batches, want 1", len(batches))
	}
}

// TestBrokenFilesWriteNothing feeds files that cannot be read.
func TestBrokenFilesWriteNothing(t *testing.T) {
	a := openApp(t)
	ctx := context.Background()
	xlsx, _ := data.Samples.ReadFile("samples/abrangencia.xlsx")
	cases := map[string][]byte{
		"vazio.csv":      {},
		"antigo.xls":     append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...),
		"zip.xlsx":       []byte("PK\x03\x04 not really a zip"),
		"truncado.xlsx":  xlsx[:len(xlsx)/2],
		"aleatorio.bin":  bytes.Repeat([]byte{0x00, 0xff, 0x13, 0x37}, 1000),
		"linha.csv":      append([]byte("Município;Núcleo\n"), bytes.Repeat([]byte("a"), 2<<20)...),
		"desconhido.csv": []byte("a;b;c\n1;2;3\n"),
	}
	for name, body := range cases {
		rep, err := a.Ingest.Import(ctx, name, body, ingest.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if rep.Status != ingest.Failed || rep.Error == "" {
			t.Errorf("%s: status %s, error %q", name, rep.Status, rep.Error)
		}
	}
	if bs, _ := a.Store.Batches(ctx); len(bs) != 0 {
		t.Errorf("%d batches written", len(bs))
	}
}
