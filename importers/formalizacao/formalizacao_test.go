package formalizacao_test

import (
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/importers/importertest"
	"github.com/ses-mg/telemonitor/internal/records"
)

// TestFormalizacaoVariations builds a workbook of its own, independent of
// the sample files: a title block, a date as a serial number and as text,
// and unknown situations.
func TestFormalizacaoVariations(t *testing.T) {
	signed := time.Date(2024, 7, 1, 0, 0, 0, 0, time.Local)
	data := importertest.XLSXFile(t, importertest.Sheet{Name: "Instrumentos", Rows: [][]any{
		{"SES-MG – Subsecretaria de Regulação"},
		{"Situação dos instrumentos de formalização"},
		{},
		{"Código IBGE", "Município", "Status", "Data de assinatura", "Processo SEI"},
		{3131703, "Itabira", "Formalizado", 45474, "1320.01.0001/2024-11"}, // serial 45474 = 01/07/2024
		{"", "São João del-Rei", "Em tramitação", "", ""},
		{"", "Belo Horizonte", "Assinado", "01/07/2024", ""},
		{"", "Dona Eusébia", "Talvez", "", ""},
		{"", "Olhos d'Água", "Sim", "31/02/2024", ""},
	}})
	res := importertest.ParseBytes(t, "formalizacao.xlsx", data)
	importertest.WantCounts(t, res, records.Formalizacao, 5, 3, 2)
	importertest.WantIssues(t, res, "erro:situacao_desconhecida@8", "erro:data_invalida@9")
	f := res.Formalisations
	if len(f) != 3 || !f[0].Signed || !f[0].SignedOn.Equal(signed) || f[0].Reference != "1320.01.0001/2024-11" ||
		f[1].Signed || f[1].IBGE != importertest.IBGESJDR || !f[2].Signed || !f[2].SignedOn.Equal(signed) {
		t.Errorf("formalisations = %+v", f)
	}
	if res.Sheets[0] != "Instrumentos" || res.Issues[0].Sheet != "Instrumentos" || res.Issues[0].Column != "Status" {
		t.Errorf("issue location = %+v", res.Issues[0])
	}
}
