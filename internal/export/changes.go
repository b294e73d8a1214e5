package export

import (
	"encoding/csv"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
)

// SheetMudancas is the comparison workbook's sheet.
const SheetMudancas = "Mudanças"

func changesHeader(from, to time.Time) []string {
	return []string{"Grupo", "Macrorregião", "URS", "Núcleo", "Município", "Código IBGE",
		"Situação em " + present.Date(from), "Situação em " + present.Date(to), "Condições cumpridas no período",
		"Condições perdidas no período", "Apto desde"}
}

func changeLine(d monitor.Difference) []string {
	return []string{present.ChangeGroup[d.Group], d.MacroName, d.URS, d.Nucleo(), d.Name, d.Municipality.IBGE,
		present.Situation[d.Before.Situation], present.Situation[d.After.Situation], present.ConditionList(d.Met),
		present.ConditionList(d.Lost)}
}

// WriteChangesCSV writes the municipalities whose status changed between
// two dates, for Excel pt-BR (UTF-8 with BOM, ';', formulas neutralised).
func WriteChangesCSV(w io.Writer, diffs []monitor.Difference, from, to time.Time) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(changesHeader(from, to)); err != nil {
		return err
	}
	for _, d := range diffs {
		rec := changeLine(d)
		for i := range rec {
			rec[i] = Safe(rec[i])
		}
		if err := cw.Write(append(rec, present.Date(d.AptoSince))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteChangesXLSX writes the same as a workbook: the scope and the two
// dates on top, then the table with filters.
func WriteChangesXLSX(w io.Writer, scope Scope, diffs []monitor.Difference, from, to, now time.Time) error {
	f := excelize.NewFile(excelize.Options{TmpDir: TempDir})
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetMudancas); err != nil {
		return err
	}
	t, err := newTable(f, st, SheetMudancas, changesHeader(from, to), []float64{30, 18, 18, 12, 26, 12, 16, 16, 34, 34, 12})
	if err != nil {
		return err
	}
	for _, d := range diffs {
		var cells []any
		for _, s := range changeLine(d) {
			cells = append(cells, text(st, s))
		}
		if err := t.add(append(cells, date(st, d.AptoSince))); err != nil {
			return err
		}
	}
	if err := t.close("Mudancas"); err != nil {
		return err
	}
	// Where and when, in document properties the reader sees in Excel.
	return writeTitled(f, w, "Mudanças entre "+present.Date(from)+" e "+present.Date(to)+" – "+scope.Describe(), now)
}

// writeTitled sets the workbook's title and writes it.
func writeTitled(f *excelize.File, w io.Writer, title string, now time.Time) error {
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "telemonitor SES-MG",
		Created: now.Format(time.RFC3339)}); err != nil {
		return err
	}
	return f.Write(w)
}
