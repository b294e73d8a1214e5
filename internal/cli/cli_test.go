package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestStatusAllHas853Rows(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	code, out, errs := run("status", "--db", db, "--all", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "ibge,municipio,macrorregiao,microrregiao,urs,nucleo,formalizacao,ponto_focal,capacitacao_aps,capacitacao_aae,planilha,situacao" {
		t.Errorf("header %v", rows[0])
	}
	if len(rows) != 854 {
		t.Fatalf("%d rows, want 853", len(rows)-1)
	}
	for _, r := range rows[1:] {
		if r[11] != "nao_contemplado" || r[6] != "" {
			t.Fatalf("empty database row %v", r)
		}
	}
	code, out, _ = run("status", "--db", db)
	if code != 0 || strings.Count(out, "\n") != 1 {
		t.Errorf("contemplated only on empty db: %d %q", code, out)
	}
}

func TestImportThenStatusJSON(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	code, out, errs := run("import", "--db", db, "--format", "json", "../../data/samples/abrangencia.xlsx", "/does/not/exist.csv")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one file unreadable): %s", code, errs)
	}
	var reps []map[string]any
	if err := json.Unmarshal([]byte(out), &reps); err != nil {
		t.Fatal(err)
	}
	if len(reps) != 2 || reps[0]["status"] != "imported" || reps[1]["status"] != "failed" {
		t.Fatalf("reports %v", reps)
	}
	code, out, _ = run("status", "--db", db, "--format", "json")
	var rows []map[string]string
	if err := json.Unmarshal([]byte(out), &rows); err != nil || code != 0 {
		t.Fatal(err, code)
	}
	if len(rows) != 465 || rows[0]["situacao"] != "pendente" {
		t.Errorf("%d rows, first %v", len(rows), rows[0])
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"nope"}, {"status", "--format", "xml"}, {"status", "--bogus"}, {"import"}, {"import", "--kind", "x", "f"}} {
		if code, _, errs := run(args...); code != 2 || !strings.Contains(errs, "uso:") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	if code, out, _ := run("version"); code != 0 || !strings.HasPrefix(out, "telemonitor ") {
		t.Errorf("version: %d %q", code, out)
	}
}
