package table

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// xmlScanner reads the XML of an .xlsx part token by token, as
// encoding/xml's Decoder.RawToken does in strict mode (no namespace
// translation; end tags are not matched against start tags, the callers
// check what they need), without allocating per token: a token's names,
// attribute values and text are slices of the scanner's buffer, valid
// until the next call. Comments, processing instructions and directives
// are skipped; an XML declaration that names another encoding switches to
// it (as newDecoder's CharsetReader does). It refuses what encoding/xml
// refuses: malformed markup, unknown entities, invalid UTF-8 and
// characters XML does not allow (FuzzXMLScannerAsEncodingXML compares
// the two). encoding/xml spent most of the time of reading a workbook
// allocating a string for every name, attribute and text.
type xmlScanner struct {
	r    io.Reader
	buf  []byte
	pos  int   // first unread byte of buf
	end  int   // end of the bytes read into buf
	rerr error // why r gave no more (io.EOF at the end)
	err  error // sticky: what the last token failed with

	name      []byte    // local name of the start or end tag just read
	attrs     []xmlAttr // attributes of the start tag just read
	text      []byte    // the text just read (escapes decoded)
	closeNext bool      // the start tag just read was empty (<a/>): its end comes next
	decoded   []byte    // where text and attribute values with escapes are decoded
	offsets   []int     // decoded attribute values: start and end in decoded
}

type xmlAttr struct {
	space, local, value []byte
	escaped             bool
}

type xmlKind uint8

const (
	xmlStart xmlKind = iota + 1
	xmlEnd
	xmlText
)

// maxXMLToken bounds the buffer: a tag or a text longer than this is a
// broken or hostile part (MaxRun already bounds most tokens while the part
// is inflated; a tag can hold '>' in its quoted values).
const maxXMLToken = 4 * MaxRun

const scanBufSize = 32 << 10

var scanBufs = sync.Pool{New: func() any { b := make([]byte, scanBufSize); return &b }}

func newScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: r, buf: *scanBufs.Get().(*[]byte)}
}

// release gives the buffer back for the next part; the scanner must not
// be used after.
func (x *xmlScanner) release() {
	if x.buf != nil && cap(x.buf) == scanBufSize {
		b := x.buf[:scanBufSize]
		scanBufs.Put(&b)
	}
	x.buf, x.name, x.attrs, x.text = nil, nil, nil, nil
	if x.err == nil {
		x.err = errors.New("xml scanner released")
	}
}

// xmlSyntaxError is markup that is not well-formed XML.
type xmlSyntaxError struct{ msg string }

func (e *xmlSyntaxError) Error() string { return "XML inválido: " + e.msg }

func (x *xmlScanner) syntax(format string, args ...any) error {
	x.err = &xmlSyntaxError{msg: fmt.Sprintf(format, args...)}
	return x.err
}

// fill reads more of the part into buf, keeping the unread bytes; false
// when nothing more comes (x.rerr says why).
func (x *xmlScanner) fill() bool {
	if x.rerr != nil {
		return false
	}
	if x.pos > 0 && (x.end == len(x.buf) || x.pos >= len(x.buf)/2) {
		x.end = copy(x.buf, x.buf[x.pos:x.end])
		x.pos = 0
	}
	if x.end == len(x.buf) {
		if len(x.buf) >= maxXMLToken {
			x.rerr = errLongRun
			return false
		}
		nb := make([]byte, 2*len(x.buf))
		copy(nb, x.buf[:x.end])
		x.buf = nb
	}
	for {
		n, err := x.r.Read(x.buf[x.end:])
		x.end += n
		if err != nil {
			x.rerr = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// ensure makes n unread bytes available; false at the end of the part.
func (x *xmlScanner) ensure(n int) bool {
	for x.end-x.pos < n {
		if !x.fill() {
			return false
		}
	}
	return true
}

// truncated is the error for a part that ends inside a token.
func (x *xmlScanner) truncated() error {
	if x.rerr == nil || x.rerr == io.EOF {
		x.err = io.ErrUnexpectedEOF
	} else {
		x.err = x.rerr
	}
	return x.err
}

// find returns the offset (from x.pos) of the first pat at or after
// offset from, reading more as needed; -1 at the end of the part.
func (x *xmlScanner) find(from int, pat string) int {
	for {
		if i := bytes.Index(x.buf[x.pos+from:x.end], []byte(pat)); i >= 0 {
			return from + i
		}
		from = max(from, x.end-x.pos-len(pat)+1)
		if !x.fill() {
			return -1
		}
	}
}

// next reads the next start tag, end tag or text.
func (x *xmlScanner) next() (xmlKind, error) {
	if x.err != nil {
		return 0, x.err
	}
	if x.closeNext {
		x.closeNext = false
		return xmlEnd, nil
	}
	for {
		if x.pos == x.end && !x.fill() {
			if x.rerr == io.EOF {
				x.err = io.EOF
			} else {
				x.err = x.rerr
			}
			return 0, x.err
		}
		if x.buf[x.pos] != '<' {
			return xmlText, x.readText()
		}
		if !x.ensure(2) {
			return 0, x.truncated()
		}
		switch x.buf[x.pos+1] {
		case '/':
			return xmlEnd, x.readEnd()
		case '?':
			if err := x.readPI(); err != nil {
				return 0, err
			}
		case '!':
			text, err := x.readBang()
			if err != nil {
				return 0, err
			}
			if text {
				return xmlText, nil
			}
		default:
			return xmlStart, x.readStart()
		}
	}
}

// readText reads the text up to the next '<' or the end of the part.
func (x *xmlScanner) readText() error {
	n := 0
	for {
		if i := bytes.IndexByte(x.buf[x.pos+n:x.end], '<'); i >= 0 {
			n += i
			break
		}
		n = x.end - x.pos
		if !x.fill() {
			if x.rerr != io.EOF {
				return x.truncated()
			}
			break
		}
	}
	raw := x.buf[x.pos : x.pos+n]
	x.pos += n
	text, _, err := x.decode(raw, false)
	if err != nil {
		return err
	}
	x.text = text
	return nil
}

// decode checks the characters of raw text (or an attribute value when
// attr) and decodes its entity and character references and line ends
// (\r\n and \r become \n). Only when there is anything to decode
// (escaped) is the value written to x.decoded: a text replaces what it
// held, an attribute value is appended to it.
func (x *xmlScanner) decode(raw []byte, attr bool) (value []byte, escaped bool, err error) {
	i := 0
	for i < len(raw) && byteClass[raw[i]]&plainText != 0 {
		i++
	}
	if i == len(raw) {
		return raw, false, nil
	}
	plain := true
	for i < len(raw) {
		c := raw[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&' || c == '\r':
				plain = false
			case c < 0x20 && c != '\t' && c != '\n':
				return nil, false, x.syntax("caractere proibido %U", rune(c))
			case c == '>' && !attr && i >= 2 && raw[i-1] == ']' && raw[i-2] == ']':
				return nil, false, x.syntax("]]> fora de uma seção CDATA")
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size == 1 {
			return nil, false, x.syntax("UTF-8 inválido")
		}
		if !xmlChar(r) {
			return nil, false, x.syntax("caractere proibido %U", r)
		}
		i += size
	}
	if plain {
		return raw, false, nil
	}
	if !attr {
		x.decoded = x.decoded[:0]
	}
	start := len(x.decoded)
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '\r':
			x.decoded = append(x.decoded, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case '&':
			n, err := x.entity(raw[i:])
			if err != nil {
				return nil, false, err
			}
			i += n - 1
		default:
			x.decoded = append(x.decoded, c)
		}
	}
	return x.decoded[start:], true, nil
}

// entity decodes the reference at the start of b (which starts with '&')
// into x.decoded and returns its length.
func (x *xmlScanner) entity(b []byte) (int, error) {
	semi := bytes.IndexByte(b, ';')
	bad := func() (int, error) {
		end := len(b)
		if semi >= 0 {
			end = semi + 1
		}
		return 0, x.syntax("referência inválida %q", b[:min(end, 32)])
	}
	if semi < 0 {
		return bad()
	}
	ref := b[1:semi]
	if len(ref) > 0 && ref[0] == '#' {
		digits, base := ref[1:], 10
		if len(digits) > 0 && digits[0] == 'x' {
			digits, base = digits[1:], 16
		}
		for _, c := range digits {
			if !('0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
				return bad()
			}
		}
		n, err := strconv.ParseUint(string(digits), base, 64)
		if err != nil || n > unicode.MaxRune {
			return bad()
		}
		r := rune(n)
		if !utf8.ValidRune(r) {
			r = utf8.RuneError // as string(rune(n)) gives it
		}
		if !xmlChar(r) {
			return 0, x.syntax("caractere proibido %U", r)
		}
		x.decoded = utf8.AppendRune(x.decoded, r)
		return semi + 1, nil
	}
	var c byte
	switch string(ref) {
	case "lt":
		c = '<'
	case "gt":
		c = '>'
	case "amp":
		c = '&'
	case "apos":
		c = '\''
	case "quot":
		c = '"'
	default:
		return bad()
	}
	x.decoded = append(x.decoded, c)
	return semi + 1, nil
}

// xmlChar reports whether XML allows the character (encoding/xml's
// isInCharacterRange).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// tagEnd returns the offset (from x.pos) of the '>' that ends the tag
// starting at x.pos, outside quoted values; -1 at the end of the part.
func (x *xmlScanner) tagEnd() int {
	i := 1
	var quote byte
	for {
		b := x.buf[x.pos+i : x.end]
		for j := 0; j < len(b); j++ {
			if quote != 0 {
				k := bytes.IndexByte(b[j:], quote)
				if k < 0 {
					break
				}
				j, quote = j+k, 0
				continue
			}
			for j < len(b) && byteClass[b[j]]&tagByte != 0 {
				j++
			}
			if j == len(b) {
				break
			}
			if b[j] == '>' {
				return i + j
			}
			quote = b[j]
		}
		i += len(b)
		if !x.fill() {
			return -1
		}
	}
}

// nameEnd returns how many bytes of b form a name (as encoding/xml's
// readName takes it: name bytes and any non-ASCII byte).
func nameEnd(b []byte) int {
	for i, c := range b {
		if byteClass[c]&nameByte == 0 {
			return i
		}
	}
	return len(b)
}

// What the scanner looks for in a byte (byteClass).
const (
	nameByte  = 1 << iota // may be in a name: ASCII letters, digits, _ : . - and any non-ASCII byte
	nameStart             // may start a name: ASCII letters, _ :, and any non-ASCII byte (checked further)
	plainText             // needs nothing done in a text or attribute value: not & \r > nor a control or non-ASCII byte
	tagByte               // nothing to see while looking for a tag's end: not > " '
)

var byteClass = func() (t [256]uint8) {
	for c := range 256 {
		letter := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
		if letter || '0' <= c && c <= '9' || c == '_' || c == ':' || c == '.' || c == '-' || c >= utf8.RuneSelf {
			t[c] |= nameByte
		}
		if letter || c == '_' || c == ':' || c >= utf8.RuneSelf {
			t[c] |= nameStart
		}
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '>' || c == '\t' || c == '\n' {
			t[c] |= plainText
		}
		if c != '>' && c != '"' && c != '\'' {
			t[c] |= tagByte
		}
	}
	return t
}()

// splitName checks a name and splits it at its colon as encoding/xml's
// nsname does; ok is false for a name encoding/xml refuses.
func splitName(b []byte) (space, local []byte, ok bool) {
	if len(b) == 0 || byteClass[b[0]]&nameStart == 0 {
		return nil, nil, false
	}
	colon, colons, checked := -1, 0, false
	for i, c := range b {
		switch {
		case c >= utf8.RuneSelf && !checked:
			if !validXMLName(b) {
				return nil, nil, false
			}
			checked = true
		case c == ':':
			colon, colons = i, colons+1
		}
	}
	switch {
	case colons == 0:
		return nil, b, true
	case colons > 1:
		return nil, nil, false
	case colon == 0 || colon == len(b)-1:
		return nil, b, true
	}
	return b[:colon], b[colon+1:], true
}

// validXMLName asks encoding/xml about a name with non-ASCII letters
// (rare in a spreadsheet: its tables of name characters are not exported).
func validXMLName(b []byte) bool {
	doc := make([]byte, 0, len(b)+3)
	doc = append(append(append(doc, '<'), b...), '/', '>')
	_, err := xml.NewDecoder(bytes.NewReader(doc)).RawToken()
	return err == nil
}

// validPITarget reports whether encoding/xml takes s as the target of a
// processing instruction (any name, colons included).
func validPITarget(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			_, err := xml.NewDecoder(strings.NewReader("<?" + s + "?>")).RawToken()
			return err == nil
		}
	}
	c := s[0]
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':'
}

// readTag reads the tag at x.pos, which opens with open ("<" or "</"),
// up to its '>': the element's name and what follows it.
func (x *xmlScanner) readTag(open string) (local, rest []byte, err error) {
	end := x.tagEnd()
	if end < 0 {
		return nil, nil, x.truncated()
	}
	tag := x.buf[x.pos+len(open) : x.pos+end]
	x.pos += end + 1
	n := nameEnd(tag)
	_, local, ok := splitName(tag[:n])
	if !ok {
		return nil, nil, x.syntax("falta o nome do elemento depois de %s", open)
	}
	return local, tag[n:], nil
}

// readEnd reads an end tag (</name>).
func (x *xmlScanner) readEnd() error {
	local, rest, err := x.readTag("</")
	if err != nil {
		return err
	}
	for _, c := range rest {
		if !isSpace(c) {
			return x.syntax("caracteres inválidos entre </%s e >", local)
		}
	}
	x.name = local
	return nil
}

// readStart reads a start tag with its attributes.
func (x *xmlScanner) readStart() error {
	local, tag, err := x.readTag("<")
	if err != nil {
		return err
	}
	x.name = local
	x.attrs = x.attrs[:0]
	x.decoded = x.decoded[:0]
	x.offsets = x.offsets[:0]
	escaped := false
	for i := 0; ; {
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i == len(tag) {
			break
		}
		if tag[i] == '/' {
			if i != len(tag)-1 {
				return x.syntax("esperava /> no elemento")
			}
			x.closeNext = true
			break
		}
		n := nameEnd(tag[i:])
		space, alocal, ok := splitName(tag[i : i+n])
		if !ok {
			return x.syntax("esperava o nome de um atributo no elemento")
		}
		i += n
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i == len(tag) || tag[i] != '=' {
			return x.syntax("atributo sem = no elemento")
		}
		i++
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i == len(tag) || tag[i] != '"' && tag[i] != '\'' {
			return x.syntax("valor de atributo sem aspas no elemento")
		}
		q := bytes.IndexByte(tag[i+1:], tag[i])
		if q < 0 {
			return x.syntax("valor de atributo sem aspas no elemento") // tagEnd found none: cannot happen
		}
		raw := tag[i+1 : i+1+q]
		i += q + 2
		if bytes.IndexByte(raw, '<') >= 0 {
			return x.syntax("< sem escape num valor de atributo")
		}
		start := len(x.decoded)
		value, esc, err := x.decode(raw, true)
		if err != nil {
			return err
		}
		a := xmlAttr{space: space, local: alocal, value: value, escaped: esc}
		if esc {
			escaped = true
			x.offsets = append(x.offsets, start, len(x.decoded))
		}
		x.attrs = append(x.attrs, a)
	}
	if escaped { // x.decoded may have moved while it grew
		k := 0
		for i := range x.attrs {
			if x.attrs[i].escaped {
				x.attrs[i].value = x.decoded[x.offsets[k]:x.offsets[k+1]]
				k += 2
			}
		}
	}
	return nil
}

// attr returns the value of the attribute with this local name (nil when
// absent).
func (x *xmlScanner) attr(local string) []byte {
	for _, a := range x.attrs {
		if string(a.local) == local {
			return a.value
		}
	}
	return nil
}

// startElement is the start tag just read as encoding/xml gives it (the
// element's prefix left out).
func (x *xmlScanner) startElement() xml.StartElement {
	e := xml.StartElement{Name: xml.Name{Local: string(x.name)}, Attr: make([]xml.Attr, len(x.attrs))}
	for i, a := range x.attrs {
		e.Attr[i] = xml.Attr{Name: xml.Name{Space: string(a.space), Local: string(a.local)}, Value: string(a.value)}
	}
	return e
}

// readPI skips a processing instruction; the XML declaration's version
// is checked and its encoding, if not UTF-8, decoded from here on.
func (x *xmlScanner) readPI() error {
	if !x.ensure(3) {
		return x.truncated()
	}
	// The target name, then spaces, then the data up to "?>".
	n := 2
	for {
		k := nameEnd(x.buf[x.pos+n : x.end])
		n += k
		if x.pos+n < x.end {
			break
		}
		if !x.fill() {
			return x.truncated()
		}
	}
	target := string(x.buf[x.pos+2 : x.pos+n])
	if !validPITarget(target) {
		return x.syntax("falta o nome depois de <?")
	}
	for {
		for x.pos+n < x.end && isSpace(x.buf[x.pos+n]) {
			n++
		}
		if x.pos+n < x.end {
			break
		}
		if !x.fill() {
			return x.truncated()
		}
	}
	end := x.find(n, "?>")
	if end < 0 {
		return x.truncated()
	}
	data := string(x.buf[x.pos+n : x.pos+end])
	x.pos += end + 2
	if target != "xml" {
		return nil
	}
	if ver := procInst("version", data); ver != "" && ver != "1.0" {
		return x.syntax("versão %q do XML (só a 1.0 é aceita)", ver)
	}
	if enc := procInst("encoding", data); enc != "" && !strings.EqualFold(enc, "utf-8") {
		if x.rerr != nil && x.rerr != io.EOF {
			x.err = x.rerr
			return x.err
		}
		e, err := htmlindex.Get(enc)
		if err != nil {
			return x.syntax("codificação %q desconhecida", enc)
		}
		rest := bytes.Clone(x.buf[x.pos:x.end])
		var r io.Reader = bytes.NewReader(rest)
		if x.rerr == nil {
			r = io.MultiReader(r, x.r)
		}
		x.r, x.rerr, x.pos, x.end = e.NewDecoder().Reader(r), nil, 0, 0
	}
	return nil
}

// procInst returns a parameter of an XML declaration (encoding/xml's).
func procInst(param, s string) string {
	param = param + "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// readBang reads what starts with "<!": a comment or a directive, which
// are skipped, or a CDATA section, whose text is the token (text true).
func (x *xmlScanner) readBang() (text bool, err error) {
	if !x.ensure(3) {
		return false, x.truncated()
	}
	switch x.buf[x.pos+2] {
	case '-':
		if !x.ensure(4) {
			return false, x.truncated()
		}
		if x.buf[x.pos+3] != '-' {
			return false, x.syntax("<!- que não abre um comentário")
		}
		dashes := x.find(4, "--")
		if dashes < 0 {
			return false, x.truncated()
		}
		if !x.ensure(dashes + 3) {
			return false, x.truncated()
		}
		if x.buf[x.pos+dashes+2] != '>' {
			return false, x.syntax("-- dentro de um comentário")
		}
		x.pos += dashes + 3
		return false, nil
	case '[':
		if !x.ensure(9) {
			return false, x.truncated()
		}
		if string(x.buf[x.pos+3:x.pos+9]) != "CDATA[" {
			return false, x.syntax("<![ que não abre uma seção CDATA")
		}
		end := x.find(9, "]]>")
		if end < 0 {
			return false, x.truncated()
		}
		raw := x.buf[x.pos+9 : x.pos+end]
		x.pos += end + 3
		x.text, err = x.cdata(raw)
		return err == nil, err
	}
	return false, x.skipDirective()
}

// cdata checks a CDATA section's characters and turns its line ends into
// \n.
func (x *xmlScanner) cdata(raw []byte) ([]byte, error) {
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return nil, x.syntax("caractere proibido %U", rune(c))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size == 1 {
			return nil, x.syntax("UTF-8 inválido")
		}
		if !xmlChar(r) {
			return nil, x.syntax("caractere proibido %U", r)
		}
		i += size
	}
	if bytes.IndexByte(raw, '\r') < 0 {
		return raw, nil
	}
	x.decoded = x.decoded[:0]
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\r' {
			x.decoded = append(x.decoded, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			continue
		}
		x.decoded = append(x.decoded, raw[i])
	}
	return x.decoded, nil
}

// skipDirective skips a directive (<!DOCTYPE …>) as encoding/xml reads
// one: up to the '>' outside quotes that closes it, nested '<' and '>'
// counted, comments inside skipped.
func (x *xmlScanner) skipDirective() error {
	i := 3 // the character after "<!" is taken as it is
	var quote byte
	depth := 0
	for {
		if !x.ensure(i + 1) {
			return x.truncated()
		}
		c := x.buf[x.pos+i]
		i++
		switch {
		case quote == 0 && c == '>' && depth == 0:
			x.pos += i
			return nil
		case c == quote:
			quote = 0
		case quote != 0:
		case c == '\'' || c == '"':
			quote = c
		case c == '>':
			depth--
		case c == '<':
			comment := true
			for k := 0; k < 3 && comment; k++ {
				if !x.ensure(i + k + 1) {
					return x.truncated()
				}
				comment = x.buf[x.pos+i+k] == "!--"[k]
			}
			if !comment {
				depth++
				continue
			}
			end := x.find(i+3, "-->")
			if end < 0 {
				return x.truncated()
			}
			i = end + 3
		}
	}
}
