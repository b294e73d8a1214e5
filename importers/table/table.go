// Package table reads the spreadsheets the programme receives (.xlsx, .ods
// and .csv in the encodings and separators Brazilian Excel and Moodle
// produce) as sheets of text rows, row by row, with the row numbers a
// person sees and each cell's kind and number format. Spreadsheets are
// streamed in one pass, never loaded whole, and no temporary file is
// written. It refuses legacy .xls, password-protected workbooks and
// anything that is not a spreadsheet with a message in Portuguese.
package table

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Limits protect the server from hostile or broken files.
const (
	MaxColumns   = 512       // cells in one row
	MaxLineBytes = 1 << 20   // bytes in one CSV line
	MaxUnzipped  = 256 << 20 // total decompressed size of an .xlsx or .ods, counted while inflating
)

// FileError is a problem with the whole file, explained in Portuguese.
type FileError struct{ Msg string }

func (e *FileError) Error() string { return e.Msg }

func fileErrorf(format string, args ...any) error {
	return &FileError{Msg: fmt.Sprintf(format, args...)}
}

// IsFileError reports whether err explains why a file cannot be read.
func IsFileError(err error) bool {
	var fe *FileError
	return errors.As(err, &fe)
}

// CellKind is what a spreadsheet cell was, as its file says.
type CellKind uint8

// The kinds of cell. CSV cells are all KindText: nothing in a CSV says a
// value was once a number.
const (
	KindText   CellKind = iota // a string (shared, inline or formula result), or any CSV cell
	KindNumber                 // a number cell (.xlsx t="n" or no t; .ods float, percentage, currency)
	KindBool                   // a boolean cell; the text is "1" or "0"
	KindError                  // a formula error such as #N/A
	KindDate                   // an ISO 8601 date cell (.xlsx t="d", .ods date); the text is the ISO form
)

// Row is one spreadsheet row.
type Row struct {
	Num   int // as numbered in the spreadsheet (1-based; CSV lines count from 1)
	Cells []string
	// kinds and formats describe Cells one for one in spreadsheets; both
	// are nil for CSV rows. formats index the workbook's format table.
	kinds   []CellKind
	formats []uint16
	table   []string
}

// Cell returns the trimmed text of column col (0-based), "" when absent.
func (r Row) Cell(col int) string {
	if col < 0 || col >= len(r.Cells) {
		return ""
	}
	return strings.TrimSpace(r.Cells[col])
}

// Kind tells what the cell of column col was. An absent cell, and every
// CSV cell, is KindText.
func (r Row) Kind(col int) CellKind {
	if col < 0 || col >= len(r.kinds) {
		return KindText
	}
	return r.kinds[col]
}

// Format returns the number format code of column col ("General",
// "0.00E+00", "dd/mm/yyyy"...), "" when the file gives none.
func (r Row) Format(col int) string {
	if col < 0 || col >= len(r.formats) || int(r.formats[col]) >= len(r.table) {
		return ""
	}
	return r.table[r.formats[col]]
}

// IsNumber reports whether column col was a number cell in a spreadsheet
// (CSV cells are always text). Used to restore lost leading zeros.
func (r Row) IsNumber(col int) bool { return r.Kind(col) == KindNumber }

// Scientific reports whether column col is a number shown in scientific
// notation (a format such as 0.00E+00): its digits beyond the shown ones
// may have been lost when it was typed or converted.
func (r Row) Scientific(col int) bool {
	return r.Kind(col) == KindNumber && ScientificFormat(r.Format(col))
}

// ScientificFormat reports whether a number format code shows numbers
// with an exponent (E+ or E-), outside quoted text and [] sections.
func ScientificFormat(code string) bool {
	quoted, bracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case quoted:
			quoted = c != '"'
		case bracket:
			bracket = c != ']'
		case c == '"':
			quoted = true
		case c == '[':
			bracket = true
		case c == '\\' || c == '_' || c == '*':
			i++ // the next character is literal
		case (c == 'E' || c == 'e') && i+1 < len(code) && (code[i+1] == '+' || code[i+1] == '-'):
			return true
		}
	}
	return false
}

// Blank reports whether every cell is empty.
func (r Row) Blank() bool {
	for _, c := range r.Cells {
		if strings.TrimSpace(strings.ReplaceAll(c, "\u00a0", " ")) != "" {
			return false
		}
	}
	return true
}

// Sheet streams the rows of one sheet.
type Sheet interface {
	Name() string
	// Next returns the next row, or io.EOF after the last.
	Next() (Row, error)
	Close() error
}

// Workbook is an opened file.
type Workbook interface {
	SheetNames() []string
	Sheet(name string) (Sheet, error)
	Close() error
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Open sniffs the content (not the name) and opens the file.
func Open(name string, data []byte) (Workbook, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case len(data) == 0:
		return nil, fileErrorf("o arquivo está vazio")
	case bytes.HasPrefix(data, oleMagic):
		return nil, refuseOLE(data)
	case ext == ".xls":
		return nil, fileErrorf("arquivos .xls (Excel 97-2003) não são aceitos: abra no Excel e salve como .xlsx ou .csv")
	case bytes.HasPrefix(data, zipMagic):
		return openZipSpreadsheet(data)
	case ext == ".xlsx" || ext == ".xlsm" || ext == ".zip" || ext == ".ods" || ext == ".pdf" || ext == ".docx":
		return nil, fileErrorf("o arquivo não é uma planilha %s válida", ext)
	}
	return openCSV(data)
}

// readAll is a helper for tests and small callers.
func readAll(s Sheet) ([]Row, error) {
	var out []Row
	for {
		r, err := s.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
}
