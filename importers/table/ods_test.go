package table

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
)

const odsNamespaces = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" ` +
	`xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"`

// minimalODS writes an .ods whose content.xml body is written by body
// (the office:spreadsheet element's content), after automatic styles.
func minimalODS(t testing.TB, styles string, body func(io.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	io.WriteString(w, odsMimeType)
	w, _ = zw.Create("META-INF/manifest.xml")
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>`)
	w, _ = zw.Create("content.xml")
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><office:document-content `+odsNamespaces+`><office:automatic-styles>`+
		styles+`</office:automatic-styles><office:body><office:spreadsheet>`)
	body(w)
	io.WriteString(w, `</office:spreadsheet></office:body></office:document-content>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func odsText(body string) func(io.Writer) { return func(w io.Writer) { io.WriteString(w, body) } }

const sciStyles = `<number:number-style style:name="N1"><number:scientific-number number:decimal-places="2" number:min-exponent-digits="2"/></number:number-style>` +
	`<number:percentage-style style:name="N2"><number:number number:decimal-places="0"/><number:text>%</number:text></number:percentage-style>` +
	`<style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>` +
	`<style:style style:name="ce2" style:family="table-cell" style:data-style-name="N2"/>` +
	`<style:style style:name="ce3" style:family="table-cell" style:parent-style-name="ce1"/>`

func TestODSCells(t *testing.T) {
	data := minimalODS(t, sciStyles, odsText(`<table:table table:name="Outra &amp; aba"><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>`+
		`<table:table table:name="Cadastro"><table:table-column table:number-columns-repeated="3"/><table:table-column table:default-cell-style-name="ce1"/>`+
		`<table:table-header-rows><table:table-row><table:table-cell office:value-type="string"><text:p>Nome</text:p></table:table-cell>`+
		`<table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="string" office:string-value="CNS"><text:p>ignored</text:p></table:table-cell>`+
		`<table:table-cell table:number-columns-repeated="16380"/></table:table-row></table:table-header-rows>`+
		`<table:table-row table:number-rows-repeated="2"/>`+
		`<table:table-row><table:table-cell office:value-type="string"><text:p>São<text:s text:c="2"/>João</text:p><text:p>d<text:span>el</text:span>-Rei<text:tab/>!</text:p>`+
		`<office:annotation><text:p>comentário</text:p></office:annotation></table:table-cell>`+
		`<table:table-cell office:value-type="float" office:value="1234567890" calcext:value-type="float"><text:p>1234567890</text:p></table:table-cell>`+
		`<table:table-cell table:style-name="ce2" office:value-type="percentage" office:value="0.15"><text:p>15%</text:p></table:table-cell>`+
		`<table:table-cell office:value-type="float" office:value="296840000000000"><text:p>2,97E+14</text:p></table:table-cell>`+
		`<table:table-cell table:style-name="ce3" office:value-type="float" office:value="1"><text:p>1,00E+00</text:p></table:table-cell>`+
		`<table:table-cell office:value-type="date" office:date-value="2024-07-12T14:09:00"><text:p>12/07/2024 14:09</text:p></table:table-cell>`+
		`<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>VERDADEIRO</text:p></table:table-cell>`+
		`<table:covered-table-cell/><table:table-cell office:value-type="string" calcext:value-type="error"><text:p>#N/D</text:p></table:table-cell>`+
		`<table:table-cell table:number-columns-repeated="3" office:value-type="string"><text:p>r</text:p></table:table-cell></table:table-row>`+
		`<table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="string"><text:p>igual</text:p></table:table-cell></table:table-row>`+
		`<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>`+
		`</table:table>`))
	wb, err := Open("c.ods", data)
	if err != nil {
		t.Fatal(err)
	}
	if got := wb.SheetNames(); !slices.Equal(got, []string{"Outra & aba", "Cadastro"}) {
		t.Errorf("sheets %q", got)
	}
	sh, err := wb.Sheet("cadastro")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readAll(sh)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 {
		t.Fatalf("%d rows: %+v", len(rows), rows)
	}
	if !slices.Equal(rows[0].Cells, []string{"Nome", "", "", "CNS"}) || rows[1].Num != 2 || len(rows[1].Cells) != 0 {
		t.Errorf("rows 1-2 %+v", rows[:2])
	}
	r := rows[3]
	want := []string{"São  João\ndel-Rei\t!", "1234567890", "0.15", "296840000000000", "1", "2024-07-12T14:09:00", "1", "", "#N/D", "r", "r", "r"}
	if r.Num != 4 || !slices.Equal(r.Cells, want) {
		t.Errorf("row 4 (%d) %q", r.Num, r.Cells)
	}
	kinds := []CellKind{KindText, KindNumber, KindNumber, KindNumber, KindNumber, KindDate, KindBool, KindText, KindError}
	for col, k := range kinds {
		if r.Kind(col) != k {
			t.Errorf("column %d kind %d, want %d", col, r.Kind(col), k)
		}
	}
	// Column D's default style is scientific; ce3 inherits it from ce1.
	if !r.Scientific(3) || !r.Scientific(4) || r.Scientific(1) || r.Format(2) != "0%" {
		t.Errorf("formats %q %q %q %q", r.Format(1), r.Format(2), r.Format(3), r.Format(4))
	}
	for i, n := range []int{5, 6, 7} {
		if rows[4+i].Num != n || !slices.Equal(rows[4+i].Cells, []string{"igual"}) {
			t.Errorf("repeated row %d: %+v", n, rows[4+i])
		}
	}
}

// Repeated cells and rows are expanded only as far as they hold
// something: a sheet of a million repeated rows, or a row repeating a
// value over 16,384 columns, neither allocates them nor hangs.
func TestODSRepetitionsAreBounded(t *testing.T) {
	blank := minimalODS(t, "", odsText(`<table:table table:name="A"><table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row>`+
		strings.Repeat(`<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>`, 50)+
		`</table:table>`))
	var rows []Row
	var err error
	n := allocated(func() {
		wb, _ := Open("a.ods", blank)
		sh, _ := wb.Sheet("A")
		rows, err = readAll(sh)
	})
	if err != nil || len(rows) != 1 || n > 4<<20 {
		t.Errorf("%d rows, %v, allocated %d KB", len(rows), err, n>>10)
	}
	wide := minimalODS(t, "", odsText(`<table:table table:name="A"><table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row></table:table>`))
	wb, _ := Open("b.ods", wide)
	sh, _ := wb.Sheet("A")
	if _, err := readAll(sh); err == nil || !IsFileError(err) || !strings.Contains(err.Error(), "colunas") {
		t.Errorf("wide row: %v", err)
	}
	// A row with something in it, repeated past the last row of a sheet,
	// stops there.
	tall := minimalODS(t, "", odsText(`<table:table table:name="A"><table:table-row table:number-rows-repeated="2000000"><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row></table:table>`))
	wb, _ = Open("c.ods", tall)
	sh, _ = wb.Sheet("A")
	count := 0
	for {
		if _, err := sh.Next(); err != nil {
			break
		}
		count++
	}
	if count != MaxRows {
		t.Errorf("%d rows", count)
	}
}

func TestODSRefusals(t *testing.T) {
	encrypted := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
		io.WriteString(w, odsMimeType)
		w, _ = zw.Create("META-INF/manifest.xml")
		io.WriteString(w, `<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>`)
		w, _ = zw.Create("content.xml")
		w.Write([]byte{0x12, 0x34, 0x56})
		zw.Close()
		return buf.Bytes()
	}()
	text := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
		io.WriteString(w, "application/vnd.oasis.opendocument.text")
		zw.Close()
		return buf.Bytes()
	}()
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"senha.ods": {encrypted, "protegida por senha"},
		"texto.odt": {text, "não é planilha"},
		"vazia.ods": {minimalODS(t, "", odsText("")), "não tem abas"},
	} {
		_, err := Open(name, c.data)
		if err == nil || !IsFileError(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzOpenODS(f *testing.F) {
	f.Add(minimalODS(f, sciStyles, odsText(`<table:table table:name="A"><table:table-column table:default-cell-style-name="ce1"/><table:table-row table:number-rows-repeated="3">`+
		`<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="2"><text:p>1<text:s text:c="3"/></text:p></table:table-cell>`+
		`<table:table-cell office:value-type="date" office:date-value="2025-07-27"/></table:table-row></table:table>`)))
	if b, err := os.ReadFile("../cadastro/testdata/cadastro_cientifico_calc.ods"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWorkbook(t, "f.ods", data) })
}
