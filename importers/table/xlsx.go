package table

import (
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
)

// The .xlsx reader streams each worksheet's XML once, token by token. It
// learns every cell's type (the t attribute) and number format (s, the
// style index, through styles.xml) as it goes, so memory is bounded by the
// longest row plus the shared strings table, never by the sheet.

// MaxRows is the most rows a worksheet can have (Excel's limit).
const MaxRows = 1 << 20

type xlsxBook struct {
	pkg    *zipPackage
	names  []string
	parts  []string // worksheet part of each sheet; "" for a chart sheet
	sst    sharedStrings
	styles cellStyles
}

func openXLSX(pkg *zipPackage) (Workbook, error) {
	wbPart := "xl/workbook.xml"
	rels, err := pkg.rels("")
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		if strings.HasSuffix(r.typ, "/officeDocument") {
			wbPart = resolvePart("", r.target)
		}
	}
	if !pkg.has(wbPart) {
		return nil, fileErrorf("o arquivo não é uma planilha .xlsx válida (não tem %s)", wbPart)
	}
	b := &xlsxBook{pkg: pkg}
	if err := b.readWorkbook(wbPart); err != nil {
		return nil, err
	}
	if len(b.names) == 0 {
		return nil, fileErrorf("a planilha .xlsx não tem abas")
	}
	return b, nil
}

func (b *xlsxBook) SheetNames() []string { return b.names }
func (b *xlsxBook) Close() error         { return nil }

// readWorkbook reads the sheet names in order, where each sheet's part is,
// the shared strings and the styles.
func (b *xlsxBook) readWorkbook(wbPart string) error {
	dir := path.Dir(wbPart)
	rels, err := b.pkg.rels(wbPart)
	if err != nil {
		return err
	}
	byID := map[string]rel{}
	sstPart, stylesPart := "", ""
	for _, r := range rels {
		byID[r.id] = r
		switch {
		case strings.HasSuffix(r.typ, "/sharedStrings"):
			sstPart = resolvePart(dir, r.target)
		case strings.HasSuffix(r.typ, "/styles"):
			stylesPart = resolvePart(dir, r.target)
		}
	}
	err = b.pkg.eachElement(wbPart, func(d *xml.Decoder, e xml.StartElement) error {
		if e.Name.Local != "sheet" {
			return nil
		}
		part := ""
		if r, ok := byID[relID(e)]; ok && strings.HasSuffix(r.typ, "/worksheet") {
			part = resolvePart(dir, r.target)
		}
		b.names = append(b.names, attr(e, "name"))
		b.parts = append(b.parts, part)
		return nil
	})
	if err != nil {
		return err
	}
	if sstPart != "" && b.pkg.has(sstPart) {
		if err := b.sst.read(b.pkg, sstPart); err != nil {
			return err
		}
	}
	if stylesPart != "" && b.pkg.has(stylesPart) {
		return b.styles.read(b.pkg, stylesPart)
	}
	return nil
}

// relID is the r:id attribute of a sheet element (whatever its prefix).
func relID(e xml.StartElement) string {
	for _, a := range e.Attr {
		if a.Name.Local == "id" && a.Name.Space != "" {
			return a.Value
		}
	}
	return ""
}

type rel struct{ id, typ, target string }

// rels reads the relationships of a part ("" for the package's own).
func (p *zipPackage) rels(part string) ([]rel, error) {
	name := "_rels/.rels"
	if part != "" {
		name = strings.TrimPrefix(path.Join(path.Dir(part), "_rels", path.Base(part)+".rels"), "/")
	}
	if !p.has(name) {
		return nil, nil
	}
	var out []rel
	err := p.eachElement(name, func(d *xml.Decoder, e xml.StartElement) error {
		if e.Name.Local == "Relationship" && attr(e, "TargetMode") != "External" {
			out = append(out, rel{id: attr(e, "Id"), typ: attr(e, "Type"), target: attr(e, "Target")})
		}
		return nil
	})
	return out, err
}

// eachElement streams a part and calls fn for every start element.
func (p *zipPackage) eachElement(name string, fn func(*xml.Decoder, xml.StartElement) error) error {
	rc, err := p.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	d := newDecoder(rc)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return p.explain(err, "a parte "+name+" da planilha")
		}
		if e, ok := tok.(xml.StartElement); ok {
			if err := fn(d, e); err != nil {
				return p.explain(err, "a parte "+name+" da planilha")
			}
		}
	}
}

// sharedStrings is the workbook's string table, kept as one string and
// the end offset of each item.
type sharedStrings struct {
	text string
	ends []uint32
}

func (s *sharedStrings) get(i int) (string, bool) {
	if i < 0 || i >= len(s.ends) {
		return "", false
	}
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.text[start:s.ends[i]], true
}

// read loads the table: each si's text, rich text runs concatenated,
// phonetic runs (rPh) left out, _xHHHH_ escapes decoded.
func (s *sharedStrings) read(p *zipPackage, name string) error {
	var all strings.Builder
	var item []byte
	inT, phonetic := false, 0
	err := p.eachElement(name, func(d *xml.Decoder, e xml.StartElement) error {
		if e.Name.Local != "si" {
			return nil
		}
		item = item[:0]
		for depth := 0; ; {
			tok, err := d.RawToken()
			if err != nil {
				return unexpectedEOF(err)
			}
			switch t := tok.(type) {
			case xml.StartElement:
				depth++
				switch t.Name.Local {
				case "rPh":
					phonetic++
				case "t":
					inT = phonetic == 0
				}
			case xml.EndElement:
				depth--
				switch t.Name.Local {
				case "rPh":
					phonetic--
				case "t":
					inT = false
				}
				if depth < 0 {
					appendUnescaped(&all, item)
					if all.Len() > MaxUnzipped {
						return errUnzipLimit
					}
					s.ends = append(s.ends, uint32(all.Len()))
					return nil
				}
			case xml.CharData:
				if inT {
					item = append(item, t...)
				}
			}
		}
	})
	s.text = all.String()
	return err
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// appendUnescaped writes text with OOXML's _xHHHH_ escapes decoded
// (_x005F_ is an escaped underscore).
func appendUnescaped(w *strings.Builder, b []byte) {
	for {
		i := strings.Index(string(b), "_x")
		if i < 0 || i+7 > len(b) {
			w.Write(b)
			return
		}
		w.Write(b[:i])
		if b[i+6] == '_' {
			if r, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 16); err == nil {
				w.WriteRune(rune(r))
				b = b[i+7:]
				continue
			}
		}
		w.Write(b[i : i+2])
		b = b[i+2:]
	}
}

// cellStyles maps a cell's style index to its number format code.
type cellStyles struct {
	formats []string // distinct format codes; formats[0] is "" (none given)
	xf      []uint16 // style index -> index in formats
}

// builtinFormats are the number formats Excel does not write out
// (ECMA-376 part 1, 18.8.30).
var builtinFormats = map[int]string{
	0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
	12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
	19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm", 37: "#,##0 ;(#,##0)",
	38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss",
	46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}

// maxStyles is the most cell formats a workbook may have (Excel: 64,000).
const maxStyles = 1 << 16

func (c *cellStyles) read(p *zipPackage, name string) error {
	custom := map[int]string{}
	index := map[string]uint16{"": 0}
	c.formats = []string{""}
	inXfs := false
	return p.eachElement(name, func(d *xml.Decoder, e xml.StartElement) error {
		switch e.Name.Local {
		case "numFmt":
			if id, err := strconv.Atoi(attr(e, "numFmtId")); err == nil {
				custom[id] = attr(e, "formatCode")
			}
		case "cellXfs":
			inXfs = true
		case "cellStyleXfs", "dxfs", "cellStyles":
			inXfs = false
		case "xf":
			if !inXfs || len(c.xf) >= maxStyles {
				return nil
			}
			code := ""
			if id, err := strconv.Atoi(attr(e, "numFmtId")); err == nil {
				code = builtinFormats[id]
				if s, ok := custom[id]; ok {
					code = s
				}
			}
			i, ok := index[code]
			if !ok && len(c.formats) < maxStyles {
				i = uint16(len(c.formats))
				index[code] = i
				c.formats = append(c.formats, code)
			}
			c.xf = append(c.xf, i)
		}
		return nil
	})
}

// format returns the format index of a style index (the s attribute; an
// absent one is style 0).
func (c *cellStyles) format(s string) uint16 {
	i := 0
	if s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0
		}
		i = n
	}
	if i < 0 || i >= len(c.xf) {
		return 0
	}
	return c.xf[i]
}

func (b *xlsxBook) Sheet(name string) (Sheet, error) {
	idx := -1
	for i, n := range b.names {
		if n == name {
			idx = i
			break
		}
		if idx < 0 && strings.EqualFold(n, name) {
			idx = i
		}
	}
	if idx < 0 {
		return nil, fileErrorf("a aba %q não existe na planilha", name)
	}
	s := &xlsxSheet{b: b, name: b.names[idx]}
	if b.parts[idx] == "" || !b.pkg.has(b.parts[idx]) {
		s.rows.done = true // a chart sheet, or a sheet with no cells written
		return s, nil
	}
	rc, err := b.pkg.open(b.parts[idx])
	if err != nil {
		return nil, err
	}
	s.rc, s.d = rc, newDecoder(rc)
	return s, nil
}

type xlsxSheet struct {
	b    *xlsxBook
	name string
	rc   io.ReadCloser
	d    *xml.Decoder
	rows rowQueue
	buf  rowBuffer
	val  []byte // a cell's v text
}

func (s *xlsxSheet) Name() string { return s.name }

func (s *xlsxSheet) Close() error {
	if s.rc == nil {
		return nil
	}
	return s.rc.Close()
}

// Next returns rows numbered as in the sheet: rows the file leaves out
// come back blank, as excelize's iterator gave them.
func (s *xlsxSheet) Next() (Row, error) {
	return s.rows.next(func() (Row, int, error) {
		r, err := s.readRow()
		return r, 0, err
	}, s.explain)
}

func (s *xlsxSheet) explain(err error) error {
	return s.b.pkg.explain(err, "a aba "+strconv.Quote(s.name))
}

// rowQueue hands out the rows a sheet reader reads ahead, numbered as in
// the sheet: blank rows for the numbers the file leaves out, then the row,
// then its repetitions (.ods number-rows-repeated).
type rowQueue struct {
	num     int  // number of the last row returned
	pending *Row // a row read ahead, returned once the blank rows before it are
	last    Row  // the last row returned, for its repetitions
	repeat  int  // repetitions of last still to return
	done    bool
}

// next returns the next row; read gives the next row of the file and how
// often it repeats, or io.EOF.
func (q *rowQueue) next(read func() (Row, int, error), explain func(error) error) (Row, error) {
	if q.pending == nil && q.repeat > 0 {
		q.repeat--
		q.num++
		r := q.last
		r.Num = q.num
		return r, nil
	}
	if q.pending == nil {
		if q.done {
			return Row{}, io.EOF
		}
		r, repeat, err := read()
		if err != nil {
			q.done = true
			if err == io.EOF {
				return Row{}, io.EOF
			}
			return Row{}, explain(err)
		}
		q.pending, q.repeat = &r, repeat
	}
	q.num++
	if q.pending.Num > q.num {
		return Row{Num: q.num}, nil
	}
	q.last, q.pending = *q.pending, nil
	return q.last, nil
}

// readRow reads up to the next row element and returns it.
func (s *xlsxSheet) readRow() (Row, error) {
	for {
		tok, err := s.d.RawToken()
		if err != nil {
			return Row{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "row" {
				return s.row(t)
			}
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				return Row{}, io.EOF
			}
		}
	}
}

func (s *xlsxSheet) row(start xml.StartElement) (Row, error) {
	num := s.rows.num + 1
	if v := attr(start, "r"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return Row{}, fileErrorf("a aba %q tem uma linha com número inválido (%q): o arquivo está corrompido", s.name, v)
		}
		num = max(num, n)
	}
	if num > MaxRows {
		return Row{}, fileErrorf("a aba %q passa de %d linhas: o arquivo está corrompido", s.name, MaxRows)
	}
	col := 0
	return s.buf.read(s.d, num, "row", &s.b.styles.formats, func(e xml.StartElement) (err error) {
		if e.Name.Local != "c" {
			return skipElement(s.d)
		}
		col, err = s.cell(e, num, col)
		return err
	})
}

// cell reads one c element (after its start tag) and places its value in
// the row. prev is the column (1-based) of the previous cell.
func (s *xlsxSheet) cell(start xml.StartElement, row, prev int) (int, error) {
	col := prev + 1
	typ, style := "", ""
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "r":
			c, ok := columnOf(a.Value)
			if !ok {
				return 0, fileErrorf("a linha %d da aba %q tem uma célula com referência inválida (%q): o arquivo está corrompido", row, s.name, a.Value)
			}
			col = c
		case "t":
			typ = a.Value
		case "s":
			style = a.Value
		}
	}
	s.val = s.val[:0]
	inline, hasInline, err := s.cellContent()
	if err != nil {
		return 0, err
	}
	var value string
	kind := KindNumber
	switch typ {
	case "s":
		kind = KindText
		i, err := strconv.Atoi(strings.TrimSpace(string(s.val)))
		v, ok := s.b.sst.get(i)
		if len(s.val) > 0 && (err != nil || !ok) {
			return 0, fileErrorf("a linha %d da aba %q aponta para um texto compartilhado que não existe (%q): o arquivo está corrompido", row, s.name, s.val)
		}
		value = v
	case "inlineStr":
		kind = KindText
		value = string(s.val)
		if hasInline {
			value = inline
		}
	case "str":
		kind, value = KindText, string(s.val)
	case "b":
		kind, value = KindBool, string(s.val)
	case "e":
		kind, value = KindError, string(s.val)
	case "d":
		kind, value = KindDate, string(s.val)
	default:
		value = string(s.val)
	}
	if value == "" {
		return col, nil
	}
	if col > MaxColumns {
		return 0, fileErrorf("a linha %d da aba %q tem %d colunas (máximo %d)", row, s.name, col, MaxColumns)
	}
	s.buf.put(col-1, value, kind, s.b.styles.format(style))
	return col, nil
}

// cellContent reads a cell's children up to its end tag: the v text goes
// to s.val; an is element's text (rich text runs concatenated, phonetic
// runs left out) is returned.
func (s *xlsxSheet) cellContent() (inline string, hasInline bool, err error) {
	var is strings.Builder
	var isText []byte
	where := "" // "v" or "is" while inside one
	inT, phonetic := false, 0
	for depth := 0; ; {
		tok, err := s.d.RawToken()
		if err != nil {
			return "", false, unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1 && (t.Name.Local == "v" || t.Name.Local == "is"):
				where = t.Name.Local
				hasInline = hasInline || where == "is"
			case depth == 1 && t.Name.Local == "f":
				if err := skipElement(s.d); err != nil {
					return "", false, err
				}
				depth--
			case where == "is" && t.Name.Local == "rPh":
				phonetic++
			case where == "is" && t.Name.Local == "t":
				inT = phonetic == 0
			}
		case xml.EndElement:
			depth--
			switch {
			case depth < 0:
				if t.Name.Local != "c" {
					return "", false, mismatched(t)
				}
				if hasInline {
					appendUnescaped(&is, isText)
				}
				return is.String(), hasInline, nil
			case depth == 0:
				where = ""
			case t.Name.Local == "rPh":
				phonetic--
			case t.Name.Local == "t":
				inT = false
			}
		case xml.CharData:
			switch {
			case where == "v":
				s.val = append(s.val, t...)
			case where == "is" && inT:
				isText = append(isText, t...)
			}
		}
	}
}

// rowBuffer collects the cells of the row being read.
type rowBuffer struct {
	cells   []string
	kinds   []CellKind
	formats []uint16
}

// put places a value in column col (0-based), after blank cells if needed.
func (b *rowBuffer) put(col int, value string, kind CellKind, format uint16) {
	for len(b.cells) <= col {
		b.cells = append(b.cells, "")
		b.kinds = append(b.kinds, KindText)
		b.formats = append(b.formats, 0)
	}
	b.cells[col], b.kinds[col], b.formats[col] = value, kind, format
}

// read calls child for each start tag inside a row element (the row's
// start tag just read) up to its end tag, named end, and returns the row.
// table is the workbook's format table, which child may grow.
func (b *rowBuffer) read(d *xml.Decoder, num int, end string, table *[]string, child func(xml.StartElement) error) (Row, error) {
	b.cells, b.kinds, b.formats = b.cells[:0], b.kinds[:0], b.formats[:0]
	for {
		tok, err := d.RawToken()
		if err != nil {
			return Row{}, unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := child(t); err != nil {
				return Row{}, err
			}
		case xml.EndElement:
			if t.Name.Local != end {
				return Row{}, mismatched(t)
			}
			return Row{Num: num, Cells: slices.Clone(b.cells), kinds: slices.Clone(b.kinds),
				formats: slices.Clone(b.formats), table: *table}, nil
		}
	}
}

// mismatched is the error for an end tag that closes the wrong element
// (RawToken does not check).
func mismatched(e xml.EndElement) error {
	return fmt.Errorf("marcação inesperada </%s>", e.Name.Local)
}

// skipElement reads past the end of the element whose start tag was just
// read.
func skipElement(d *xml.Decoder) error {
	for depth := 0; ; {
		tok, err := d.RawToken()
		if err != nil {
			return unexpectedEOF(err)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// columnOf returns the 1-based column of a cell reference such as "AB12".
func columnOf(ref string) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A'+1)
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a'+1)
		default:
			goto digits
		}
		if col > 16384 {
			return 0, false
		}
	}
digits:
	if i == 0 || i == len(ref) {
		return 0, false
	}
	for ; i < len(ref); i++ {
		if ref[i] < '0' || ref[i] > '9' {
			return 0, false
		}
	}
	return col, true
}
