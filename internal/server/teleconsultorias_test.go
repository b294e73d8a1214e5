package server

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"

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
