package table

import (
	"bytes"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

type xlsxBook struct{ f *excelize.File }

func openXLSX(data []byte) (Workbook, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    MaxUnzipped,
		UnzipXMLSizeLimit: MaxUnzippedXML,
	})
	// excelize has no sentinel for this error, only its text.
	if err != nil && strings.Contains(err.Error(), "unzip size exceeds") {
		return nil, fileErrorf("a planilha .xlsx descompactada passaria de %d MB: divida o arquivo em partes menores", MaxUnzipped>>20)
	}
	if err != nil {
		return nil, fileErrorf("não foi possível abrir a planilha .xlsx (arquivo corrompido, protegido por senha ou não é um .xlsx): %v", err)
	}
	if len(f.GetSheetList()) == 0 {
		f.Close()
		return nil, fileErrorf("a planilha .xlsx não tem abas")
	}
	return &xlsxBook{f: f}, nil
}

func (b *xlsxBook) SheetNames() []string { return b.f.GetSheetList() }
func (b *xlsxBook) Close() error         { return b.f.Close() }

func (b *xlsxBook) Sheet(name string) (Sheet, error) {
	rows, err := b.f.Rows(name)
	if err != nil {
		return nil, fileErrorf("não foi possível ler a aba %q: %v", name, err)
	}
	return &xlsxSheet{f: b.f, name: name, rows: rows}, nil
}

type xlsxSheet struct {
	f    *excelize.File
	name string
	rows *excelize.Rows
	num  int
}

func (s *xlsxSheet) Name() string { return s.name }
func (s *xlsxSheet) Close() error { return s.rows.Close() }

func (s *xlsxSheet) Next() (Row, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return Row{}, fileErrorf("erro ao ler a aba %q: %v", s.name, err)
		}
		return Row{}, io.EOF
	}
	s.num++
	cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return Row{}, fileErrorf("erro ao ler a linha %d da aba %q: %v", s.num, s.name, err)
	}
	if len(cells) > MaxColumns {
		return Row{}, fileErrorf("a linha %d da aba %q tem %d colunas (máximo %d)", s.num, s.name, len(cells), MaxColumns)
	}
	num := s.num
	return Row{Num: num, Cells: cells, numeric: func(col int) bool { return s.isNumber(num, col) }}, nil
}

// isNumber asks excelize for the cell's type. excelize's row iterator does
// not expose types, and this lookup reads the whole sheet the first time,
// so importers ask only for identifier cells that look damaged.
func (s *xlsxSheet) isNumber(row, col int) bool {
	ref, err := excelize.CoordinatesToCellName(col+1, row)
	if err != nil {
		return false
	}
	t, err := s.f.GetCellType(s.name, ref)
	if err != nil {
		return false
	}
	return t == excelize.CellTypeNumber || t == excelize.CellTypeUnset
}
