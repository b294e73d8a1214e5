package table

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
)

// The .xlsx reader streams each worksheet's XML once, token by token
// (xmlScanner). It learns every cell's type (the t attribute) and number
// format (s, the style index, through styles.xml) as it goes, so memory is
// bounded by the longest row plus the shared strings table, never by the
// sheet.

// MaxRows is the most rows a worksheet can have (Excel's limit).
const MaxRows = 1 << 20

type xlsxBook struct {
	pkg    *zipPackage
	names  []string
	parts  []string // worksheet part of each sheet; "" for a chart sheet
	sst    sharedStrings
	styles cellStyles
	parked []*sheetReader // sheets closed after their first rows, oldest first (see xlsxSheet.Close)
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

func (b *xlsxBook) Close() error {
	var errs []error
	for _, r := range b.parked {
		errs = append(errs, r.close())
	}
	b.parked = nil
	return errors.Join(errs...)
}

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
	err = b.pkg.eachStart(wbPart, func(x *xmlScanner) error {
		if string(x.name) != "sheet" {
			return nil
		}
		part := ""
		if r, ok := byID[relID(x)]; ok && strings.HasSuffix(r.typ, "/worksheet") {
			part = resolvePart(dir, r.target)
		}
		b.names = append(b.names, string(x.attr("name")))
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
func relID(x *xmlScanner) string {
	for _, a := range x.attrs {
		if string(a.local) == "id" && len(a.space) > 0 {
			return string(a.value)
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
	err := p.eachStart(name, func(x *xmlScanner) error {
		if string(x.name) == "Relationship" && string(x.attr("TargetMode")) != "External" {
			out = append(out, rel{id: string(x.attr("Id")), typ: string(x.attr("Type")), target: string(x.attr("Target"))})
		}
		return nil
	})
	return out, err
}

// eachStart scans a part and calls fn at every start tag (fn may read on,
// through the scanner).
func (p *zipPackage) eachStart(name string, fn func(*xmlScanner) error) error {
	rc, err := p.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	x := newScanner(rc)
	defer x.release()
	for {
		k, err := x.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return p.explain(err, "a parte "+name+" da planilha")
		}
		if k == xmlStart {
			if err := fn(x); err != nil {
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
	err := p.eachStart(name, func(x *xmlScanner) error {
		if string(x.name) != "si" {
			return nil
		}
		item = item[:0]
		err := x.inside(func(k xmlKind) error {
			switch {
			case k == xmlStart && string(x.name) == "rPh":
				phonetic++
			case k == xmlStart && string(x.name) == "t":
				inT = phonetic == 0
			case k == xmlEnd && string(x.name) == "rPh":
				phonetic--
			case k == xmlEnd && string(x.name) == "t":
				inT = false
			case k == xmlText && inT:
				item = append(item, x.text...)
			}
			return nil
		})
		if err != nil {
			return err
		}
		appendUnescaped(&all, item)
		if all.Len() > MaxUnzipped {
			return errUnzipLimit
		}
		s.ends = append(s.ends, uint32(all.Len()))
		return nil
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
	return p.eachStart(name, func(x *xmlScanner) error {
		switch string(x.name) {
		case "numFmt":
			if id, err := strconv.Atoi(string(x.attr("numFmtId"))); err == nil {
				custom[id] = string(x.attr("formatCode"))
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
			if id, err := strconv.Atoi(string(x.attr("numFmtId"))); err == nil {
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
func (c *cellStyles) format(s []byte) uint16 {
	i := 0
	if len(s) > 0 {
		n, ok := atoiBytes(s)
		if !ok {
			return 0
		}
		i = n
	}
	if i < 0 || i >= len(c.xf) {
		return 0
	}
	return c.xf[i]
}

// atoiBytes is strconv.Atoi of b, without making a string of the usual short
// run of digits.
func atoiBytes(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		n, err := strconv.Atoi(string(b))
		return n, err == nil
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			n, err := strconv.Atoi(string(b))
			return n, err == nil
		}
		n = n*10 + int(c-'0')
	}
	return n, true
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
	for i, r := range b.parked {
		if r.name == b.names[idx] {
			b.parked = slices.Delete(b.parked, i, i+1)
			return &xlsxSheet{r: r, replay: cloneRows(r.seen)}, nil
		}
	}
	r := &sheetReader{b: b, name: b.names[idx]}
	if b.parts[idx] == "" || !b.pkg.has(b.parts[idx]) {
		r.rows.done = true // a chart sheet, or a sheet with no cells written
		return &xlsxSheet{r: r}, nil
	}
	rc, err := b.pkg.open(b.parts[idx])
	if err != nil {
		return nil, err
	}
	r.rc, r.x = rc, newScanner(rc)
	return &xlsxSheet{r: r}, nil
}

// maxParked is how many sheets a workbook keeps open after they were
// closed having read no more than their first HeaderSearchRows rows.
const maxParked = 4

// xlsxSheet is a sheet as opened by Sheet. The importers read the first
// rows of a sheet to tell its kind, close it, and open it again to read it
// whole; a sheet is small, often no longer than those first rows. So a
// sheet closed after at most HeaderSearchRows rows is not closed but
// parked in its workbook, and opened again it gives those rows again and
// reads on from where it stopped, instead of inflating and reading its
// part a second time.
type xlsxSheet struct {
	r      *sheetReader
	replay []Row // rows already read, to give again first
	closed bool
}

// sheetReader reads a worksheet part.
type sheetReader struct {
	b    *xlsxBook
	name string
	rc   io.ReadCloser
	x    *xmlScanner
	rows rowQueue
	buf  rowBuffer
	val  []byte          // a cell's v text
	is   strings.Builder // a cell's inline text
	isT  []byte
	seen []Row // copies of the rows read, while at most HeaderSearchRows
	long bool  // more rows than that were read, or an error: not parked
}

func (s *xlsxSheet) Name() string { return s.r.name }

func (s *xlsxSheet) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	r, b := s.r, s.r.b
	if r.long || r.rc == nil {
		return r.close()
	}
	b.parked = append(b.parked, r)
	if len(b.parked) > maxParked {
		oldest := b.parked[0]
		b.parked = b.parked[1:]
		return oldest.close()
	}
	return nil
}

func (r *sheetReader) close() error {
	if r.rc == nil {
		return nil
	}
	r.x.release()
	err := r.rc.Close()
	r.rc = nil
	return err
}

func cloneRows(rows []Row) []Row {
	out := make([]Row, len(rows))
	for i, r := range rows {
		r.Cells, r.kinds, r.formats = slices.Clone(r.Cells), slices.Clone(r.kinds), slices.Clone(r.formats)
		out[i] = r
	}
	return out
}

// Next returns rows numbered as in the sheet: rows the file leaves out
// come back blank, as excelize's iterator gave them.
func (s *xlsxSheet) Next() (Row, error) {
	if s.closed {
		return Row{}, io.EOF
	}
	if len(s.replay) > 0 {
		r := s.replay[0]
		s.replay = s.replay[1:]
		return r, nil
	}
	return s.r.next()
}

func (s *sheetReader) next() (Row, error) {
	r, err := s.rows.next(func() (Row, int, error) {
		r, err := s.readRow()
		return r, 0, err
	}, s.explain)
	switch {
	case err == io.EOF || s.long:
	case err != nil || len(s.seen) == HeaderSearchRows:
		s.long, s.seen = true, nil
	default:
		s.seen = append(s.seen, cloneRows([]Row{r})[0])
	}
	return r, err
}

func (s *sheetReader) explain(err error) error {
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
func (s *sheetReader) readRow() (Row, error) {
	for {
		k, err := s.x.next()
		if err != nil {
			return Row{}, err
		}
		switch {
		case k == xmlStart && string(s.x.name) == "row":
			return s.row()
		case k == xmlEnd && string(s.x.name) == "sheetData":
			return Row{}, io.EOF
		}
	}
}

// row reads a row element, its start tag just read.
func (s *sheetReader) row() (Row, error) {
	num := s.rows.num + 1
	if v := s.x.attr("r"); len(v) > 0 {
		n, ok := atoiBytes(v)
		if !ok {
			return Row{}, fileErrorf("a aba %q tem uma linha com número inválido (%q): o arquivo está corrompido", s.name, v)
		}
		num = max(num, n)
	}
	if num > MaxRows {
		return Row{}, fileErrorf("a aba %q passa de %d linhas: o arquivo está corrompido", s.name, MaxRows)
	}
	b := &s.buf
	b.cells, b.kinds, b.formats = b.cells[:0], b.kinds[:0], b.formats[:0]
	col := 0
	for {
		k, err := s.x.next()
		if err != nil {
			return Row{}, unexpectedEOF(err)
		}
		switch k {
		case xmlStart:
			if string(s.x.name) != "c" {
				if err := s.x.skip(); err != nil {
					return Row{}, err
				}
				continue
			}
			if col, err = s.cell(num, col); err != nil {
				return Row{}, err
			}
		case xmlEnd:
			if string(s.x.name) != "row" {
				return Row{}, fmt.Errorf("marcação inesperada </%s>", s.x.name)
			}
			return b.row(num, s.b.styles.formats), nil
		}
	}
}

// The cell types of the t attribute that the reader tells apart.
const (
	cellNumber = iota // n, or no t
	cellShared        // s
	cellInline        // inlineStr
	cellString        // str
	cellBool          // b
	cellError         // e
	cellDate          // d
)

func cellType(t []byte) int {
	switch string(t) {
	case "s":
		return cellShared
	case "inlineStr":
		return cellInline
	case "str":
		return cellString
	case "b":
		return cellBool
	case "e":
		return cellError
	case "d":
		return cellDate
	}
	return cellNumber
}

// cell reads one c element (its start tag just read) and places its value
// in the row. prev is the column (1-based) of the previous cell.
func (s *sheetReader) cell(row, prev int) (int, error) {
	col := prev + 1
	typ := cellNumber
	var style []byte
	for _, a := range s.x.attrs {
		switch string(a.local) {
		case "r":
			c, ok := columnOf(a.value)
			if !ok {
				return 0, fileErrorf("a linha %d da aba %q tem uma célula com referência inválida (%q): o arquivo está corrompido", row, s.name, a.value)
			}
			col = c
		case "t":
			typ = cellType(a.value)
		case "s":
			style = a.value
		}
	}
	format := s.b.styles.format(style)
	s.val = s.val[:0]
	inline, hasInline, err := s.cellContent()
	if err != nil {
		return 0, err
	}
	var value string
	kind := KindNumber
	switch typ {
	case cellShared:
		kind = KindText
		i, ok := atoiBytes(bytes.TrimSpace(s.val))
		v, found := s.b.sst.get(i)
		if len(s.val) > 0 && (!ok || !found) {
			return 0, fileErrorf("a linha %d da aba %q aponta para um texto compartilhado que não existe (%q): o arquivo está corrompido", row, s.name, s.val)
		}
		value = v
	case cellInline:
		kind = KindText
		value = string(s.val)
		if hasInline {
			value = inline
		}
	case cellString:
		kind, value = KindText, string(s.val)
	case cellBool:
		kind, value = KindBool, string(s.val)
	case cellError:
		kind, value = KindError, string(s.val)
	case cellDate:
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
	s.buf.put(col-1, value, kind, format)
	return col, nil
}

// cellContent reads a cell's children up to its end tag: the v text goes
// to s.val; an is element's text (rich text runs concatenated, phonetic
// runs left out) is returned.
func (s *sheetReader) cellContent() (inline string, hasInline bool, err error) {
	if s.x.closeNext { // <c r="A1"/>
		s.x.next()
		return "", false, nil
	}
	s.isT = s.isT[:0]
	where := "" // "v" or "is" while inside one
	inT, phonetic := false, 0
	for depth := 0; ; {
		k, err := s.x.next()
		if err != nil {
			return "", false, unexpectedEOF(err)
		}
		switch k {
		case xmlStart:
			depth++
			name := s.x.name
			switch {
			case depth == 1 && (string(name) == "v" || string(name) == "is"):
				if string(name) == "v" {
					where = "v"
				} else {
					where, hasInline = "is", true
				}
			case depth == 1 && string(name) == "f":
				if err := s.x.skip(); err != nil {
					return "", false, err
				}
				depth--
			case where == "is" && string(name) == "rPh":
				phonetic++
			case where == "is" && string(name) == "t":
				inT = phonetic == 0
			}
		case xmlEnd:
			depth--
			name := s.x.name
			switch {
			case depth < 0:
				if string(name) != "c" {
					return "", false, fmt.Errorf("marcação inesperada </%s>", name)
				}
				if !hasInline {
					return "", false, nil
				}
				s.is.Reset()
				appendUnescaped(&s.is, s.isT)
				return s.is.String(), true, nil
			case depth == 0:
				where = ""
			case string(name) == "rPh":
				phonetic--
			case string(name) == "t":
				inT = false
			}
		case xmlText:
			switch {
			case where == "v":
				s.val = append(s.val, s.x.text...)
			case where == "is" && inT:
				s.isT = append(s.isT, s.x.text...)
			}
		}
	}
}

// skip reads past the end of the element whose start tag was just read.
func (x *xmlScanner) skip() error { return x.inside(nil) }

// inside reads up to the end tag of the element whose start tag was just
// read, calling fn (when not nil) for every token after the start tag,
// that end tag included (RawToken does not match end tags with start
// tags: the end tag is the one that brings the depth back).
func (x *xmlScanner) inside(fn func(xmlKind) error) error {
	for depth := 0; ; {
		k, err := x.next()
		if err != nil {
			return unexpectedEOF(err)
		}
		switch k {
		case xmlStart:
			depth++
		case xmlEnd:
			depth--
		}
		if fn != nil {
			if err := fn(k); err != nil {
				return err
			}
		}
		if depth < 0 {
			return nil
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

// row returns the row read, its cells copied.
func (b *rowBuffer) row(num int, table []string) Row {
	return Row{Num: num, Cells: slices.Clone(b.cells), kinds: slices.Clone(b.kinds), formats: slices.Clone(b.formats), table: table}
}

// columnOf returns the 1-based column of a cell reference such as "AB12".
func columnOf(ref []byte) (int, bool) {
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
