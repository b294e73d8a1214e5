package teleconsultas_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/importers/importertest"
	"github.com/ses-mg/telemonitor/importers/teleconsultas"
	"github.com/ses-mg/telemonitor/internal/records"
)

// TestTeleconsultasCSV: an Excel pt-BR CSV of Feluma's platform (núcleo in
// the file name, title rows above the header), with every rejection and
// warning of the kind.
func TestTeleconsultasCSV(t *testing.T) {
	text := importertest.CSVText(";",
		// Excel writes every column, so the title row has the separators too.
		[]string{"Relatório de solicitações – Feluma", "", "", "", "", "", "", "", "", ""},
		[]string{},
		[]string{"Protocolo", "Município do solicitante", "Data/hora da solicitação", "Data/hora da resposta", "Situação",
			"Especialidade do teleconsultor", "CPF do solicitante", "CBO do solicitante", "Evitou encaminhamento?", "Grau de satisfação"},
		[]string{"F-1", "Itabira", "03/02/2025 08:00", "06/02/2025 08:00", "Respondida", "CARDIOLOGIA", "529.982.247-25", "225142", "Sim", "Muito satisfeito"},
		[]string{"F-2", "3131703", "03/02/2025 08:00", "", "Aguardando resposta", "Dermatologia", "", "", "Não se aplica", ""},
		[]string{"", "Itabira", "03/02/2025 08:00", "", "Aberta", "Pediatria", "", "", "", ""},
		[]string{"F-3", "Cidade Inexistente", "03/02/2025 08:00", "", "Aberta", "Pediatria", "", "", "", ""},
		[]string{"F-4", "Itabira", "", "", "Aberta", "Pediatria", "", "", "", ""},
		[]string{"F-5", "Itabira", "03/02/2025 08:00", "02/02/2025 08:00", "Respondida", "Pediatria", "", "", "", ""},
		[]string{"F-6", "Itabira", "31/02/2025 08:00", "", "Aberta", "Pediatria", "", "", "", ""},
		[]string{"F-7", "Itabira", "2025-02-03 08:00:59", "", "Cancelada", "Acupuntura", "111.111.111-11", "", "talvez", "ótimo"},
		[]string{"F-8", "Itabira", "03/02/2025 08:00", "", "Respondida", "Gastroenterologia", "", "", "", ""},
		[]string{"F-2", "Itabira", "03/02/2025 08:00", "04/02/2025 09:30", "Devolvida", "Dermatologia", "", "", "Não", "Satisfeito"},
		[]string{"Total", "", "", "", "", "", "", "", "", ""},
	)
	res := importertest.ParseBytes(t, "teleconsultas_Feluma_2025-02.csv", importertest.EncodeText(t, "cp1252", text))
	importertest.WantCounts(t, res, records.Teleconsultas, 10, 5, 5)
	importertest.WantIssues(t, res,
		"erro:sem_identificador@6", "erro:municipio_nao_encontrado@7", "erro:sem_data_solicitacao@8",
		"erro:resposta_antes_da_solicitacao@9", "erro:data_invalida@10",
		"aviso:especialidade_desconhecida@11", "aviso:cpf_invalido@11", "aviso:valor_nao_reconhecido@11", "aviso:valor_nao_reconhecido@11",
		"aviso:respondida_sem_data@12", "aviso:solicitacao_duplicada@13")
	byID := map[string]records.Teleconsultation{}
	for _, tc := range res.Teleconsultations {
		byID[tc.ID] = tc
	}
	// Both F-2 rows are kept, in row order: stored in that order, the later
	// one replaces the earlier (internal/ingest tests the store's side).
	if len(res.Teleconsultations) != 5 || len(byID) != 4 {
		t.Fatalf("%d rows of %d requests, want 5 of 4 (F-2 twice)", len(res.Teleconsultations), len(byID))
	}
	f1 := byID["F-1"]
	if f1.Nucleo != "Feluma" || f1.IBGE != importertest.IBGEItabira || f1.Specialty != "Cardiologia" || f1.RequesterCPF != "52998224725" ||
		f1.Status != records.StatusRespondida || f1.Avoided != "sim" || f1.Satisfaction != 5 || f1.RequesterCBO != "225142" {
		t.Errorf("F-1 = %+v", f1)
	}
	f2 := byID["F-2"]
	if f2.Row != 13 || f2.Status != records.StatusRespondida || f2.AnsweredAt.Format("2006-01-02 15:04") != "2025-02-04 09:30" ||
		f2.Avoided != "nao" || f2.Satisfaction != 4 {
		t.Errorf("F-2 (the later row wins) = %+v", f2)
	}
	f7 := byID["F-7"]
	if f7.Status != records.StatusCancelada || f7.Specialty != "Acupuntura" || f7.RequesterCPF != "" || f7.SentAt.Second() != 0 {
		t.Errorf("F-7 = %+v", f7)
	}
	if f8 := byID["F-8"]; f8.Status != records.StatusEmAnalise || f8.Specialty != "Gastrenterologia" {
		t.Errorf("F-8 = %+v", f8)
	}
}

// TestTeleconsultasXLSXSerialTimes: a workbook with a Núcleo column and
// times as Excel serial numbers; 72 h exactly stays 72 h once rounded to
// the second.
func TestTeleconsultasXLSXSerialTimes(t *testing.T) {
	sent := 45689 + 8.0/24           // 2025-02-01 08:00
	answered := sent + 3 + 0.4/86400 // 72 h and 0.4 s of floating-point noise
	data := importertest.XLSXFile(t, importertest.Sheet{Name: "Solicitações", Rows: [][]any{
		{"ID", "Núcleo", "Código IBGE", "Data da solicitação", "Data da resposta", "Status", "Especialidade"},
		{1001, "Hospital das Clínicas - UFMG", 3106200, sent, answered, "Finalizada", "Pediatria"},
		{1002, "Núcleo X", 3106200, sent, "", "Em análise", "Pediatria"},
		{1003, "CTS HC", 310620, sent, "", "", "Obstetrícia"},
	}})
	res := importertest.ParseBytes(t, "export.xlsx", data)
	importertest.WantCounts(t, res, records.Teleconsultas, 3, 2, 1)
	importertest.WantIssues(t, res, "erro:nucleo_invalido@3")
	tc := res.Teleconsultations[0]
	if tc.ID != "1001" || tc.Nucleo != "HC-UFMG" || tc.IBGE != importertest.IBGEBH || tc.AnsweredAt.Sub(tc.SentAt) != 72*time.Hour {
		t.Errorf("1001 = %+v (%v)", tc, tc.AnsweredAt.Sub(tc.SentAt))
	}
	if tc := res.Teleconsultations[1]; tc.Status != records.StatusEmAnalise || tc.Specialty != "Obstetrícia" || tc.Nucleo != "HC-UFMG" {
		t.Errorf("1003 = %+v", tc)
	}
}

func TestTeleconsultasWithoutNucleo(t *testing.T) {
	text := importertest.CSVText(",", []string{"ID", "Município", "Enviada em"}, []string{"7", "Itabira", "03/02/2025 08:00"})
	res := importertest.ParseBytes(t, "solicitacoes.csv", []byte(text))
	importertest.WantIssues(t, res, "erro:nucleo_invalido@2")
	for name, want := range map[string]string{
		"teleconsultas_Feluma_2025-06.csv": "Feluma", "Solicitacoes_HC_UFMG.xlsx": "HC-UFMG", "nutel-fm-2025.csv": "FM-UFMG",
		"teleconsultas_FM-UFMG.ods": "FM-UFMG", "relatorio.csv": "",
	} {
		if got, _ := teleconsultas.NucleoFromFileName(name); got != want {
			t.Errorf("NucleoFromFileName(%q) = %q, want %q", name, got, want)
		}
	}
	if !strings.Contains(res.Issues[0].Message, "nome do arquivo") {
		t.Errorf("message %q", res.Issues[0].Message)
	}
}
