package table

import (
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A sheet closed after its first rows and opened again gives every row as
// a sheet opened once does, whatever was read before and in what order,
// with more sheets than the workbook keeps open.
func TestSheetOpenedAgain(t *testing.T) {
	f := excelize.NewFile()
	var sheets []string
	for s := range maxParked + 2 {
		name := fmt.Sprintf("Aba%d", s)
		if s == 0 {
			f.SetSheetName("Sheet1", name)
		} else {
			f.NewSheet(name)
		}
		sheets = append(sheets, name)
		for r := 1; r <= 5+s*5; r++ { // 5 to 35 rows: some within HeaderSearchRows, some longer
			f.SetCellValue(name, fmt.Sprintf("A%d", r), fmt.Sprintf("%s-%d", name, r))
			f.SetCellValue(name, fmt.Sprintf("C%d", r+1), r)
		}
	}
	data, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	rowsOf := func(wb Workbook, name string, n int) []Row {
		sh, err := wb.Sheet(name)
		if err != nil {
			t.Fatal(err)
		}
		defer sh.Close()
		var rows []Row
		for n < 0 || len(rows) < n {
			r, err := sh.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r)
		}
		return rows
	}
	fresh, err := Open("a.xlsx", data.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]Row{}
	for _, name := range sheets {
		fresh, _ := Open("a.xlsx", data.Bytes())
		want[name] = rowsOf(fresh, name, -1)
	}
	same := func(got, want []Row) bool {
		return slices.EqualFunc(got, want, func(a, b Row) bool {
			return a.Num == b.Num && slices.Equal(a.Cells, b.Cells) && slices.Equal(a.kinds, b.kinds) && slices.Equal(a.formats, b.formats)
		})
	}
	wb := fresh
	for round, n := range []int{HeaderSearchRows, 3, 0, 7, HeaderSearchRows + 1, 2} {
		for _, name := range sheets {
			first := rowsOf(wb, name, n)
			if !same(first, want[name][:min(n, len(want[name]))]) {
				t.Fatalf("round %d, %s: first %d rows %v", round, name, n, first)
			}
			if len(first) > 0 {
				first[0].Cells[0] = "changed" // a caller's rows are its own
			}
			if all := rowsOf(wb, name, -1); !same(all, want[name]) {
				t.Fatalf("round %d, %s after %d rows: %v, want %v", round, name, n, all, want[name])
			}
		}
	}
	if err := wb.Close(); err != nil {
		t.Fatal(err)
	}
}
