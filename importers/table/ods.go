package table

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
)

// The .ods reader streams content.xml (OpenDocument, LibreOffice's own
// format) once per sheet read, like the .xlsx reader: each cell's type
// comes from office:value-type, its value from office:value,
// office:date-value or office:boolean-value (the text shown otherwise), its
// number format from its style's data style. Repeated cells and rows
// (number-columns-repeated, number-rows-repeated) are expanded only as far
// as they hold something, so a trailing empty cell repeated 16,384 times or
// an empty row repeated 1,048,576 times costs nothing.

const odsMimeType = "application/vnd.oasis.opendocument.spreadsheet"

type odsBook struct {
	pkg    *zipPackage
	names  []string
	styles odsStyles
}

func openODS(pkg *zipPackage) (Workbook, error) {
	pkg.kind = ".ods"
	if pkg.has("META-INF/manifest.xml") {
		manifest, err := pkg.readSmall("META-INF/manifest.xml")
		if err != nil {
			return nil, err
		}
		if bytes.Contains(manifest, []byte("encryption-data")) {
			return nil, fileErrorf("a planilha está protegida por senha: abra no LibreOffice, retire a senha e salve de novo")
		}
	}
	b := &odsBook{pkg: pkg, styles: newODSStyles()}
	if pkg.has("styles.xml") {
		err := pkg.eachStart("styles.xml", func(x *xmlScanner) error {
			b.styles.element(x.startElement())
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	names, err := b.sheetNames()
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fileErrorf("a planilha .ods não tem abas")
	}
	b.names = names
	return b, nil
}

func (b *odsBook) SheetNames() []string { return b.names }
func (b *odsBook) Close() error         { return nil }

// readSmall reads a part of at most 1 MB whole.
func (p *zipPackage) readSmall(name string) ([]byte, error) {
	rc, err := p.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, 1<<20))
	return data, p.explain(err, "a parte "+name+" da planilha")
}

// sheetNames finds the table:name of every table:table start tag in
// content.xml by scanning its bytes, much faster than decoding its XML.
func (b *odsBook) sheetNames() ([]string, error) {
	rc, err := b.pkg.open("content.xml")
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	const tag = "table:table "
	br := bufio.NewReaderSize(rc, 64<<10)
	var names []string
	for {
		_, err := br.ReadSlice('<')
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			return names, nil
		}
		if err != nil {
			return nil, b.pkg.explain(err, "a parte content.xml da planilha")
		}
		if peek, _ := br.Peek(len(tag)); string(peek) != tag {
			continue
		}
		start, err := br.ReadSlice('>') // a start tag is short: 64 KB fit any real one
		if err != nil && err != bufio.ErrBufferFull {
			return nil, b.pkg.explain(unexpectedEOF(err), "a parte content.xml da planilha")
		}
		names = append(names, attrInTag(start, "table:name"))
	}
}

// attrInTag returns an attribute's unescaped value from a start tag's text.
func attrInTag(tag []byte, name string) string {
	for i := 0; ; {
		j := bytes.Index(tag[i:], []byte(name))
		if j < 0 {
			return ""
		}
		i += j + len(name)
		rest := bytes.TrimLeft(tag[i:], " \t\r\n")
		if len(rest) < 2 || rest[0] != '=' || (i > len(name) && !isSpace(tag[i-len(name)-1])) {
			continue
		}
		rest = bytes.TrimLeft(rest[1:], " \t\r\n")
		if len(rest) == 0 || rest[0] != '"' && rest[0] != '\'' {
			return ""
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return ""
		}
		return html.UnescapeString(string(rest[1 : 1+end]))
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// odsStyles maps cell style names to number format codes.
type odsStyles struct {
	data    map[string]string    // data style name -> format code
	cell    map[string]cellStyle // table-cell style name -> its data style
	current string               // the data style being read
	formats []string             // distinct codes; formats[0] is ""
	index   map[string]uint16    // cell style name -> index in formats
}

type cellStyle struct{ data, parent string }

func newODSStyles() odsStyles {
	return odsStyles{data: map[string]string{}, cell: map[string]cellStyle{}, formats: []string{""}, index: map[string]uint16{}}
}

// dataStyleCodes are the format codes given to OpenDocument data styles,
// in the spelling of Excel's codes so Row.Format reads the same.
var dataStyleCodes = map[string]string{
	"number-style": "0", "percentage-style": "0%", "currency-style": "#,##0.00", "date-style": "dd/mm/yyyy",
	"time-style": "hh:mm:ss", "boolean-style": "BOOLEAN", "text-style": "@",
}

// element takes a start tag of the styles.
func (st *odsStyles) element(e xml.StartElement) {
	local := e.Name.Local
	if code, ok := dataStyleCodes[local]; ok {
		st.current = attr(e, "name")
		st.data[st.current] = code
		return
	}
	switch local {
	case "scientific-number":
		if st.current != "" {
			st.data[st.current] = "0.00E+00"
		}
	case "style":
		if attr(e, "family") == "table-cell" {
			st.cell[attr(e, "name")] = cellStyle{data: attr(e, "data-style-name"), parent: attr(e, "parent-style-name")}
		}
	}
}

// format returns the format index of a cell style.
func (st *odsStyles) format(style string) uint16 {
	if style == "" {
		return 0
	}
	if i, ok := st.index[style]; ok {
		return i
	}
	code := ""
	for name, depth := style, 0; name != "" && depth < 8 && code == ""; depth++ {
		cs := st.cell[name]
		code, name = st.data[cs.data], cs.parent
	}
	i := uint16(0)
	if code != "" {
		i = uint16(len(st.formats))
		for j, c := range st.formats {
			if c == code {
				i = uint16(j)
			}
		}
		if int(i) == len(st.formats) && len(st.formats) < maxStyles {
			st.formats = append(st.formats, code)
		} else if int(i) == len(st.formats) {
			i = 0
		}
	}
	if len(st.index) < maxStyles {
		st.index[style] = i
	}
	return i
}

func (b *odsBook) Sheet(name string) (Sheet, error) {
	found := ""
	for _, n := range b.names {
		if n == name || found == "" && strings.EqualFold(n, name) {
			found = n
		}
	}
	if found == "" {
		return nil, fileErrorf("a aba %q não existe na planilha", name)
	}
	rc, err := b.pkg.open("content.xml")
	if err != nil {
		return nil, err
	}
	s := &odsSheet{b: b, name: found, rc: rc, d: newDecoder(rc), nextNum: 1}
	if err := s.seek(); err != nil {
		rc.Close()
		return nil, err
	}
	return s, nil
}

type odsSheet struct {
	b       *odsBook
	name    string
	rc      io.ReadCloser
	d       *xml.Decoder
	rows    rowQueue
	nextNum int           // number the next row element starts at
	columns []columnStyle // default cell styles of the columns
	buf     rowBuffer
	text    []byte // a cell's text
}

type columnStyle struct {
	from, to int // 0-based, to exclusive
	style    string
}

func (s *odsSheet) Name() string { return s.name }
func (s *odsSheet) Close() error { return s.rc.Close() }

// seek reads content.xml up to the start of the sheet's table, learning
// the automatic styles on the way.
func (s *odsSheet) seek() error {
	for {
		tok, err := s.d.RawToken()
		if err == io.EOF {
			return fileErrorf("a aba %q não foi encontrada na planilha .ods", s.name)
		}
		if err != nil {
			return s.b.pkg.explain(err, "a parte content.xml da planilha")
		}
		e, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if e.Name.Local != "table" {
			s.b.styles.element(e)
			continue
		}
		if odsAttr(e, "name") == s.name {
			return nil
		}
		if err := skipElement(s.d); err != nil {
			return s.b.pkg.explain(err, "a parte content.xml da planilha")
		}
	}
}

// odsAttr returns an attribute by local name, preferring the table:,
// office: and text: ones over extensions (calcext:value-type).
func odsAttr(e xml.StartElement, local string) string {
	v := ""
	for _, a := range e.Attr {
		if a.Name.Local == local {
			switch a.Name.Space {
			case "table", "office", "text":
				return a.Value
			}
			v = a.Value
		}
	}
	return v
}

// repeated reads a number-*-repeated attribute: at least 1.
func repeated(e xml.StartElement, local string) int {
	n, err := strconv.Atoi(odsAttr(e, local))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, MaxRows)
}

func (s *odsSheet) Next() (Row, error) {
	return s.rows.next(s.readRow, func(err error) error {
		return s.b.pkg.explain(err, "a aba "+strconv.Quote(s.name))
	})
}

// readRow returns the next row that holds something, numbered after the
// blank rows before it, and how often it repeats. Blank rows at the
// end of the table are never returned.
func (s *odsSheet) readRow() (Row, int, error) {
	for {
		if s.nextNum > MaxRows {
			return Row{}, 0, io.EOF
		}
		tok, err := s.d.RawToken()
		if err != nil {
			return Row{}, 0, unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "table-row":
				n := repeated(t, "number-rows-repeated")
				r, err := s.row(s.nextNum)
				if err != nil {
					return Row{}, 0, err
				}
				s.nextNum += n
				if len(r.Cells) > 0 {
					return r, min(n, MaxRows+1-r.Num) - 1, nil
				}
			case "table-column":
				n := repeated(t, "number-columns-repeated")
				from := 0
				if k := len(s.columns); k > 0 {
					from = s.columns[k-1].to
				}
				if from < MaxColumns {
					s.columns = append(s.columns, columnStyle{from, from + n, odsAttr(t, "default-cell-style-name")})
				}
				if err := skipElement(s.d); err != nil {
					return Row{}, 0, err
				}
			case "table-header-rows", "table-rows", "table-row-group", "table-header-columns", "table-columns", "table-column-group":
				// containers: their rows and columns are read in order
			default:
				if err := skipElement(s.d); err != nil {
					return Row{}, 0, err
				}
			}
		case xml.EndElement:
			if t.Name.Local == "table" {
				return Row{}, 0, io.EOF
			}
		}
	}
}

// row reads one table-row element's cells.
func (s *odsSheet) row(num int) (Row, error) {
	col := 0
	return s.buf.read(s.d, num, "table-row", &s.b.styles.formats, func(e xml.StartElement) (err error) {
		if e.Name.Local != "table-cell" && e.Name.Local != "covered-table-cell" {
			return skipElement(s.d)
		}
		col, err = s.cell(e, num, col)
		return err
	})
}

// cell reads one cell (after its start tag), places its value in the
// columns it spans from col (0-based) and returns the next column.
func (s *odsSheet) cell(start xml.StartElement, row, col int) (int, error) {
	n := repeated(start, "number-columns-repeated")
	text, err := s.cellText()
	if err != nil {
		return 0, err
	}
	value, kind := text, KindText
	switch odsAttr(start, "value-type") {
	case "float", "percentage", "currency":
		kind = KindNumber
		if v := odsAttr(start, "value"); v != "" {
			value = v
		}
	case "date":
		kind = KindDate
		if v := odsAttr(start, "date-value"); v != "" {
			value = v
		}
	case "boolean":
		kind = KindBool
		switch odsAttr(start, "boolean-value") {
		case "true":
			value = "1"
		case "false":
			value = "0"
		}
	case "string":
		if v, ok := stringValue(start); ok {
			value = v
		}
	}
	for _, a := range start.Attr {
		if a.Name.Local == "value-type" && a.Value == "error" {
			kind = KindError
		}
	}
	if value == "" {
		return col + n, nil
	}
	if col+n > MaxColumns {
		return 0, fileErrorf("a linha %d da aba %q tem %d colunas (máximo %d)", row, s.name, col+n, MaxColumns)
	}
	style := odsAttr(start, "style-name")
	if style == "" {
		style = s.columnStyle(col)
	}
	format := s.b.styles.format(style)
	for i := range n {
		s.buf.put(col+i, value, kind, format)
	}
	return col + n, nil
}

func stringValue(e xml.StartElement) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == "string-value" {
			return a.Value, true
		}
	}
	return "", false
}

func (s *odsSheet) columnStyle(col int) string {
	for _, c := range s.columns {
		if col >= c.from && col < c.to {
			return c.style
		}
	}
	return ""
}

// cellText reads a cell's content up to its end tag: the text of its
// paragraphs, one line each, with text:s spaces, tabs and line breaks;
// annotations (comments) left out. At most MaxRun bytes.
func (s *odsSheet) cellText() (string, error) {
	s.text = s.text[:0]
	paragraphs, inP := 0, 0
	add := func(b []byte) error {
		if len(s.text)+len(b) > MaxRun {
			return errLongRun
		}
		s.text = append(s.text, b...)
		return nil
	}
	for depth := 0; ; {
		tok, err := s.d.RawToken()
		if err != nil {
			return "", unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "p", "h":
				if paragraphs > 0 {
					err = add([]byte{'\n'})
				}
				paragraphs++
				inP++
			case "s":
				spaces, _ := strconv.Atoi(odsAttr(t, "c"))
				err = add(bytes.Repeat([]byte{' '}, max(1, min(spaces, MaxRun))))
			case "tab":
				err = add([]byte{'\t'})
			case "line-break":
				err = add([]byte{'\n'})
			case "annotation":
				err = skipElement(s.d)
				depth--
			}
			if err != nil {
				return "", err
			}
		case xml.EndElement:
			depth--
			switch {
			case depth < 0:
				if t.Name.Local != "table-cell" && t.Name.Local != "covered-table-cell" {
					return "", mismatched(t)
				}
				return string(s.text), nil
			case t.Name.Local == "p" || t.Name.Local == "h":
				inP--
			}
		case xml.CharData:
			if inP > 0 {
				if err := add(t); err != nil {
					return "", err
				}
			}
		}
	}
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
			return b.row(num, *table), nil
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
