package export

import (
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/records"
)

// SheetRejeicoes is the rejection report's sheet.
const SheetRejeicoes = "Rejeições e avisos"

// issueHeader is the report's own columns; the row's columns, as the file
// names them, follow.
var issueHeader = []string{"Arquivo", "Aba", "Linha", "Coluna", "Gravidade", "Município", "Código IBGE", "Motivo", "Código"}

// detailHeader is the importer's own message, which may quote personal
// values: only for a role that sees them in full.
const detailHeader = "Detalhe"

// WriteIssues writes the rejection report of an imported file, made to be
// forwarded to the municipality as it is: one row per rejected row or
// warning, with sheet, row, column, the municipality, the reason in words,
// and the row's own values as the file has them. Personal data follow rv:
// CPF and CNS in full only with rv.CPF, e-mail and phone only with
// rv.Contacts, masked otherwise; columns the importer does not read (free
// questions, notes) only with rv.CPF. Every text cell passes the formula
// guard.
func WriteIssues(w io.Writer, file string, rows records.IssueRows, rv records.Reveal) error {
	f := excelize.NewFile(excelize.Options{TmpDir: TempDir})
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetRejeicoes); err != nil {
		return err
	}
	cols := shownColumns(rows.Columns, rv)
	header := append([]string(nil), issueHeader...)
	widths := []float64{30, 16, 8, 20, 10, 24, 12, 70, 24}
	if rv.CPF {
		header, widths = append(header, detailHeader), append(widths, 60)
	}
	header = uniqueNames(header, cols, rows.Columns)
	for range cols {
		widths = append(widths, 18)
	}
	t, err := newTable(f, st, SheetRejeicoes, header, widths)
	if err != nil {
		return err
	}
	for _, r := range rows.Rows {
		severity := "rejeitada"
		if r.Severity == records.Warning {
			severity = "aviso"
		}
		cells := []any{text(st, file), text(st, r.Sheet), r.Row, text(st, r.Column), text(st, severity),
			text(st, r.Municipality), text(st, r.IBGE), text(st, Reason(r.Issue)), text(st, r.Code)}
		if rv.CPF {
			cells = append(cells, text(st, r.Message))
		}
		for _, c := range cols {
			v := ""
			if c < len(r.Values) {
				v = mask(rows.Columns[c].Personal, r.Values[c], rv)
			}
			cells = append(cells, text(st, v))
		}
		if err := t.add(cells); err != nil {
			return err
		}
	}
	if err := t.close("Rejeicoes"); err != nil {
		return err
	}
	return f.Write(w)
}

// shownColumns are the positions of the row columns rv may see.
func shownColumns(cols []records.Column, rv records.Reveal) []int {
	var out []int
	for i, c := range cols {
		if c.Known || rv.CPF {
			out = append(out, i)
		}
	}
	return out
}

// uniqueNames appends the row columns' names to header, each unique (an
// Excel table needs distinct header texts).
func uniqueNames(header []string, shown []int, cols []records.Column) []string {
	used := map[string]bool{}
	for _, h := range header {
		used[strings.ToLower(h)] = true
	}
	for _, c := range shown {
		name := cols[c].Name
		for n := 2; used[strings.ToLower(name)]; n++ {
			name = cols[c].Name + " (arquivo)"
			if n > 2 {
				name = cols[c].Name + " (arquivo " + strconv.Itoa(n-1) + ")"
			}
		}
		used[strings.ToLower(name)] = true
		header = append(header, name)
	}
	return header
}

// mask hides a personal value the reader may not see in full.
func mask(p records.Personal, v string, rv records.Reveal) string {
	if v == "" {
		return ""
	}
	switch p {
	case records.PersonalCPF:
		if !rv.CPF {
			return ident.MaskCPF(digitsOnly(v))
		}
	case records.PersonalCNS:
		if !rv.CPF {
			if d := digitsOnly(v); len(d) >= 4 {
				return "*** **** **** " + d[len(d)-4:]
			}
			return "***"
		}
	case records.PersonalEmail:
		if !rv.Contacts {
			return ident.MaskEmail(v)
		}
	case records.PersonalPhone:
		if !rv.Contacts {
			return ident.MaskPhone(v)
		}
	}
	return v
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ScreenRows are the issues' rows as a page shows them: the reason in
// words and the columns the importer reads, every personal value masked
// (pages never show them in full; the workbook does, per role).
func ScreenRows(rows records.IssueRows) (header []string, lines []ScreenRow) {
	cols := shownColumns(rows.Columns, records.Reveal{})
	for _, c := range cols {
		header = append(header, rows.Columns[c].Name)
	}
	for _, r := range rows.Rows {
		l := ScreenRow{Row: r.Row, Rejected: r.Severity == records.Error, Reason: Reason(r.Issue)}
		for _, c := range cols {
			v := ""
			if c < len(r.Values) {
				v = mask(rows.Columns[c].Personal, r.Values[c], records.Reveal{})
			}
			l.Values = append(l.Values, v)
		}
		lines = append(lines, l)
	}
	return header, lines
}

// ScreenRow is one row of ScreenRows.
type ScreenRow struct {
	Row      int
	Rejected bool
	Reason   string
	Values   []string
}
