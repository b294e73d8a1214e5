package ingest_test

import (
	"context"
	"testing"

	"github.com/ses-mg/telemonitor/internal/ingest"
)

// TestIssueRows: each issue comes back with its row's values and its
// municipality, whether the row names it, the kind does not read it (a
// Moodle identity field) or only the file name gives it.
func TestIssueRows(t *testing.T) {
	a := openApp(t)
	ctx := context.Background()
	files := map[string]string{
		"Planilha_cadastro_profissionais_Agua_Comprida.csv": "Nome completo;CPF;E-mail\nAna;123;ana@x.br\n",
		// The municipality is not the file name's last words: the rows
		// take it by the importer's rule (the longest run that names one).
		"cadastro_Campo_Belo_lote2.csv": "Nome completo;CPF;E-mail\nCris;124;cris@x.br\n",
		"moodle.csv": "Nome completo,Endereço de email,CPF,Município,Nome breve do curso,Concluído,Time completed\n" +
			"Bia,bia@x.br,52998224725,Itabira,telessaude_mg_bloco1,Sim,\"Tuesday, 12 March 2024, 9:41 AM\"\n",
	}
	want := map[string]struct{ ibge, value string }{
		"Planilha_cadastro_profissionais_Agua_Comprida.csv": {"3100708", "ana@x.br"},
		"cadastro_Campo_Belo_lote2.csv":                     {"3111200", "cris@x.br"},
		"moodle.csv":                                        {"3131703", "bia@x.br"},
	}
	for name, body := range files {
		rep, err := a.Ingest.Import(ctx, name, []byte(body), ingest.Options{})
		if err != nil || rep.BatchID == 0 || len(rep.Issues) != 1 {
			t.Fatalf("%s: %+v %v", name, rep, err)
		}
		b, content, err := a.Store.Batch(ctx, rep.BatchID)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := a.Ingest.IssueRows(b, content, rep.Issues)
		if err != nil || len(rows.Rows) != 1 {
			t.Fatalf("%s: %+v %v", name, rows, err)
		}
		r, w := rows.Rows[0], want[name]
		found := false
		for i, c := range rows.Columns {
			if c.Personal == ingest.PersonalEmail && r.Values[i] == w.value {
				found = true
			}
		}
		if r.IBGE != w.ibge || !found || r.Row != 2 {
			t.Errorf("%s: row %+v, columns %+v", name, r, rows.Columns)
		}
	}
}
