package moodle_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/importers"
	"github.com/ses-mg/telemonitor/importers/importertest"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/scale"
)

// These tests build their own small files, independently of the sample
// files: encodings, long dates and Report builder prefixes.

func TestMoodleCompletionReportVariations(t *testing.T) {
	cpf := scale.CPF(111444777)
	rows := [][]string{
		{"ID", "Nome", "Endereço de email", "CPF", "Cidade/Município", "Questionário final", "Questionário final - Data de conclusão", "Curso concluído"},
		{"10", "Ana Paula", "Ana@Exemplo.com.br", cpf, "Itabira", "Concluído", "12/03/2024 09:41", "12/03/2024 09:41"},
		{"11", "Bruno", "bruno@exemplo.com.br", "", "Itabira", "", "", ""},
		{"12", "Carla", "carla@exemplo.com.br", "", "Itabira", "Concluído", "", "1/04/2024 10:00"},
		{"13", "Davi", "davi@exemplo.com.br", "", "Itabira", "", "", "amanhã"},
		{"14", "Eva", "eva@exemplo.com.br", "", "Itabira", "", "", "12/03/24, 09:41"},
		{"15", "Fábio", "fabio@exemplo.com.br", "", "Itabira", "", "", "2024-03-12 09:41:00"},
	}
	for _, enc := range []string{"utf8", "utf8bom", "utf16le"} {
		t.Run(enc, func(t *testing.T) {
			name := "completion-telessaude_mg_bloco1-20240315_1200-comma_separated.csv"
			res := importertest.ParseBytes(t, name, importertest.EncodeText(t, enc, importertest.CSVText(",", rows...)))
			importertest.WantCounts(t, res, records.Moodle, 6, 4, 1)
			importertest.WantIssues(t, res, "erro:data_invalida@5")
			if res.Ignored[records.SemDataConclusao] != 1 {
				t.Errorf("ignored = %v", res.Ignored)
			}
			c := res.Completions
			want := time.Date(2024, 3, 12, 9, 41, 0, 0, time.Local)
			if c[0].Course != "telessaude_mg_bloco1" || c[0].CPF != cpf || c[0].Email != "ana@exemplo.com.br" || !c[0].CompletedAt.Equal(want) {
				t.Errorf("completion = %+v", c[0])
			}
			if !c[1].CompletedAt.Equal(time.Date(2024, 4, 1, 10, 0, 0, 0, time.Local)) {
				t.Errorf("d/mm/yyyy date = %v", c[1].CompletedAt)
			}
			for _, x := range c[2:] {
				if !x.CompletedAt.Equal(want) {
					t.Errorf("%s: date = %v, want %v", x.Name, x.CompletedAt, want)
				}
			}
		})
	}
	t.Run("other course", func(t *testing.T) {
		res := importertest.ParseBytes(t, "completion-bloco2_regulacao-20240315_1200-comma_separated.csv", []byte(importertest.CSVText(",", rows...)))
		if res.Accepted != 0 || res.Ignored[records.CursoForaDoBloco1] != 6 || res.Rejected != 0 {
			t.Errorf("accepted=%d ignored=%v rejected=%d", res.Accepted, res.Ignored, res.Rejected)
		}
	})
	t.Run("course unknown", func(t *testing.T) {
		ctx := importertest.Context(t, "relatorio.csv")
		if _, err := importers.Parse(ctx, []byte(importertest.CSVText(",", rows...)), ""); err == nil || !strings.Contains(err.Error(), "--course") {
			t.Errorf("err = %v, want a message asking for the course", err)
		}
		ctx.Course = "telessaude_mg_bloco1"
		res, err := importers.Parse(ctx, []byte(importertest.CSVText(",", rows...)), "")
		if err != nil || res.Accepted != 4 {
			t.Errorf("with --course: err=%v accepted=%v", err, res)
		}
	})
}

func TestMoodleReportBuilderVariations(t *testing.T) {
	header := []string{"Course completion: Time completed", "User: Full name", "User: Email address", "User: CPF",
		"Course: Course short name", "Course completion: Completed"}
	body := [][]string{
		{"Tuesday, 12 March 2024, 9:41 AM", "Ana", "ana@ex.com", "", "telessaude_mg_bloco1", "Yes"},
		{"terça-feira, 12 mar 2024, 09:41", "Bia", "bia@ex.com", "", "TELESSAUDE_MG_BLOCO1", "Sim"},
		{"", "Caio", "caio@ex.com", "", "telessaude_mg_bloco1", "No"},
		{"Monday, 1 April 2024, 2:05 PM", "Dora", "dora@ex.com", "", "outro_curso", "Yes"},
		{"Friday, 21 June 2024, 5:44 PM", "Eli", "eli@ex.com", "", "telessaude_mg_bloco1", "Yes"},
	}
	check := func(t *testing.T, res *records.Result) {
		t.Helper()
		importertest.WantCounts(t, res, records.Moodle, 5, 3, 0)
		if res.Ignored[records.SemDataConclusao] != 1 || res.Ignored[records.CursoForaDoBloco1] != 1 {
			t.Errorf("ignored = %v", res.Ignored)
		}
		want := []time.Time{
			time.Date(2024, 3, 12, 9, 41, 0, 0, time.Local),
			time.Date(2024, 3, 12, 9, 41, 0, 0, time.Local),
			time.Date(2024, 6, 21, 17, 44, 0, 0, time.Local),
		}
		for i, c := range res.Completions {
			if !c.CompletedAt.Equal(want[i]) {
				t.Errorf("%s: %v, want %v", c.Name, c.CompletedAt, want[i])
			}
		}
	}
	t.Run("csv with BOM", func(t *testing.T) {
		check(t, importertest.ParseBytes(t, "Conclusao_Bloco1.csv", importertest.EncodeText(t, "utf8bom", importertest.CSVText(",", append([][]string{header}, body...)...))))
	})
	t.Run("xlsx, every cell text", func(t *testing.T) {
		rows := [][]any{}
		for _, r := range append([][]string{header}, body...) {
			row := []any{}
			for _, c := range r {
				row = append(row, c)
			}
			rows = append(rows, row)
		}
		check(t, importertest.ParseBytes(t, "Conclusao_Bloco1.xlsx", importertest.XLSXFile(t, importertest.Sheet{Name: "Sheet1", Rows: rows})))
	})
}
