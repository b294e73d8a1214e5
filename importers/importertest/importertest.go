// Package importertest holds helpers for the importer kinds' tests: it
// writes small CSV and .xlsx files in the forms FORMATS.md accepts, parses
// them through importers.Parse with the real territory of Minas Gerais,
// and compares the issues and counts of a result.
package importertest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/importers"
	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// IBGE codes of municipalities the tests use.
const (
	IBGEItabira = "3131703"
	IBGEBH      = "3106200" // Belo Horizonte
	IBGESJDR    = "3162500" // São João del-Rei
)

// EncodeText writes text as one of the CSV encodings FORMATS.md accepts:
// "utf8", "utf8bom", "cp1252" or "utf16le" (with its byte order mark).
func EncodeText(t testing.TB, enc, text string) []byte {
	t.Helper()
	switch enc {
	case "utf8":
		return []byte(text)
	case "utf8bom":
		return append([]byte{0xEF, 0xBB, 0xBF}, text...)
	case "cp1252":
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return b
	case "utf16le":
		out := []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(text)) {
			out = append(out, byte(u), byte(u>>8))
		}
		return out
	}
	t.Fatalf("unknown encoding %s", enc)
	return nil
}

// CSVText joins rows with a separator and CRLF, quoting cells that need it.
func CSVText(sep string, rows ...[]string) string {
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteString(sep)
			}
			if strings.ContainsAny(c, sep+"\"\n,") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

// Sheet is one sheet of a workbook XLSXFile builds: its name and its rows
// from the first.
type Sheet struct {
	Name string
	Rows [][]any
}

// XLSXFile builds a workbook with the sheets in order; int, float64 and
// time.Time values become number cells, strings text cells.
func XLSXFile(t testing.TB, sheets ...Sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.Rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.Name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// NumberCell is the value of a digit string typed into a number cell.
func NumberCell(t testing.TB, digits string) int {
	t.Helper()
	n, err := strconv.Atoi(digits)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var (
	territoryOnce sync.Once
	territoryTM   *territory.Territory
	territoryErr  error
)

// Territory returns the reference territory of Minas Gerais (data/mg, as
// the program embeds it), read once and shared by the tests.
func Territory(t testing.TB) *territory.Territory {
	t.Helper()
	territoryOnce.Do(func() { territoryTM, _, territoryErr = territory.LoadFS(data.Territory) })
	if territoryErr != nil {
		t.Fatal(territoryErr)
	}
	return territoryTM
}

// Context is the parse context of a file named fileName: the real
// territory and the default engine configuration.
func Context(t testing.TB, fileName string) *common.Context {
	t.Helper()
	return &common.Context{Territory: Territory(t), Config: conditions.DefaultConfig(), FileName: fileName}
}

// ParseBytes parses a file's bytes as importers.Parse does on import,
// detecting its kind; an error that refuses the whole file fails the test.
func ParseBytes(t testing.TB, name string, data []byte) *records.Result {
	t.Helper()
	res, err := importers.Parse(Context(t, name), data, "")
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// ParseFile reads the file at path and parses it as ParseBytes does,
// under its base name.
func ParseFile(t testing.TB, path string) *records.Result {
	t.Helper()
	res, err := parsePath(t, path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res
}

// ParseFixture parses testdata/name of the package under test (a file
// written by the software SES receives such files from), under its base
// name, and returns importers.Parse's error as it is.
func ParseFixture(t testing.TB, name string) (*records.Result, error) {
	t.Helper()
	return parsePath(t, filepath.Join("testdata", name))
}

func parsePath(t testing.TB, path string) (*records.Result, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return importers.Parse(Context(t, filepath.Base(path)), data, "")
}

// IssueCodes lists a result's issues as "severity:code@row" in order.
func IssueCodes(res *records.Result) []string {
	var out []string
	for _, i := range res.Issues {
		out = append(out, fmt.Sprintf("%s:%s@%d", i.Severity, i.Code, i.Row))
	}
	return out
}

// WantIssues fails the test unless the result's issues, as IssueCodes
// lists them, are want in order.
func WantIssues(t testing.TB, res *records.Result, want ...string) {
	t.Helper()
	got := IssueCodes(res)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("issues = %v\nwant     %v", got, want)
	}
}

// WantCounts fails the test unless the result is of the kind and counts
// the rows read, accepted and rejected given.
func WantCounts(t testing.TB, res *records.Result, kind records.Kind, read, accepted, rejected int) {
	t.Helper()
	if res.Kind != kind || res.RowsRead != read || res.Accepted != accepted || res.Rejected != rejected {
		t.Errorf("kind=%s read=%d accepted=%d rejected=%d; want %s %d %d %d",
			res.Kind, res.RowsRead, res.Accepted, res.Rejected, kind, read, accepted, rejected)
	}
}

// IssuesOf lists a result's issues as "code@row:column".
func IssuesOf(res *records.Result) []string {
	var out []string
	for _, i := range res.Issues {
		out = append(out, i.Code+"@"+strconv.Itoa(i.Row)+":"+i.Column)
	}
	return out
}

// CPFsOf maps each professional's name to "CPF/CNES".
func CPFsOf(res *records.Result) map[string]string {
	out := map[string]string{}
	for _, p := range res.Professionals {
		out[p.Name] = p.CPF + "/" + p.CNES
	}
	return out
}

// SheetMunicipalities lists, sorted and joined by commas, the
// municipalities whose registration sheet a cadastro file replaces: those
// it brings professionals for.
func SheetMunicipalities(res *records.Result) string {
	var out []string
	for _, p := range res.Professionals {
		if !slices.Contains(out, p.IBGE) {
			out = append(out, p.IBGE)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}
