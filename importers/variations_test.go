package importers

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/scale"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// These tests build their own small files for every variation FORMATS.md
// lists, independently of the sample files: encodings, separators, title
// blocks, several sheets, number cells, long dates, Report builder prefixes,
// anonymous respondents and re-submissions.

// encodeText writes text as one of the CSV encodings FORMATS.md accepts.
func encodeText(t *testing.T, enc, text string) []byte {
	t.Helper()
	switch enc {
	case "utf8":
		return []byte(text)
	case "utf8bom":
		return append([]byte{0xEF, 0xBB, 0xBF}, text...)
	case "cp1252":
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return b
	case "utf16le":
		out := []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(text)) {
			out = append(out, byte(u), byte(u>>8))
		}
		return out
	}
	t.Fatalf("unknown encoding %s", enc)
	return nil
}

// csvText joins rows with a separator and CRLF, quoting cells that need it.
func csvText(sep string, rows ...[]string) string {
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteString(sep)
			}
			if strings.ContainsAny(c, sep+"\"\n,") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

type sheet struct {
	name string
	rows [][]any
}

// xlsxFile builds a workbook; int, float64 and time.Time values become
// number cells, strings text cells.
func xlsxFile(t *testing.T, sheets ...sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var testTerritory *territory.Territory

func parseBytes(t *testing.T, name string, data []byte) *records.Result {
	t.Helper()
	if testTerritory == nil {
		testTerritory = loadTerritory(t)
	}
	ctx := &common.Context{Territory: testTerritory, Config: conditions.DefaultConfig(), FileName: name}
	res, err := Parse(ctx, data, "")
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// issueCodes lists a result's issues as "severity:code@row" in order.
func issueCodes(res *records.Result) []string {
	var out []string
	for _, i := range res.Issues {
		out = append(out, fmt.Sprintf("%s:%s@%d", i.Severity, i.Code, i.Row))
	}
	return out
}

func wantIssues(t *testing.T, res *records.Result, want ...string) {
	t.Helper()
	got := issueCodes(res)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("issues = %v\nwant     %v", got, want)
	}
}

func wantCounts(t *testing.T, res *records.Result, kind records.Kind, read, accepted, rejected int) {
	t.Helper()
	if res.Kind != kind || res.RowsRead != read || res.Accepted != accepted || res.Rejected != rejected {
		t.Errorf("kind=%s read=%d accepted=%d rejected=%d; want %s %d %d %d",
			res.Kind, res.RowsRead, res.Accepted, res.Rejected, kind, read, accepted, rejected)
	}
}

const (
	ibgeItabira = "3131703"
	ibgeBH      = "3106200"
	ibgeSJDR    = "3162500"
)

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
				res := parseBytes(t, "abrangencia.csv", encodeText(t, enc, csvText(sep, rows...)))
				wantCounts(t, res, records.Abrangencia, 5, 3, 2)
				wantIssues(t, res, "erro:municipio_nao_encontrado@7", "erro:nucleo_invalido@8")
				want := []records.Coverage{
					{IBGE: ibgeItabira, Nucleo: "Feluma", Stage: 1, AAESeat: true},
					{IBGE: ibgeSJDR, Nucleo: "HC-UFMG", Stage: 1, AAESetup: true},
					{IBGE: ibgeBH, Nucleo: "FM-UFMG", Stage: 1},
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

func TestFormalizacaoVariations(t *testing.T) {
	signed := time.Date(2024, 7, 1, 0, 0, 0, 0, time.Local)
	data := xlsxFile(t, sheet{"Instrumentos", [][]any{
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
	res := parseBytes(t, "formalizacao.xlsx", data)
	wantCounts(t, res, records.Formalizacao, 5, 3, 2)
	wantIssues(t, res, "erro:situacao_desconhecida@8", "erro:data_invalida@9")
	f := res.Formalisations
	if len(f) != 3 || !f[0].Signed || !f[0].SignedOn.Equal(signed) || f[0].Reference != "1320.01.0001/2024-11" ||
		f[1].Signed || f[1].IBGE != ibgeSJDR || !f[2].Signed || !f[2].SignedOn.Equal(signed) {
		t.Errorf("formalisations = %+v", f)
	}
	if res.Sheets[0] != "Instrumentos" || res.Issues[0].Sheet != "Instrumentos" || res.Issues[0].Column != "Status" {
		t.Errorf("issue location = %+v", res.Issues[0])
	}
}

func TestPontoFocalVariations(t *testing.T) {
	cpf := scale.CPF(529982247)
	header := []any{"ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
		"Qual o código IBGE do seu município?", "Nome completo do ponto focal indicado",
		"CPF do ponto focal", "E-mail do ponto focal", "Telefone (WhatsApp)", "Cargo/Função"}
	data := xlsxFile(t, sheet{"Form1", [][]any{
		header,
		{1, 45400.5, 45400.51, "anonymous", "", "", 3131703, "Maria Souza", ident.FormatCPF(cpf), "maria@itabira.mg.gov.br", "", "Coordenadora APS"},
		// A re-submission for the same municipality, later, with only a phone.
		{2, 45410.4, 45410.41, "secretaria@itabira.mg.gov.br", "Secretaria", 45411.2, "3131703", "João Lima", "", "", "(31) 98888-7777", ""},
		{3, 45410.4, 45410.41, "anonymous", "", "", "3106200", "", "", "x@y.com", "", ""},
		{4, 45410.4, 45410.41, "anonymous", "", "", "3106200", "Ana", "", "não tenho", "123", ""},
		{5, 45410.4, "ontem", "anonymous", "", "", "3106200", "Ana", "", "ana@pbh.gov.br", "", ""},
		{6, 45410.4, 45410.41, "anonymous", "", "", "9999999", "Ana", "", "ana@pbh.gov.br", "", ""},
	}})
	res := parseBytes(t, "Indicacao_Ponto_Focal(1-6).xlsx", data)
	wantCounts(t, res, records.PontoFocal, 6, 2, 4)
	wantIssues(t, res, "erro:sem_nome@4", "erro:sem_contato_valido@5", "erro:data_invalida@6", "erro:municipio_nao_encontrado@7")
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
		IBGE:        ibgeItabira,
		Coverage:    &conditions.Coverage{Nucleo: "Feluma"},
		Nominations: []conditions.Nomination{{Name: n[0].Name, CompletedAt: n[0].CompletedAt}, {Name: n[1].Name, CompletedAt: n[1].CompletedAt}},
	}, nil)
	if latest.FocalPoint == nil || latest.FocalPoint.Name != "João Lima" {
		t.Errorf("focal point after re-submission = %+v", latest.FocalPoint)
	}
}

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
			res := parseBytes(t, name, encodeText(t, enc, csvText(",", rows...)))
			wantCounts(t, res, records.Moodle, 6, 4, 1)
			wantIssues(t, res, "erro:data_invalida@5")
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
		res := parseBytes(t, "completion-bloco2_regulacao-20240315_1200-comma_separated.csv", []byte(csvText(",", rows...)))
		if res.Accepted != 0 || res.Ignored[records.CursoForaDoBloco1] != 6 || res.Rejected != 0 {
			t.Errorf("accepted=%d ignored=%v rejected=%d", res.Accepted, res.Ignored, res.Rejected)
		}
	})
	t.Run("course unknown", func(t *testing.T) {
		ctx := &common.Context{Territory: loadTerritory(t), Config: conditions.DefaultConfig(), FileName: "relatorio.csv"}
		if _, err := Parse(ctx, []byte(csvText(",", rows...)), ""); err == nil || !strings.Contains(err.Error(), "--course") {
			t.Errorf("err = %v, want a message asking for the course", err)
		}
		ctx.Course = "telessaude_mg_bloco1"
		res, err := Parse(ctx, []byte(csvText(",", rows...)), "")
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
		wantCounts(t, res, records.Moodle, 5, 3, 0)
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
		check(t, parseBytes(t, "Conclusao_Bloco1.csv", encodeText(t, "utf8bom", csvText(",", append([][]string{header}, body...)...))))
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
		check(t, parseBytes(t, "Conclusao_Bloco1.xlsx", xlsxFile(t, sheet{"Sheet1", rows})))
	})
}

func TestCadastroVariations(t *testing.T) {
	cpfZero := scale.CPF(12345678) // starts with 0: a number cell loses it
	cpfA, cpfB := scale.CPF(529982247), scale.CPF(111444777)
	t.Run("title block, number cells", func(t *testing.T) {
		data := xlsxFile(t, sheet{"Cadastro", [][]any{
			{"Cadastro de profissionais – Teleconsultoria"},
			{"Município: Itabira"},
			{},
			{"Nome do profissional", "CPF", "Cartão SUS", "CBO", "CNES", "INE", "Nível de atenção", "E-mail", "Telefone"},
			// Ana's CPF typed into a number cell: Excel keeps it without the leading zero.
			{"Ana", numberCell(t, cpfZero), "", "2231F9", 2108343, 1234567, "APS", "ana@x.com", "31988887777"},
			{"Bia", ident.FormatCPF(cpfA), "", "", "", "", "Atenção Especializada", "bia@", ""},
			{"Bia de novo", cpfA, "", "", "", "", "AAE", "", ""},
			{"Caio", "123.456.789-00", "", "", "", "", "APS", "", ""},
			{"", cpfB, "", "", "", "", "APS", "", ""},
			{"Dani", cpfB, "", "", "", "", "Secretaria", "", ""},
		}})
		res := parseBytes(t, "qualquer_nome.xlsx", data)
		// Accepted counts rows; the duplicate row is accepted and merged.
		wantCounts(t, res, records.Cadastro, 6, 4, 2)
		wantIssues(t, res, "aviso:zeros_restaurados@5", "aviso:email_invalido@6", "aviso:cpf_duplicado@7",
			"erro:cpf_invalido@8", "erro:sem_nome@9", "aviso:nivel_atencao_desconhecido@10")
		p := res.Professionals
		if len(p) != 3 || p[0].CPF != cpfZero || p[0].IBGE != ibgeItabira || p[0].CNES != "2108343" || p[0].INE != "0001234567" ||
			p[0].CBO != "2231F9" || p[0].CareLevel != "APS" || p[1].CareLevel != "AAE" || p[2].CareLevel != "" {
			t.Errorf("professionals = %+v", p)
		}
		if got := sheetMunicipalities(res); got != ibgeItabira {
			t.Errorf("replaced municipalities = %v", got)
		}
	})
	t.Run("file name gives the municipality, cp1252 ; csv with lost identifiers", func(t *testing.T) {
		text := csvText(";",
			[]string{"Nome completo", "CPF", "CNS", "Ocupação", "Unidade de saúde", "INE"},
			[]string{"José Conceição", ident.FormatCPF(cpfA), "2,26018E+14", "Médico", "UBS Centro", ""},
			[]string{"Lúcia", "5,29982E+10", "", "Enfermeira", "UBS Centro", "0000123456"},
		)
		res := parseBytes(t, "cadastro_Agua_Comprida.csv", encodeText(t, "cp1252", text))
		wantCounts(t, res, records.Cadastro, 2, 1, 1)
		// No care-level column and no INE: the level is unknown.
		wantIssues(t, res, "aviso:identificador_perdido@2", "aviso:nivel_atencao_desconhecido@2", "erro:identificador_perdido@3")
		p := res.Professionals[0]
		if p.Name != "José Conceição" || p.IBGE != "3100708" || p.CNS != "" || p.Establishment != "UBS Centro" || p.CareLevel != "" {
			t.Errorf("professional = %+v", p)
		}
	})
	t.Run("consolidated workbook, several sheets", func(t *testing.T) {
		header := []any{"Município", "Nome", "CPF", "Ponto de atenção"}
		data := xlsxFile(t,
			sheet{"Leia-me", [][]any{{"Preencha uma linha por profissional."}}},
			sheet{"APS", [][]any{header, {"Itabira", "Ana", cpfA, "Atenção Primária"}, {"Belo Horizonte", "Bia", cpfB, "AB"}}},
			sheet{"AAE", [][]any{header, {"Itabira", "Caio", cpfB, "Ambulatorial Especializada"}, {"Gotham", "Duda", cpfA, "AAE"}}},
		)
		res := parseBytes(t, "consolidado.xlsx", data)
		wantCounts(t, res, records.Cadastro, 4, 3, 1)
		if strings.Join(res.Sheets, ",") != "APS,AAE" {
			t.Errorf("sheets = %v", res.Sheets)
		}
		if len(res.Issues) != 1 || res.Issues[0].Sheet != "AAE" || res.Issues[0].Row != 3 || res.Issues[0].Code != records.MunicipioNaoEncontrado {
			t.Errorf("issues = %+v", res.Issues)
		}
		if got := sheetMunicipalities(res); got != ibgeBH+","+ibgeItabira {
			t.Errorf("replaced municipalities = %v", got)
		}
	})
}

func TestEnvioVariations(t *testing.T) {
	text := csvText("\t",
		[]string{"Código IBGE", "Data do envio"},
		[]string{"3131703", "05/08/2024"},
		[]string{"316250", "2024-08-06"},
		[]string{"3106200", "06/13/2024"},
	)
	res := parseBytes(t, "envio.csv", encodeText(t, "utf8", text))
	wantCounts(t, res, records.Envio, 3, 2, 1)
	wantIssues(t, res, "erro:data_invalida@4")
	if d := res.DataSent; len(d) != 2 || d[1].IBGE != ibgeSJDR || !d[0].SentOn.Equal(time.Date(2024, 8, 5, 0, 0, 0, 0, time.Local)) {
		t.Errorf("data sent = %+v", d)
	}
}

// numberCell is the value of a digit string typed into a number cell.
func numberCell(t *testing.T, digits string) int {
	t.Helper()
	n, err := strconv.Atoi(digits)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// sheetMunicipalities lists, sorted, the municipalities whose registration
// sheet a cadastro file replaces: those it brings professionals for.
func sheetMunicipalities(res *records.Result) string {
	var out []string
	for _, p := range res.Professionals {
		if !slices.Contains(out, p.IBGE) {
			out = append(out, p.IBGE)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}
