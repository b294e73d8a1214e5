package importers

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/records"
)

// These tests read files written by the software SES receives them from
// (LibreOffice Calc, pandas/openpyxl, SheetJS, Excel's encryption), made
// by testdata/make_fixtures.py and committed.

const fixtures = "testdata/fixtures"

func parseFixture(t *testing.T, name string) (*records.Result, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	ctx := &common.Context{Territory: loadTerritory(t), Config: conditions.DefaultConfig(), FileName: name}
	return Parse(ctx, data, "")
}

// issuesOf lists a result's issues as "code@row:column".
func issuesOf(res *records.Result) []string {
	var out []string
	for _, i := range res.Issues {
		out = append(out, i.Code+"@"+strconv.Itoa(i.Row)+":"+i.Column)
	}
	return out
}

func cpfsOf(res *records.Result) map[string]string {
	out := map[string]string{}
	for _, p := range res.Professionals {
		out[p.Name] = p.CPF + "/" + p.CNES
	}
	return out
}

// A CPF column that was numbers, saved as text (pandas dtype=str) or as an
// Excel pt-BR CSV: the zeros it lost are restored when the padded CPF
// passes both check digits, with a warning; a 6-digit CNES likewise.
func TestTextCPFWithLostZeros(t *testing.T) {
	for _, name := range []string{"cadastro_texto_pandas.xlsx", "cadastro_excel_ptbr.csv"} {
		res, err := parseFixture(t, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := map[string]string{"Maria Zeros Perdidos": "08942471668/0947202", "João Nove Dígitos": "00123456797/2204010"}
		if got := cpfsOf(res); len(got) != 2 || got["Maria Zeros Perdidos"] != want["Maria Zeros Perdidos"] ||
			got["João Nove Dígitos"] != want["João Nove Dígitos"] {
			t.Errorf("%s: professionals %v", name, got)
		}
		wantIssues := []string{"zeros_restaurados@2:CPF", "zeros_restaurados@2:CNES", "zeros_restaurados@3:CPF", "cpf_invalido@4:CPF"}
		if got := issuesOf(res); !slices.Equal(got, wantIssues) {
			t.Errorf("%s: issues %v, want %v", name, got, wantIssues)
		}
	}
}

// Calc turned the text "2,9684E+14" into the number 296840000000000 shown
// as 0.00E+00: such an identifier is lost, never guessed, in .xlsx and .ods.
func TestScientificIdentifiersAreLost(t *testing.T) {
	for _, name := range []string{"cadastro_cientifico_calc.xlsx", "cadastro_cientifico_calc.ods"} {
		res, err := parseFixture(t, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wantIssues := []string{"identificador_perdido@2:CNS", "identificador_perdido@3:CPF"}
		if got := issuesOf(res); !slices.Equal(got, wantIssues) {
			t.Errorf("%s: issues %v, want %v", name, got, wantIssues)
		}
		if res.Accepted != 2 || len(res.Professionals) != 2 || res.Professionals[0].CNS != "" {
			t.Errorf("%s: %d accepted, %+v", name, res.Accepted, res.Professionals)
		}
		for _, i := range res.Issues {
			if !strings.Contains(i.Message, "notação científica") {
				t.Errorf("%s: message %q", name, i.Message)
			}
		}
	}
}

// SheetJS writes dates as ISO 8601 date cells (t="d", in UTC): each is the
// wall time in Brasília.
func TestISODateCells(t *testing.T) {
	res, err := parseFixture(t, "envio_datas_iso_sheetjs.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{
		time.Date(2025, 7, 27, 0, 0, 0, 0, time.Local),
		time.Date(2025, 7, 28, 12, 30, 0, 0, time.Local),
		time.Date(2025, 7, 26, 21, 0, 0, 0, time.Local),
	}
	if len(res.DataSent) != len(want) {
		t.Fatalf("%d dates, issues %v", len(res.DataSent), issuesOf(res))
	}
	for i, d := range res.DataSent {
		if !d.SentOn.Equal(want[i]) {
			t.Errorf("row %d: %v, want %v", d.Row, d.SentOn, want[i])
		}
	}
}

// A password-protected workbook and a legacy .xls are both OLE files; each
// is refused with what to do about it.
func TestOLEFilesAreToldApart(t *testing.T) {
	for name, want := range map[string]string{
		"protegida_senha.xlsx": "protegida por senha",
		"legado_excel97.xls":   "arquivos .xls (Excel 97-2003) não são aceitos",
	} {
		_, err := parseFixture(t, name)
		if err == nil || !table.IsFileError(err) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A sample registration sheet saved by LibreOffice as .ods reads as the
// original .xlsx does.
func TestODSLikeXLSX(t *testing.T) {
	ods, err := parseFixture(t, "cadastro_Campos_Altos_libreoffice.ods")
	if err != nil {
		t.Fatal(err)
	}
	orig := parseFile(t, loadTerritory(t), filepath.Join(samplesDir, "cadastro/FM-UFMG/Planilha_cadastro_profissionais_Campos_Altos.xlsx"))
	if ods.RowsRead != orig.RowsRead || ods.Accepted != orig.Accepted || len(ods.Professionals) != len(orig.Professionals) {
		t.Fatalf("ods %d/%d, xlsx %d/%d", ods.RowsRead, ods.Accepted, orig.RowsRead, orig.Accepted)
	}
	for i, p := range ods.Professionals {
		q := orig.Professionals[i]
		p.Where.Sheet, q.Where.Sheet = "", ""
		if p != q {
			t.Errorf("ods %+v\nxlsx %+v", p, q)
		}
	}
	if !slices.Equal(issuesOf(ods), issuesOf(orig)) {
		t.Errorf("issues %v, xlsx %v", issuesOf(ods), issuesOf(orig))
	}
}
