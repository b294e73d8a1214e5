package export

import (
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/ses-mg/telemonitor/internal/records"
)

// SheetRejeicoes is the rejection report's sheet.
const SheetRejeicoes = "Rejeições e avisos"

var issueHeader = []string{"Arquivo", "Aba", "Linha", "Coluna", "Gravidade", "Código", "Motivo"}

// WriteIssues writes the rejection report of an imported file: one row per
// rejected row or warning, with sheet, row, column and the reason.
func WriteIssues(w io.Writer, file string, issues []records.Issue) error {
	f := excelize.NewFile(excelize.Options{TmpDir: TempDir})
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetRejeicoes); err != nil {
		return err
	}
	t, err := newTable(f, st, SheetRejeicoes, issueHeader, []float64{34, 18, 8, 24, 10, 26, 90})
	if err != nil {
		return err
	}
	for _, i := range issues {
		severity := "rejeitada"
		if i.Severity == records.Warning {
			severity = "aviso"
		}
		cells := []any{text(st, file), text(st, i.Sheet), i.Row, text(st, i.Column), text(st, severity), text(st, i.Code), text(st, i.Message)}
		if err := t.add(cells); err != nil {
			return err
		}
	}
	if err := t.close("Rejeicoes"); err != nil {
		return err
	}
	return f.Write(w)
}
