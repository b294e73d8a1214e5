package server

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ident"
)

// TestTeleconsultoriasPage: the demo's teleconsultation measures on the
// public page, with the default period (the last 3 months of data), a
// chosen one, and no requester's CPF anywhere.
func TestTeleconsultoriasPage(t *testing.T) {
	s := demoUsers(t)
	public := newClient(t, s, "10.21.18.1")
	resp, body := public.get("/teleconsultorias")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"Teleconsultorias: o serviço está sendo entregue?", "de 01/04/2025 a 30/06/2025",
		"Atrasos calculados em 01/07/2025", "Núcleo × especialidade", "Aptos sem uso", "Uso por município apto (127;",
		"04/2025", "06/2025", "Feluma", "Dermatologia", "respondidas em até 72 h"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "03/2025</th>") {
		t.Error("March is outside the default period")
	}
	_, feb := public.get("/teleconsultorias?de=2025-02-01&ate=2025-02-28")
	if !strings.Contains(feb, "de 01/02/2025 a 28/02/2025") || !strings.Contains(feb, "02/2025</th>") || strings.Contains(feb, "03/2025</th>") {
		t.Error("February alone not shown")
	}
	for _, bad := range []string{"?de=2025-13-01", "?de=2025-03-01&ate=2025-02-01"} {
		if resp, _ := public.get("/teleconsultorias" + bad); resp.StatusCode != 400 {
			t.Errorf("%s: status %d, want 400", bad, resp.StatusCode)
		}
	}
	f, err := os.Open("../../data/samples/teleconsultas/teleconsultas_FM-UFMG_2025-06.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 10 {
		t.Fatalf("%d rows: %v", len(rows), err)
	}
	for _, row := range rows[1:] {
		cpf := ident.CPF(row[6], false).Canonical
		for _, secret := range []string{cpf, ident.FormatCPF(cpf), ident.MaskCPF(cpf)} {
			if strings.Contains(body, secret) {
				t.Fatalf("public page shows a requester's CPF %q", secret)
			}
		}
	}
}

// TestDemoAptosSemUso: the demo as `serve --demo` loads it (each file
// stamped with the date it was received) lists, among the "aptos sem
// uso", exactly the municipalities the demo generator left without
// requests in the 90 days before its last exports
// (expected_aptos_sem_uso.csv, written by scripts/make_teleconsultas_demo.py
// from its own model), and no file is stamped after those exports.
func TestDemoAptosSemUso(t *testing.T) {
	ctx := context.Background()
	a, err := app.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.ImportDemo(ctx, "demo"); err != nil {
		t.Fatal(err)
	}
	batches, err := a.Store.Batches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	last := time.Date(2025, 7, 1, 8, 0, 0, 0, time.Local)
	for _, b := range batches {
		if b.ImportedAt.After(last) {
			t.Errorf("%s stamped %v, after the demo's last exports", b.FileName, b.ImportedAt)
		}
	}
	// Dates that tell the truth: no condition is met after the file that
	// met it was received.
	snap, err := a.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	met := 0
	for _, r := range snap.Rows {
		for _, c := range r.Conditions {
			if c.MetSince.IsZero() {
				continue
			}
			met++
			if rec := c.MetSource.ImportedAt(); c.MetSince.After(rec) {
				t.Errorf("%s %s: met since %v, in a file received %v", r.Municipality.IBGE, c.Condition, c.MetSince, rec)
			}
		}
	}
	if met < 500 {
		t.Errorf("only %d conditions met", met)
	}
	s, err := New(a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, body := newClient(t, s, "10.21.18.2").get("/teleconsultorias")
	i := strings.Index(body, `id="titulo-sem-uso"`)
	j := strings.Index(body, `aria-labelledby="titulo-mapa-uso"`)
	if i < 0 || j < i {
		t.Fatal("no \"aptos sem uso\" section")
	}
	got := regexp.MustCompile(`href="/municipios/(\d{7})"`).FindAllStringSubmatch(body[i:j], -1)
	f, err := os.Open("../../data/samples/expected/expected_aptos_sem_uso.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var gotCodes, wantCodes []string
	for _, m := range got {
		gotCodes = append(gotCodes, m[1])
	}
	for _, row := range want[1:] {
		wantCodes = append(wantCodes, row[0])
	}
	slices.Sort(gotCodes)
	if len(wantCodes) == 0 || !slices.Equal(gotCodes, wantCodes) {
		t.Errorf("aptos sem uso %v, want %v", gotCodes, wantCodes)
	}
}
