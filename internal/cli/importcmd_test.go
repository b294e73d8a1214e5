package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/store"
)

// samplePaths lists the shared sample files (not the expected results).
func samplePaths(t *testing.T) []string {
	t.Helper()
	files, err := app.SampleFiles()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = filepath.Join("../../data", f)
	}
	return out
}

// expectedWarnings reads expected_imports.csv: file → warning counts.
func expectedWarnings(t *testing.T) map[string]string {
	t.Helper()
	b, err := data.Samples.ReadFile("samples/expected/expected_imports.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[filepath.Base(r[0])] = r[9]
	}
	return out
}

// TestImportDryRunIsOneSet: a dry run of the whole sample set, in any
// order, previews it as one set (the Moodle files see the registration
// sheets), so the "no matching professional" warnings are exactly the real
// import's; warnings and condition changes are listed; nothing is written.
func TestImportDryRunIsOneSet(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	paths := samplePaths(t)
	// Moodle first: a per-file preview would find no professional at all.
	for i, j := 0, len(paths)-1; i < j; i, j = i+1, j-1 {
		paths[i], paths[j] = paths[j], paths[i]
	}
	code, out, errs := run(append([]string{"import", "--db", db, "--dry-run", "--format", "json"}, paths...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var reps []struct {
		File     string `json:"file"`
		Kind     string `json:"kind"`
		Status   string `json:"status"`
		Warnings int    `json:"warnings"`
		Issues   []struct {
			Severity string `json:"severity"`
			Code     string `json:"code"`
		} `json:"issues"`
		Changes []struct {
			IBGE       string `json:"ibge"`
			Conditions []struct {
				Condition, From, To string
			} `json:"condicoes"`
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &reps); err != nil {
		t.Fatal(err)
	}
	if len(reps) != len(paths) || reps[0].Kind != "abrangencia" {
		t.Fatalf("%d reports, first %+v", len(reps), reps[0])
	}
	want := expectedWarnings(t)
	conditionChanges := 0
	for _, r := range reps {
		if r.Status != "dry-run" {
			t.Errorf("%s: %s", r.File, r.Status)
		}
		got := 0
		for _, i := range r.Issues {
			if i.Severity == "aviso" && i.Code == noProfessional {
				got++
			}
		}
		if w := expectedCount(want[filepath.Base(r.File)], noProfessional); got != w {
			t.Errorf("%s: %d completions without a professional, want %d", filepath.Base(r.File), got, w)
		}
		for _, ch := range r.Changes {
			conditionChanges += len(ch.Conditions)
		}
	}
	if conditionChanges == 0 {
		t.Error("no condition change listed")
	}
	// The text preview lists warnings and the set's net changes.
	code, text, _ := run(append([]string{"import", "--db", db, "--dry-run"}, paths...)...)
	if code != 0 || !strings.Contains(text, "  aviso: ") || !strings.Contains(text, "conjunto: ") ||
		!strings.Contains(text, "situação nao_contemplado → apto") {
		t.Errorf("text preview (exit %d) lacks warnings or the set's changes", code)
	}
	if strings.Count(text, "sem profissional correspondente") != 517+631 {
		t.Errorf("%d completions without a professional, want %d", strings.Count(text, "sem profissional correspondente"), 517+631)
	}
	code, out, _ = run("status", "--db", db)
	if code != 0 || strings.Count(out, "\n") != 1 {
		t.Errorf("the dry run wrote data: %q", out)
	}
}

const noProfessional = "conclusao_sem_profissional_cadastrado"

// expectedCount reads one code's count from "code=n;code=n".
func expectedCount(counts, code string) int {
	for _, c := range strings.Split(counts, ";") {
		if n, ok := strings.CutPrefix(c, code+"="); ok {
			v, _ := strconv.Atoi(n)
			return v
		}
	}
	return 0
}

// TestImportRefusedFileOnRecord: a file that cannot be read is on record
// (checksum, who, when, why) in the store, the audit log and the JSON.
func TestImportRefusedFileOnRecord(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	bad := filepath.Join(dir, "protegida.xlsx")
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...)
	if err := os.WriteFile(bad, ole, 0o600); err != nil {
		t.Fatal(err)
	}
	var rep []map[string]any
	for range 2 {
		code, out, _ := run("import", "--db", db, "--format", "json", bad)
		if code != 1 {
			t.Fatalf("exit %d, want 1", code)
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
	}
	if rep[0]["status"] != "failed" || len(rep[0]["sha256"].(string)) != 64 || rep[0]["refused_id"] == nil || rep[0]["attempts"] != 2.0 {
		t.Fatalf("JSON report %v", rep[0])
	}
	a, err := app.Open(context.Background(), db, conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	fs, err := a.Store.RefusedFiles(context.Background())
	if err != nil || len(fs) != 1 || fs[0].SHA256 != rep[0]["sha256"] || fs[0].Attempts != 2 || !strings.HasPrefix(fs[0].LastBy, "cli") {
		t.Fatalf("refused files %+v %v", fs, err)
	}
	entries, err := a.Store.AuditEntries(context.Background(), store.AuditQuery{Action: audit.ImportRefused})
	if err != nil || len(entries) != 2 || !strings.Contains(entries[0].Detail, fs[0].SHA256) || entries[0].Outcome != audit.Failed {
		t.Fatalf("audit %+v %v", entries, err)
	}
}

// TestImportCoverageGuard: a coverage list taking 463 of 465 municipalities
// out of the stage is refused without --confirmar-remocao (exit 1, the
// count in the message, nothing written) and applied with it.
func TestImportCoverageGuard(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	if code, _, errs := run("import", "--db", db, "../../data/samples/abrangencia.xlsx"); code != 0 {
		t.Fatalf("first list: %s", errs)
	}
	small := filepath.Join(dir, "abrangencia_nova.csv")
	if err := os.WriteFile(small, []byte("Município;Núcleo\nItabira;FM-UFMG\nAbaeté;Feluma\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run("import", "--db", db, small)
	if code != 1 || !strings.Contains(out, "463 municípios deixariam a etapa") || !strings.Contains(out, "--confirmar-remocao") {
		t.Fatalf("without confirmation: exit %d\n%s", code, out)
	}
	if _, status, _ := run("status", "--db", db); strings.Count(status, "\n") != 466 {
		t.Fatalf("the refused list changed the stage: %d rows", strings.Count(status, "\n")-1)
	}
	code, out, _ = run("import", "--db", db, "--confirmar-remocao", small)
	if code != 0 || !strings.Contains(out, "importado") {
		t.Fatalf("confirmed: exit %d\n%s", code, out)
	}
	if _, status, _ := run("status", "--db", db); strings.Count(status, "\n") != 3 {
		t.Errorf("after the confirmed list: %d rows, want 2", strings.Count(status, "\n")-1)
	}
}
