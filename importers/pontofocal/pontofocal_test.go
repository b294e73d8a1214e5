package pontofocal_test

import (
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/importers/importertest"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/scale"
)

// TestPontoFocalVariations builds a Microsoft Forms export of its own,
// independent of the sample files: anonymous respondents and
// re-submissions.
func TestPontoFocalVariations(t *testing.T) {
	cpf := scale.CPF(529982247)
	header := []any{"ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
		"Qual o código IBGE do seu município?", "Nome completo do ponto focal indicado",
		"CPF do ponto focal", "E-mail do ponto focal", "Telefone (WhatsApp)", "Cargo/Função"}
	data := importertest.XLSXFile(t, importertest.Sheet{Name: "Form1", Rows: [][]any{
		header,
		{1, 45400.5, 45400.51, "anonymous", "", "", 3131703, "Maria Souza", ident.FormatCPF(cpf), "maria@itabira.mg.gov.br", "", "Coordenadora APS"},
		// A re-submission for the same municipality, later, with only a phone.
		{2, 45410.4, 45410.41, "secretaria@itabira.mg.gov.br", "Secretaria", 45411.2, "3131703", "João Lima", "", "", "(31) 98888-7777", ""},
		{3, 45410.4, 45410.41, "anonymous", "", "", "3106200", "", "", "x@y.com", "", ""},
		{4, 45410.4, 45410.41, "anonymous", "", "", "3106200", "Ana", "", "não tenho", "123", ""},
		{5, 45410.4, "ontem", "anonymous", "", "", "3106200", "Ana", "", "ana@pbh.gov.br", "", ""},
		{6, 45410.4, 45410.41, "anonymous", "", "", "9999999", "Ana", "", "ana@pbh.gov.br", "", ""},
	}})
	res := importertest.ParseBytes(t, "Indicacao_Ponto_Focal(1-6).xlsx", data)
	importertest.WantCounts(t, res, records.PontoFocal, 6, 2, 4)
	importertest.WantIssues(t, res, "erro:sem_nome@4", "erro:sem_contato_valido@5", "erro:data_invalida@6", "erro:municipio_nao_encontrado@7")
	n := res.Nominations
	if len(n) != 2 {
		t.Fatalf("nominations = %+v", n)
	}
	if n[0].Name != "Maria Souza" || n[0].CPF != cpf || n[0].Email != "maria@itabira.mg.gov.br" || n[0].Respondent != "" {
		t.Errorf("first response = %+v", n[0])
	}
	// The respondent is not the focal point; the last modification time is
	// the response time.
	if n[1].Name != "João Lima" || n[1].Email != "" || n[1].Phone == "" || n[1].Respondent != "secretaria@itabira.mg.gov.br" {
		t.Errorf("re-submission = %+v", n[1])
	}
	if want := time.Date(2024, 4, 29, 4, 48, 0, 0, time.Local); !n[1].CompletedAt.Equal(want) {
		t.Errorf("re-submission time = %v, want %v (last modified)", n[1].CompletedAt, want)
	}
	// Latest response wins: the engine picks it from the accepted ones.
	latest := conditions.Evaluate(conditions.Input{
		IBGE:        importertest.IBGEItabira,
		Coverage:    &conditions.Coverage{Nucleo: "Feluma"},
		Nominations: []conditions.Nomination{{Name: n[0].Name, CompletedAt: n[0].CompletedAt}, {Name: n[1].Name, CompletedAt: n[1].CompletedAt}},
	}, nil)
	if latest.FocalPoint == nil || latest.FocalPoint.Name != "João Lima" {
		t.Errorf("focal point after re-submission = %+v", latest.FocalPoint)
	}
}
