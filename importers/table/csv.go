package table

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

type csvBook struct{ text []byte }

// openCSV decodes the bytes to UTF-8 (UTF-8 with or without BOM, UTF-16
// with BOM, otherwise Windows-1252) and checks it looks like text.
func openCSV(data []byte) (Workbook, error) {
	// Refuse an endless line before decoding, which would copy the file.
	// A UTF-16 character is two bytes, so the raw limit is twice the
	// decoded one; '\n' is byte 0x0A in every accepted encoding.
	if longestLine(data) > 2*MaxLineBytes {
		return nil, fileErrorf("o arquivo tem uma linha com mais de %d MB: não parece um CSV de planilha", MaxLineBytes>>20)
	}
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	if bytes.IndexByte(text, 0) >= 0 {
		return nil, fileErrorf("o arquivo não é uma planilha (.xlsx) nem um texto CSV")
	}
	line := 0
	for _, b := range text {
		line++
		if b == '\n' {
			line = 0
		}
		if line > MaxLineBytes {
			return nil, fileErrorf("o arquivo tem uma linha com mais de %d MB: não parece um CSV de planilha", MaxLineBytes>>20)
		}
	}
	return &csvBook{text: text}, nil
}

func longestLine(data []byte) int {
	longest := 0
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			i = len(data)
		}
		longest = max(longest, i)
		data = data[min(i+1, len(data)):]
	}
	return longest
}

func decodeText(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
	case utf8.Valid(data):
		return data, nil
	}
	return charmap.Windows1252.NewDecoder().Bytes(data)
}

// sniffSeparator counts ; , and TAB outside quotes on the first line.
func sniffSeparator(text []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range string(firstLine(text)) {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ';' || r == ',' || r == '\t'):
			counts[r]++
		}
	}
	best, n := ',', 0
	for _, r := range []rune{';', '\t', ','} {
		if counts[r] > n {
			best, n = r, counts[r]
		}
	}
	return best
}

func firstLine(text []byte) []byte {
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		line := text
		if i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		if len(bytes.TrimSpace(line)) > 0 {
			return line
		}
	}
	return nil
}

func (b *csvBook) SheetNames() []string { return []string{""} }
func (b *csvBook) Close() error         { return nil }

func (b *csvBook) Sheet(string) (Sheet, error) {
	r := csv.NewReader(bytes.NewReader(b.text))
	r.Comma = sniffSeparator(b.text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	return &csvSheet{r: r}, nil
}

type csvSheet struct {
	r    *csv.Reader
	line int
}

func (s *csvSheet) Name() string { return "" }
func (s *csvSheet) Close() error { return nil }

func (s *csvSheet) Next() (Row, error) {
	rec, err := s.r.Read()
	if err == io.EOF {
		return Row{}, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Row{}, fileErrorf("CSV malformado na linha %d: %v", pe.Line, pe.Err)
	}
	if err != nil {
		return Row{}, err
	}
	line, _ := s.r.FieldPos(0)
	if len(rec) > MaxColumns {
		return Row{}, fileErrorf("a linha %d tem %d colunas (máximo %d)", line, len(rec), MaxColumns)
	}
	return Row{Num: line, Cells: rec}, nil
}
