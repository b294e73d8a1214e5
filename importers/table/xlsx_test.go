package table

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// excelizeRows reads a sheet with excelize's row iterator, raw values:
// what the reader replaced, and the reference it must agree with.
func excelizeRows(t testing.TB, data []byte, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cells)
	}
	return out
}

// sameAsExcelize checks every sheet of a workbook reads as excelize reads it.
func sameAsExcelize(t *testing.T, name string, data []byte) {
	t.Helper()
	wb, err := Open(name, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer wb.Close()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := wb.SheetNames(), f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("%s: sheets %q, excelize %q", name, got, want)
	}
	f.Close()
	for _, sheet := range wb.SheetNames() {
		sh, err := wb.Sheet(sheet)
		if err != nil {
			t.Fatal(err)
		}
		got, err := readAll(sh)
		if err != nil {
			t.Fatalf("%s/%s: %v", name, sheet, err)
		}
		want := excelizeRows(t, data, sheet)
		if len(got) != len(want) {
			t.Errorf("%s/%s: %d rows, excelize %d", name, sheet, len(got), len(want))
		}
		for i := range min(len(got), len(want)) {
			if got[i].Num != i+1 || !slices.Equal(got[i].Cells, want[i]) && (len(got[i].Cells) > 0 || len(want[i]) > 0) {
				t.Errorf("%s/%s row %d (num %d): %q, excelize %q", name, sheet, i+1, got[i].Num, got[i].Cells, want[i])
			}
		}
	}
}

// TestXLSXSamplesAsExcelize reads every sample workbook and compares each
// row with excelize's iterator.
func TestXLSXSamplesAsExcelize(t *testing.T) {
	n := 0
	err := filepath.WalkDir("../../data/samples", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".xlsx") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sameAsExcelize(t, filepath.Base(p), data)
		n++
		return nil
	})
	if err != nil || n < 100 {
		t.Fatalf("%d sample workbooks: %v", n, err)
	}
}

// TestXLSXCellKinds writes every kind of cell with excelize and checks the
// text (as excelize reads it), the kind and the number format of each.
func TestXLSXCellKinds(t *testing.T) {
	f := excelize.NewFile()
	sci, _ := f.NewStyle(&excelize.Style{NumFmt: 11})
	custom := "0.0000E+00"
	sciCustom, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	quoted := `"E+"0`
	notSci, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &quoted})
	set := func(cell string, v any, style int) {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
		if style != 0 {
			f.SetCellStyle("Sheet1", cell, cell, style)
		}
	}
	set("A1", "texto", 0)
	set("B1", 123, 0)
	set("C1", 296840000000000, sci)
	set("D1", 2.9684e14, sciCustom)
	set("E1", 45485, date)
	set("F1", true, 0)
	set("G1", 7, notSci)
	f.SetCellFormula("Sheet1", "H1", `"x"&"y"`)
	f.SetCellRichText("Sheet1", "I1", []excelize.RichTextRun{{Text: "Ita"}, {Text: "bira", Font: &excelize.Font{Bold: true}}})
	set("A4", "depois de duas linhas vazias", 0)
	var buf bytes.Buffer
	f.WriteTo(&buf)
	sameAsExcelize(t, "tipos.xlsx", buf.Bytes())

	wb, _ := Open("tipos.xlsx", buf.Bytes())
	sh, _ := wb.Sheet("Sheet1")
	rows, err := readAll(sh)
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d rows: %v", len(rows), err)
	}
	r := rows[0]
	want := []struct {
		kind       CellKind
		format     string
		scientific bool
	}{
		{KindText, "General", false}, {KindNumber, "General", false}, {KindNumber, "0.00E+00", true},
		{KindNumber, custom, true}, {KindNumber, "mm-dd-yy", false}, {KindBool, "General", false},
		{KindNumber, quoted, false}, {KindText, "", false}, {KindText, "General", false},
	}
	for col, w := range want {
		if r.Kind(col) != w.kind || r.Format(col) != w.format || r.Scientific(col) != w.scientific {
			t.Errorf("column %d %q: kind %d format %q scientific %v, want %+v", col, r.Cells[col], r.Kind(col), r.Format(col), r.Scientific(col), w)
		}
	}
	if !r.IsNumber(1) || r.IsNumber(0) || r.IsNumber(5) || r.IsNumber(20) {
		t.Error("IsNumber wrong")
	}
	if r.Cells[2] != "296840000000000" || r.Cells[5] != "1" || r.Cells[7] != "" || r.Cells[8] != "Itabira" {
		t.Errorf("cells %q", r.Cells)
	}
	if rows[1].Num != 2 || len(rows[1].Cells) != 0 || rows[3].Num != 4 {
		t.Errorf("gap rows %+v", rows[1:])
	}
}

// TestXLSXWrittenByHand covers what excelize never writes: inline and
// ISO date cells, phonetic runs, escapes, prefixed elements, rows and
// cells without references, a chart sheet.
func TestXLSXWrittenByHand(t *testing.T) {
	sst := `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3">` +
		`<si><t>CPF</t></si><si><r><t>São </t></r><r><rPr><b/></rPr><t>João</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si>` +
		`<si><t xml:space="preserve">a_x000D_b_x005F_x000D_</t></si></sst>`
	styles := `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<numFmts count="1"><numFmt numFmtId="164" formatCode="0.00E+00"/></numFmts>` +
		`<cellStyleXfs count="1"><xf numFmtId="11"/></cellStyleXfs>` +
		`<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="49"/></cellXfs></styleSheet>`
	data := minimalXLSX(t, func(w io.Writer) {
		io.WriteString(w, `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c><c t="s"><v>2</v></c></row>`+
			`<row r="3"><c t="inlineStr"><is><t>12345</t></is></c><c t="d"><v>2025-07-27T00:00:00.000Z</v></c>`+
			`<c s="1"><v>2.9684E+14</v></c><c t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c><c t="e"><v>#N/A</v></c>`+
			`<c r="G3" s="2"><f>1+1</f><v>2</v></c></row><row><c><v>5</v></c></row>`)
	}, map[string]string{"xl/sharedStrings.xml": sst, "xl/styles.xml": styles})
	wb, err := Open("mao.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := wb.Sheet("plan1") // sheet names match regardless of case
	rows, err := readAll(sh)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	wantCells := []string{"12345", "2025-07-27T00:00:00.000Z", "2.9684E+14", "ab", "#N/A", "", "2"}
	if got := rows[0].Cells; !slices.Equal(got, []string{"CPF", "", "São João", "a\rb_x000D_"}) {
		t.Errorf("row 1 %q", got)
	}
	if got := rows[2].Cells; !slices.Equal(got, wantCells) {
		t.Errorf("row 3 %q", got)
	}
	kinds := []CellKind{KindText, KindDate, KindNumber, KindText, KindError, KindText, KindNumber}
	for col, k := range kinds {
		if rows[2].Kind(col) != k {
			t.Errorf("row 3 column %d kind %d, want %d", col, rows[2].Kind(col), k)
		}
	}
	if !rows[2].Scientific(2) || rows[2].Format(6) != "@" || rows[2].Format(0) != "General" {
		t.Errorf("formats %q %q %q", rows[2].Format(2), rows[2].Format(6), rows[2].Format(0))
	}
	if rows[3].Num != 4 || rows[3].Cell(0) != "5" || !rows[3].IsNumber(0) {
		t.Errorf("row without r: %+v", rows[3])
	}
}

// TestXLSXBrokenCells refuses what excelize refused, with a FileError.
func TestXLSXBrokenCells(t *testing.T) {
	for name, xml := range map[string]string{
		"shared string out of range": `<row r="1"><c t="s"><v>7</v></c></row>`,
		"bad reference":              `<row r="1"><c r="1A"><v>1</v></c></row>`,
		"column beyond XFD":          `<row r="1"><c r="XFE1"><v>1</v></c></row>`,
		"row beyond the last":        `<row r="1048577"><c><v>1</v></c></row>`,
		"unclosed cell":              `<row r="1"><c><v>1</v>`,
		"unclosed row":               `<row r="1"><c><v>1</v></c>`,
		"long text":                  `<row r="1"><c t="inlineStr"><is><t>` + strings.Repeat("x", MaxRun+10) + `</t></is></c></row>`,
	} {
		data := minimalXLSX(t, func(w io.Writer) { io.WriteString(w, xml) }, nil)
		wb, err := Open("x.xlsx", data)
		if err != nil {
			t.Fatal(err)
		}
		sh, _ := wb.Sheet("Plan1")
		_, err = readAll(sh)
		if err == nil || !IsFileError(err) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A zip whose directory understates the worksheet's size is refused while
// inflating, without keeping what it inflated.
func TestZipBombWithLyingDirectory(t *testing.T) {
	honest := zipBomb(t, MaxUnzipped+(8<<20))
	zr, err := zip.NewReader(bytes.NewReader(honest), int64(len(honest)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		h := f.FileHeader
		if strings.Contains(h.Name, "worksheets") {
			h.UncompressedSize64 = 1000
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := f.OpenRaw()
		io.Copy(w, r)
	}
	zw.Close()
	var rowsErr error
	n := allocated(func() {
		wb, err := Open("mentira.xlsx", buf.Bytes())
		if err != nil {
			rowsErr = err
			return
		}
		sh, _ := wb.Sheet("Plan1")
		_, rowsErr = readAll(sh)
	})
	if rowsErr == nil || !IsFileError(rowsErr) {
		t.Errorf("err = %v", rowsErr)
	}
	if n > 32<<20 {
		t.Errorf("allocated %d MB", n>>20)
	}
}

// peakHeap runs fn and samples the heap in use every millisecond.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return peak.Load()
}

// registrationSheet is a worksheet of rows registration rows, every CPF
// a text cell but one, in row short, which is the number 123.
func registrationSheet(t testing.TB, rows, short int) []byte {
	return minimalXLSX(t, func(w io.Writer) {
		io.WriteString(w, `<row r="1"><c t="inlineStr"><is><t>Nome</t></is></c><c t="inlineStr"><is><t>CPF</t></is></c>`+
			`<c t="inlineStr"><is><t>E-mail</t></is></c></row>`)
		for i := 2; i <= rows; i++ {
			cpf := fmt.Sprintf(`<c r="B%d" t="inlineStr"><is><t>%011d</t></is></c>`, i, i)
			if i == short {
				cpf = fmt.Sprintf(`<c r="B%d"><v>123</v></c>`, i)
			}
			fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>Profissional %d</t></is></c>%s`+
				`<c r="C%d" t="inlineStr"><is><t>p%d@saude.mg.gov.br</t></is></c></row>`, i, i, i, cpf, i, i)
		}
	}, nil)
}

// One short number cell in a large sheet used to make the reader parse
// the whole worksheet to learn that cell's type (hundreds of MB for this
// one). Reading every row and asking for the type of each short
// identifier, as the importers do, must stay within a few MB of heap.
func TestShortNumberCellDoesNotLoadTheSheet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 200,000-row sheet")
	}
	data := registrationSheet(t, 200_000, 100_000)
	var numbers, rows int
	peak := peakHeap(func() {
		wb, err := Open("cadastro.xlsx", data)
		if err != nil {
			t.Fatal(err)
		}
		sh, _ := wb.Sheet("Plan1")
		for {
			r, err := sh.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			rows++
			if len(r.Cell(1)) < 11 && r.IsNumber(1) {
				numbers++
			}
		}
	})
	if rows != 200_000 || numbers != 1 {
		t.Errorf("%d rows, %d short number cells", rows, numbers)
	}
	// HeapAlloc counts garbage not yet collected (and anything else the
	// process allocates meanwhile): 16 MB over the file was once exceeded
	// by 1 MB on a busy machine. Parsing the whole sheet took 763 MB.
	limit := uint64(len(data)) + 64<<20
	t.Logf("file %.1f MB, peak heap %.1f MB", float64(len(data))/(1<<20), float64(peak)/(1<<20))
	if peak > limit {
		t.Errorf("peak heap %d MB, limit %d MB", peak>>20, limit>>20)
	}
}

// BenchmarkXLSXRows reads every row of a 50,000-row sheet with the
// streaming reader; BenchmarkExcelizeRowsSameBytes reads the same bytes
// with excelize's iterator (raw values).
func BenchmarkXLSXRows(b *testing.B) {
	data := registrationSheet(b, 50_000, 0)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		wb, err := Open("b.xlsx", data)
		if err != nil {
			b.Fatal(err)
		}
		sh, _ := wb.Sheet("Plan1")
		if rows, err := readAll(sh); err != nil || len(rows) != 50_000 {
			b.Fatal(len(rows), err)
		}
	}
}

func BenchmarkExcelizeRowsSameBytes(b *testing.B) {
	data := registrationSheet(b, 50_000, 0)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if rows := excelizeRows(b, data, "Plan1"); len(rows) != 50_000 {
			b.Fatal(len(rows))
		}
	}
}
