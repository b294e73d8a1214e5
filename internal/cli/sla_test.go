package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSLAReproducesDemoTruth: the demo exports of the three núcleos,
// imported with the rest of the samples, give exactly the truth table that
// scripts/make_teleconsultas_demo.py computed from its own model.
func TestSLAReproducesDemoTruth(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	if code, _, errs := run(append([]string{"import", "--db", db}, samplePaths(t)...)...); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	want, err := os.ReadFile("../../data/samples/expected/expected_sla.csv")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := run("sla", "--db", db, "--por", "nucleo,especialidade", "--em", "2025-07-01 08:00")
	if code != 0 {
		t.Fatalf("sla: exit %d: %s", code, errs)
	}
	if got := strings.ReplaceAll(out, "\r\n", "\n"); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Errorf("line %d: got %q, want %q", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("sla output differs from expected_sla.csv (%d lines, want %d)", len(gl), len(wl))
	}
	// The same measures by month and macro, in JSON, add up to the total.
	code, out, errs = run("sla", "--db", db, "--por", "mes,macro", "--em", "2025-07-01 08:00", "--format", "json")
	if code != 0 {
		t.Fatalf("sla json: exit %d: %s", code, errs)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, r := range rows {
		total += r["solicitacoes"].(float64)
		if r["mes"] == nil || r["macro"] == nil {
			t.Fatalf("row without its group: %v", r)
		}
	}
	_, one, _ := run("sla", "--db", db, "--em", "2025-07-01 08:00")
	lines := strings.Split(strings.TrimSpace(one), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], strings.TrimSuffix(strings.Split(lines[1], ",")[0], "")) {
		t.Fatalf("no grouping: %q", one)
	}
	if n := strings.Split(lines[1], ",")[0]; n != jsonInt(total) {
		t.Errorf("total %s, by month and macro %s", n, jsonInt(total))
	}
	// --de/--ate keep the sent-at dates of the period, both days included.
	_, feb, _ := run("sla", "--db", db, "--por", "mes", "--de", "2025-02-01", "--ate", "2025-02-28", "--em", "2025-07-01 08:00")
	if l := strings.Split(strings.TrimSpace(feb), "\n"); len(l) != 2 || !strings.HasPrefix(l[1], "2025-02,") {
		t.Errorf("February only: %q", feb)
	}
}

func jsonInt(f float64) string { b, _ := json.Marshal(int(f)); return string(b) }

// TestSLAUpdatesAndEdges: a later file updates a request (answered,
// cancelled); the same file again changes nothing; the 72-hour edges at the
// reference time.
func TestSLAUpdatesAndEdges(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	head := "Protocolo;Município;Data da solicitação;Data da resposta;Situação;Especialidade\n"
	jan := write("teleconsultas_Feluma_2025-01.csv", head+
		"1;Itabira;06/01/2025 08:00;09/01/2025 08:00;Respondida;Pediatria\n"+ // 72 h 00 min
		"2;Itabira;06/01/2025 08:00;09/01/2025 08:01;Respondida;Pediatria\n"+ // 72 h 01 min
		"3;Itabira;06/01/2025 08:00;;Devolvida;Pediatria\n"+ // returned, answered in February
		"4;Itabira;06/01/2025 08:00;;Em análise;Pediatria\n"+ // cancelled in February
		"5;Itabira;06/01/2025 08:00;;Em análise;Pediatria\n"+ // still waiting: overdue
		"6;Itabira;06/01/2025 08:00;05/01/2025 08:00;Respondida;Pediatria\n") // answered before sent: rejected
	feb := write("teleconsultas_Feluma_2025-02.csv", head+
		"3;Itabira;06/01/2025 08:00;10/01/2025 09:00;Respondida;Pediatria\n"+
		"4;Itabira;06/01/2025 08:00;;Cancelada;Pediatria\n"+
		"7;Itabira;28/01/2025 08:00;;Em análise;Pediatria\n") // 72 h old exactly at --em: not judged
	for _, f := range []string{jan, feb} {
		if code, out, errs := run("import", "--db", db, "--format", "json", f); code != 0 || !strings.Contains(out, `"status": "imported"`) {
			t.Fatalf("import %s: exit %d: %s %s", f, code, out, errs)
		}
	}
	if _, out, _ := run("import", "--db", db, "--format", "json", jan); !strings.Contains(out, `"status": "unchanged"`) {
		t.Errorf("re-import: %s", out)
	}
	_, out, errs := run("sla", "--db", db, "--por", "nucleo,especialidade", "--em", "2025-01-31 08:00")
	want := "nucleo,especialidade,solicitacoes,respondidas,respondidas_72h,em_atraso,pct_72h,mediana_horas,p90_horas\n" +
		"Feluma,Pediatria,5,3,1,1,25.0,72.0,97.0\n"
	if out != want {
		t.Errorf("sla = %q (%s), want %q", out, errs, want)
	}
}

func TestSLAUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	for _, args := range [][]string{
		{"--por", "cidade"}, {"--por", "nucleo,nucleo"}, {"--em", "2025-07-01"}, {"--de", "01/02/2025"},
		{"--de", "2025-03-01", "--ate", "2025-02-01"}, {"--format", "xml"}, {"extra"},
	} {
		if code, _, errs := run(append([]string{"sla", "--db", db}, args...)...); code != 2 || !strings.Contains(errs, "uso:") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
	code, out, _ := run("sla", "--db", db, "--por", "municipio,urs,macro")
	if code != 0 || out != "ibge,urs,macro,solicitacoes,respondidas,respondidas_72h,em_atraso,pct_72h,mediana_horas,p90_horas\n" {
		t.Errorf("empty database: exit %d, %q", code, out)
	}
	if code, out, _ := run("sla", "--db", db, "--format", "json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("empty json: %q", out)
	}
}
