package export

import (
	"encoding/csv"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/sla"
)

// The service measures (internal/sla) as a workbook for a coordinators'
// meeting and as the CSV of `telemonitor sla`: no requester, no CPF.

// slaSheets are the workbook's groupings, in order.
var slaSheets = []struct {
	name string
	by   []sla.Dim
}{
	{"Por núcleo", []sla.Dim{sla.ByNucleo}},
	{"Por especialidade", []sla.Dim{sla.ByEspecialidade}},
	{"Núcleo × especialidade", []sla.Dim{sla.ByNucleo, sla.ByEspecialidade}},
	{"Por mês", []sla.Dim{sla.ByNucleo, sla.ByMes}},
	{"Por município", []sla.Dim{sla.ByMunicipio}},
}

// slaColumns name the measures in the workbook.
var slaColumns = []string{"Solicitações", "Respondidas", "Respondidas em até 72 h", "Em atraso", "% em até 72 h",
	"Mediana (horas)", "P90 (horas)"}

var slaDimNames = map[sla.Dim]string{sla.ByNucleo: "Núcleo", sla.ByEspecialidade: "Especialidade", sla.ByMes: "Mês",
	sla.ByMunicipio: "Código IBGE", sla.ByURS: "URS", sla.ByMacro: "Macrorregião"}

// WriteSLAXLSX writes the measures of the period o (o.At judges what is
// overdue), one sheet per grouping; name gives a municipality's name.
func WriteSLAXLSX(w io.Writer, reqs []sla.Request, o sla.Options, name func(ibge string) string, now time.Time) error {
	f := excelize.NewFile(excelize.Options{TmpDir: TempDir})
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, sh := range slaSheets {
		if i == 0 {
			err = f.SetSheetName("Sheet1", sh.name)
		} else {
			_, err = f.NewSheet(sh.name)
		}
		if err != nil {
			return err
		}
		header := []string{}
		widths := []float64{}
		for _, d := range sh.by {
			header, widths = append(header, slaDimNames[d]), append(widths, 22)
			if d == sla.ByMunicipio {
				header, widths = append(header, "Município"), append(widths, 26)
			}
		}
		header = append(header, slaColumns...)
		for range slaColumns {
			widths = append(widths, 14)
		}
		t, err := newTable(f, st, sh.name, header, widths)
		if err != nil {
			return err
		}
		o.By = sh.by
		for _, r := range sla.Compute(reqs, o) {
			var cells []any
			for k, d := range sh.by {
				cells = append(cells, text(st, r.Keys[k]))
				if d == sla.ByMunicipio {
					cells = append(cells, text(st, name(r.Keys[k])))
				}
			}
			cells = append(cells, r.Solicitacoes, r.Respondidas, r.Respondidas72h, r.EmAtraso, decimal(r.Pct72h),
				decimal(r.MedianaHoras), decimal(r.P90Horas))
			if err := t.add(cells); err != nil {
				return err
			}
		}
		if err := t.close(strings.NewReplacer(" ", "", "×", "x", "ú", "u", "ê", "e", "ê", "e", "é", "e", "í", "i").Replace(sh.name)); err != nil {
			return err
		}
	}
	period := "todo o período"
	if !o.From.IsZero() || !o.To.IsZero() {
		period = present.Date(o.From) + " a " + present.Date(o.To)
	}
	return writeTitled(f, w, "Teleconsultorias: "+period+"; em atraso contado em "+o.At.Format("02/01/2006 15:04"), now)
}

// decimal is a measure as a number cell, empty when undefined.
func decimal(d sla.Decimal) any {
	if !d.OK {
		return ""
	}
	return d.Float()
}

// WriteSLACSV writes measured rows as `telemonitor sla` does, its
// contract: the grouping columns of by, then the measures; comma, dot
// decimals.
func WriteSLACSV(w io.Writer, by []sla.Dim, rows []sla.Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(sla.Header(by)); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r.Record()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
