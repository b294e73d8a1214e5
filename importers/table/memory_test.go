package table

import (
	"archive/zip"
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"
)

// allocated returns the bytes allocated while fn runs.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A 100 MB CSV line (in UTF-8, and in Windows-1252, which is decoded) is
// refused before anything proportional to it is allocated.
func TestHugeLineIsRefusedWithoutCopying(t *testing.T) {
	for name, b := range map[string]byte{"utf8": 'x', "cp1252": 0xE9} {
		data := bytes.Repeat([]byte{b}, 100<<20)
		var err error
		n := allocated(func() { _, err = Open("linha.csv", data) })
		if err == nil || !IsFileError(err) {
			t.Errorf("%s: err = %v", name, err)
		}
		if n > 1<<20 {
			t.Errorf("%s: allocated %d MB to refuse the file", name, n>>20)
		}
	}
}

// minimalXLSX writes the parts of a one-sheet .xlsx and lets sheet write
// the worksheet XML (its sheetData content) in any size. Extra parts
// (shared strings, styles) are given by name.
func minimalXLSX(t testing.TB, sheet func(io.Writer), extra map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	const relType = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/`
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	put("_rels/.rels", rels+`<Relationship Id="rId1" Type="`+relType+`officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" `+
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Plan1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", rels+`<Relationship Id="rId1" Type="`+relType+`worksheet" Target="worksheets/sheet1.xml"/>`+
		`<Relationship Id="rId2" Type="`+relType+`sharedStrings" Target="sharedStrings.xml"/>`+
		`<Relationship Id="rId3" Type="`+relType+`styles" Target="/xl/styles.xml"/></Relationships>`)
	for name, body := range extra {
		put(name, body)
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	sheet(w)
	io.WriteString(w, `</sheetData></worksheet>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipBomb is a small .xlsx whose worksheet inflates to size bytes.
func zipBomb(t *testing.T, size int) []byte {
	return minimalXLSX(t, func(w io.Writer) {
		pad := bytes.Repeat([]byte(" "), 1<<20)
		for written := 0; written < size; written += len(pad) {
			w.Write(pad)
		}
	}, nil)
}

// A worksheet that inflates beyond MaxUnzipped is refused on opening,
// without inflating it into memory.
func TestZipBombIsRefused(t *testing.T) {
	data := zipBomb(t, MaxUnzipped+(8<<20))
	if len(data) > 2<<20 {
		t.Fatalf("bomb is %d bytes compressed", len(data))
	}
	var err error
	n := allocated(func() { _, err = Open("bomba.xlsx", data) })
	if err == nil || !IsFileError(err) || !strings.Contains(err.Error(), "descompactada passaria de 256 MB") {
		t.Errorf("err = %v", err)
	}
	if n > 32<<20 {
		t.Errorf("allocated %d MB to refuse a zip bomb", n>>20)
	}
}
