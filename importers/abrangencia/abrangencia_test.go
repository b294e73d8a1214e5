package abrangencia_test

import (
	"fmt"
	"testing"

	"github.com/ses-mg/telemonitor/importers/importertest"
	"github.com/ses-mg/telemonitor/internal/records"
)

// TestAbrangenciaVariations builds its own small files for the variations
// FORMATS.md lists, independently of the sample files: every encoding and
// separator, a title block and a total row.
func TestAbrangenciaVariations(t *testing.T) {
	rows := [][]string{
		{"Lista de municípios da 1ª etapa", "", "", "", ""},
		{"", "", "", "", ""},
		{"Cod IBGE", "Municipio", "Núcleo de Telessaúde", "Ponto AAE", "Ampliação da Média Complexidade"},
		{"313170", "Itabira", "Fundação Lucas Machado", "X", ""},
		{"", "SAO JOAO DEL REI/MG", "CTS HC", "Não", "Sim"},
		{"", "Belo Horizonte - MG", "NUTEL FM", "", ""},
		{"", "Campinas/SP", "Feluma", "", ""},
		{"", "Brasópolis", "Telessaúde Bahia", "", ""},
		{"", "", "", "", ""},
		{"Total", "3", "", "", ""},
	}
	for _, enc := range []string{"utf8", "utf8bom", "cp1252", "utf16le"} {
		for _, sep := range []string{",", ";", "\t"} {
			t.Run(fmt.Sprintf("%s/%q", enc, sep), func(t *testing.T) {
				res := importertest.ParseBytes(t, "abrangencia.csv", importertest.EncodeText(t, enc, importertest.CSVText(sep, rows...)))
				importertest.WantCounts(t, res, records.Abrangencia, 5, 3, 2)
				importertest.WantIssues(t, res, "erro:municipio_nao_encontrado@7", "erro:nucleo_invalido@8")
				want := []records.Coverage{
					{IBGE: importertest.IBGEItabira, Nucleo: "Feluma", Stage: 1, AAESeat: true},
					{IBGE: importertest.IBGESJDR, Nucleo: "HC-UFMG", Stage: 1, AAESetup: true},
					{IBGE: importertest.IBGEBH, Nucleo: "FM-UFMG", Stage: 1},
				}
				if len(res.Coverage) != len(want) {
					t.Fatalf("coverage = %+v", res.Coverage)
				}
				for i, c := range res.Coverage {
					c.Where = records.Where{}
					if c != want[i] {
						t.Errorf("coverage[%d] = %+v, want %+v", i, c, want[i])
					}
				}
			})
		}
	}
}
