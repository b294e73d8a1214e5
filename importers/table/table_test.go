package table

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func rowsOf(t *testing.T, name string, data []byte) [][]string {
	t.Helper()
	wb, err := Open(name, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer wb.Close()
	sh, err := wb.Sheet(wb.SheetNames()[0])
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readAll(sh)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, r := range rows {
		out = append(out, r.Cells)
	}
	return out
}

func TestCSVEncodingsAndSeparators(t *testing.T) {
	text := "Município;Núcleo\nSão João del-Rei;HC-UFMG\n"
	cp1252, _ := charmap.Windows1252.NewEncoder().String(text)
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(text, ";", "\t"))
	cases := map[string][]byte{
		"utf8":       []byte(text),
		"utf8 bom":   append([]byte{0xEF, 0xBB, 0xBF}, text...),
		"cp1252":     []byte(cp1252),
		"utf16 tab":  []byte(utf16),
		"comma":      []byte(strings.ReplaceAll(text, ";", ",")),
		"crlf":       []byte(strings.ReplaceAll(text, "\n", "\r\n")),
		"quoted sep": []byte("\"Município\";\"Núcleo\"\n\"São João del-Rei\";\"HC-UFMG\"\n"),
	}
	for name, data := range cases {
		rows := rowsOf(t, "x.csv", data)
		if len(rows) != 2 || rows[0][0] != "Município" || rows[1][0] != "São João del-Rei" || rows[1][1] != "HC-UFMG" {
			t.Errorf("%s: %q", name, rows)
		}
	}
}

func TestRefusals(t *testing.T) {
	cases := map[string][]byte{
		"vazio.csv": nil,
		"a.xls":     []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0},
		"b.xlsx":    []byte("PK\x03\x04garbage"),
		"c.xlsx":    []byte("plain text named xlsx"),
		"d.bin":     {0x00, 0x01, 0x02, 0x00},
		"longo.csv": bytes.Repeat([]byte("x"), MaxLineBytes+10),
	}
	for name, data := range cases {
		_, err := Open(name, data)
		if err == nil || !IsFileError(err) {
			t.Errorf("%s: err %v", name, err)
		}
	}
}

func TestTooManyColumns(t *testing.T) {
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	row := make([]any, 16384)
	for i := range row {
		row[i] = "x"
	}
	if err := sw.SetRow("A1", row); err != nil {
		t.Fatal(err)
	}
	sw.Flush()
	var buf bytes.Buffer
	f.WriteTo(&buf)
	wb, err := Open("wide.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := wb.Sheet("Sheet1")
	if _, err := sh.Next(); err == nil || !IsFileError(err) {
		t.Errorf("16384 columns: %v", err)
	}
	wide := strings.Repeat("a;", 20000) + "\n"
	wb, err = Open("wide.csv", []byte(wide))
	if err != nil {
		t.Fatal(err)
	}
	sh, _ = wb.Sheet("")
	if _, err := sh.Next(); err == nil || !IsFileError(err) {
		t.Errorf("wide csv: %v", err)
	}
}

// TestXLSXNumberCells checks that number cells are told apart from text
// cells, so lost leading zeros can be restored, and row numbers are the
// spreadsheet's.
func TestXLSXNumberCells(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "Município: Itabira")
	f.SetCellValue("Sheet1", "A3", "Nome")
	f.SetCellValue("Sheet1", "B3", "CPF")
	f.SetCellValue("Sheet1", "A4", "Maria")
	f.SetCellValue("Sheet1", "B4", 1234567890)
	f.SetCellValue("Sheet1", "A5", "João")
	f.SetCellStr("Sheet1", "B5", "1234567890")
	var buf bytes.Buffer
	f.WriteTo(&buf)
	wb, err := Open("t.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := wb.Sheet("Sheet1")
	sc, ok, err := FindHeader(sh, Spec{Fields: []Field{{Key: "nome", Names: []string{"Nome"}}, {Key: "cpf", Names: []string{"CPF"}}},
		Required: [][]string{{"nome"}, {"cpf"}}})
	if err != nil || !ok || sc.Head.Row != 3 {
		t.Fatalf("header: %v %v %+v", ok, err, sc.Head)
	}
	if got := sc.TitleMunicipality(); got != "Itabira" {
		t.Errorf("title municipality %q", got)
	}
	r1, _ := sc.Next()
	r2, _ := sc.Next()
	if r1.Num != 4 || !r1.IsNumber(1) || r1.Cell(1) != "1234567890" {
		t.Errorf("row 4: %+v number=%v", r1, r1.IsNumber(1))
	}
	if r2.Num != 5 || r2.IsNumber(1) {
		t.Errorf("row 5 text cell seen as number")
	}
}

func TestHeaderMatching(t *testing.T) {
	spec := Spec{Fields: []Field{
		{Key: "hora", Names: []string{"Time completed"}},
		{Key: "muni", Names: []string{"Município"}, Contains: true},
	}, Required: [][]string{{"hora"}, {"muni"}}}
	h, ok := spec.Match([]string{"Course completion: Time completed", "Qual o seu\u00a0MUNICÍPIO?"})
	if !ok || h.Col("hora") != 0 || h.Col("muni") != 1 {
		t.Errorf("match %+v %v", h, ok)
	}
	if _, ok := spec.Match([]string{"Time", "Municipality"}); ok {
		t.Error("matched wrong headers")
	}
}

// TestHeaderMatchingRules: a contained name must be whole words, exact
// names win over contained ones, and a column serves one field.
func TestHeaderMatchingRules(t *testing.T) {
	spec := Spec{Fields: []Field{
		{Key: "nome", Names: []string{"Nome"}, Contains: true},
		{Key: "nome_ponto", Names: []string{"Nome do ponto focal"}},
		{Key: "muni", Names: []string{"Município"}, Contains: true},
	}}
	tests := []struct {
		cells []string
		want  map[string]int
	}{
		{[]string{"Nome do ponto focal", "Nome completo"}, map[string]int{"nome_ponto": 0, "nome": 1}},
		{[]string{"Sobrenome", "Municípios atendidos"}, map[string]int{}},
		{[]string{"  ", "Nome:", "Qual o município?"}, map[string]int{"nome": 1, "muni": 2}},
		{[]string{"Nome do município"}, map[string]int{"nome": 0}},
		{[]string{"Pessoa: Nome", "Endereço: Município"}, map[string]int{"nome": 0, "muni": 1}},
	}
	for _, tt := range tests {
		h, _ := spec.Match(tt.cells)
		if len(h.Index) != len(tt.want) {
			t.Errorf("%q: %v, want %v", tt.cells, h.Index, tt.want)
			continue
		}
		for k, col := range tt.want {
			if h.Col(k) != col {
				t.Errorf("%q: %s in column %d, want %d", tt.cells, k, h.Col(k), col)
			}
		}
	}
}

func TestParseDate(t *testing.T) {
	d := func(y, m, day, h, min int) time.Time {
		return time.Date(y, time.Month(m), day, h, min, 0, 0, time.Local)
	}
	tests := []struct {
		in   string
		want time.Time
	}{
		{"12/07/2024", d(2024, 7, 12, 0, 0)},
		{"7/03/2024 14:05", d(2024, 3, 7, 14, 5)},
		{"7/03/24, 14:05", d(2024, 3, 7, 14, 5)},
		{"2024-03-12", d(2024, 3, 12, 0, 0)},
		{"2024-03-12 09:41:00", d(2024, 3, 12, 9, 41)},
		{"45485", d(2024, 7, 12, 0, 0)},
		{"45366.5895833333", d(2024, 3, 15, 14, 9)},
		{"Tuesday, 12 March 2024, 9:41 AM", d(2024, 3, 12, 9, 41)},
		{"Friday, 21 June 2024, 5:44 PM", d(2024, 6, 21, 17, 44)},
		{"terça-feira, 12 mar 2024, 09:41", d(2024, 3, 12, 9, 41)},
		{"sábado, 5 out 2024, 12:00", d(2024, 10, 5, 12, 0)},
		{"03/04/2024", d(2024, 4, 3, 0, 0)},
		// ISO 8601 date cells (SheetJS, .ods) and text: the wall time in
		// Brasília (UTC-3) when a zone is given, as written otherwise.
		{"2025-07-27T03:00:00.000Z", d(2025, 7, 27, 0, 0)},
		{"2025-07-27T00:00:00.000Z", d(2025, 7, 26, 21, 0)},
		{"2025-07-27T12:30:00Z", d(2025, 7, 27, 9, 30)},
		{"2025-07-27T10:15:00-03:00", d(2025, 7, 27, 10, 15)},
		{"2025-07-27T10:15:00.5+0100", d(2025, 7, 27, 6, 15)},
		{"2025-07-27T10:15:00,123456789+01", d(2025, 7, 27, 6, 15)},
		{"2025-01-01T01:00:00Z", d(2024, 12, 31, 22, 0)},
		{"2024-07-12T14:09:00", d(2024, 7, 12, 14, 9)},
		{"2024-07-12T14:09:00.250", d(2024, 7, 12, 14, 9)},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in)
		if !ok || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v,%v want %v", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"", "31/02/2024", "amanhã", "13/13/2024", "12", "Someday, 40 March 2024", "2024-13-01",
		"2025-07-27Z", "2025-07-27T10:00:00+15:00", "2025-07-27T10:00:00+03:99", "2025-07-27T10:00:00.Z", "2025-07-27T25:00:00Z"} {
		if _, ok := ParseDate(bad); ok {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
}

func FuzzOpenCSV(f *testing.F) {
	f.Add([]byte("Município;Núcleo\nItabira;Feluma\n"))
	f.Add([]byte{0xFF, 0xFE, 'a', 0, '\t', 0, 'b', 0})
	f.Add([]byte("\"a,\"b\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		wb, err := Open("f.csv", data)
		if err != nil {
			return
		}
		sh, err := wb.Sheet("")
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 10000; i++ {
			r, err := sh.Next()
			if err != nil {
				return
			}
			if len(r.Cells) > MaxColumns {
				t.Fatalf("%d columns", len(r.Cells))
			}
		}
	})
}

func FuzzOpenXLSX(f *testing.F) {
	x := excelize.NewFile()
	x.SetCellValue("Sheet1", "A1", "CPF")
	x.SetCellValue("Sheet1", "A2", 123)
	var buf bytes.Buffer
	x.WriteTo(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWorkbook(t, "f.xlsx", data) })
}

// fuzzWorkbook opens data as a file of that name and reads up to 1000 rows
// of every sheet: any error must be a FileError, and a row's cells and
// kinds must agree, within MaxColumns.
func fuzzWorkbook(t *testing.T, name string, data []byte) {
	wb, err := Open(name, data)
	if err != nil {
		if !IsFileError(err) {
			t.Fatalf("not a FileError: %v", err)
		}
		return
	}
	defer wb.Close()
	for _, sheet := range wb.SheetNames() {
		sh, err := wb.Sheet(sheet)
		if err != nil {
			continue
		}
		for i := 0; i < 1000; i++ {
			r, err := sh.Next()
			if err != nil {
				if err != io.EOF && !IsFileError(err) {
					t.Fatalf("not a FileError: %v", err)
				}
				break
			}
			if len(r.Cells) > MaxColumns || r.kinds != nil && len(r.Cells) != len(r.kinds) {
				t.Fatalf("row %d: %d cells, %d kinds", r.Num, len(r.Cells), len(r.kinds))
			}
		}
		sh.Close()
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-07-27T00:00:00.000Z", "2025-07-27T10:15:00,5-02:30", "12/07/2024", "7/03/24, 14:05", "45485.5", "Tuesday, 12 March 2024, 9:41 AM", "terça-feira, 12 mar 2024, 09:41"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := ParseDate(s); ok && (d.Year() < 1990 || d.Year() > 2100) {
			t.Fatalf("%q gave %v", s, d)
		}
	})
}
