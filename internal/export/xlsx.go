package export

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/guidance"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/people"
	"github.com/ses-mg/telemonitor/internal/present"
)

// Sheet names of the workbook.
const (
	SheetResumo     = "Resumo"
	SheetMunicipios = "Municípios"
	SheetPendencias = "Pendências"
	// SheetProfissionais holds personal data: only in the workbook of a
	// user authorised for the whole scope.
	SheetProfissionais = "Profissionais"
)

type styles struct {
	header, title, date, text, number int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	border := []excelize.Border{{Type: "bottom", Color: "7B8794", Style: 1}}
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"0B4F8A"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: border}); err != nil {
		return s, err
	}
	if s.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return s, err
	}
	dd := "dd/mm/yyyy"
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dd, Alignment: &excelize.Alignment{Horizontal: "left"}}); err != nil {
		return s, err
	}
	if s.text, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return s, err
	}
	thousands := "#,##0"
	s.number, err = f.NewStyle(&excelize.Style{CustomNumFmt: &thousands})
	return s, err
}

// WriteXLSX writes the workbook for rows (the scope's municipalities)
// with the streaming writer, so memory does not grow with the rows.
func WriteXLSX(w io.Writer, scope Scope, rows []monitor.Row, now time.Time) error {
	return writeWorkbook(w, scope, rows, now, nil)
}

// WriteXLSXProfessionals writes the workbook with the Profissionais sheet
// (pros come masked as the reader's role requires).
func WriteXLSXProfessionals(w io.Writer, scope Scope, rows []monitor.Row, now time.Time, pros []people.Professional) error {
	if pros == nil {
		pros = []people.Professional{}
	}
	return writeWorkbook(w, scope, rows, now, pros)
}

func writeWorkbook(w io.Writer, scope Scope, rows []monitor.Row, now time.Time, pros []people.Professional) error {
	f := excelize.NewFile(excelize.Options{TmpDir: TempDir})
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetResumo); err != nil {
		return err
	}
	sheets := []string{SheetMunicipios, SheetPendencias}
	if pros != nil {
		sheets = append(sheets, SheetProfissionais)
	}
	for _, name := range sheets {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	if err := writeSummary(f, st, scope, rows, now); err != nil {
		return err
	}
	if err := writeMunicipalities(f, st, rows); err != nil {
		return err
	}
	if err := writePending(f, st, rows, scope.Focal); err != nil {
		return err
	}
	if pros != nil {
		if err := writeProfessionals(f, st, pros); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// table streams a sheet: header row, frozen, with filters, and widths.
type table struct {
	sw   *excelize.StreamWriter
	name string
	cols int
	row  int
}

func newTable(f *excelize.File, st styles, sheet string, header []string, widths []float64) (*table, error) {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A1", cells, excelize.RowOpts{Height: 30}); err != nil {
		return nil, err
	}
	return &table{sw: sw, name: sheet, cols: len(header), row: 1}, nil
}

func (t *table) add(cells []any) error {
	t.row++
	cell, _ := excelize.CoordinatesToCellName(1, t.row)
	return t.sw.SetRow(cell, cells)
}

// close adds the autofilter (as an Excel table over the rows) and flushes.
func (t *table) close(tableName string) error {
	if t.row > 1 {
		last, _ := excelize.CoordinatesToCellName(t.cols, t.row)
		if err := t.sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: tableName, StyleName: "TableStyleLight1", ShowRowStripes: boolPtr(true)}); err != nil {
			return err
		}
	}
	return t.sw.Flush()
}

func boolPtr(b bool) *bool { return &b }

func text(st styles, s string) excelize.Cell { return excelize.Cell{StyleID: st.text, Value: Safe(s)} }

func date(st styles, t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return excelize.Cell{StyleID: st.date, Value: t}
}

func writeMunicipalities(f *excelize.File, st styles, rows []monitor.Row) error {
	t, err := newTable(f, st, SheetMunicipios, municipalityHeader,
		[]float64{20, 26, 18, 10, 26, 12, 14, 14, 16, 16, 16, 14, 14, 28, 14, 60})
	if err != nil {
		return err
	}
	for _, r := range rows {
		l := lineOf(r)
		cells := make([]any, 0, len(municipalityHeader))
		for _, s := range l.Text {
			cells = append(cells, text(st, s))
		}
		cells = append(cells, date(st, l.SignedOn), text(st, l.Focal), date(st, l.SentOn), text(st, l.Pending))
		if err := t.add(cells); err != nil {
			return err
		}
	}
	return t.close("Municipios")
}

var pendingHeader = []string{"Macrorregião", "URS", "Núcleo", "Município", "Código IBGE", "Condição", "O que falta",
	"O que fazer", "Contato", "Telefone", "E-mail"}

func writePending(f *excelize.File, st styles, rows []monitor.Row, focal map[string]FocalContact) error {
	header, widths := pendingHeader, []float64{20, 18, 10, 26, 12, 20, 50, 70, 36, 16, 32}
	if focal != nil {
		header, widths = append(header[:len(header):len(header)], focalHeader...), append(widths, focalWidths...)
	}
	t, err := newTable(f, st, SheetPendencias, header, widths)
	if err != nil {
		return err
	}
	for _, r := range rows {
		missing := map[conditions.Condition]string{}
		for _, m := range r.Missing() {
			missing[m.Condition] = m.Missing
		}
		for _, step := range guidance.NextSteps(r) {
			if step.Condition == "" {
				continue // the apto municipality's last step is not a pending item
			}
			var who, phone, email string
			if len(step.Contacts) > 0 {
				who, phone, email = step.Contacts[0].Who, step.Contacts[0].Phone, step.Contacts[0].Email
			}
			cells := []any{text(st, r.MacroName), text(st, r.URS), text(st, r.Nucleo()), text(st, r.Name), text(st, r.Municipality.IBGE),
				text(st, step.Title), text(st, missing[step.Condition]), text(st, step.Do), text(st, who), text(st, phone), text(st, email)}
			if focal != nil {
				cells = append(cells, focal[r.Municipality.IBGE].cells(st)...)
			}
			if err := t.add(cells); err != nil {
				return err
			}
		}
	}
	return t.close("Pendencias")
}

var professionalHeader = []string{"Macrorregião", "URS", "Município", "Código IBGE", "Nome", "CPF", "CNS", "CBO", "Ocupação",
	"CNES", "Estabelecimento", "INE", "Nível de atenção", "E-mail", "Telefone", "1º bloco concluído", "Concluído em"}

func writeProfessionals(f *excelize.File, st styles, pros []people.Professional) error {
	t, err := newTable(f, st, SheetProfissionais, professionalHeader,
		[]float64{20, 18, 24, 12, 32, 16, 20, 9, 28, 10, 30, 12, 18, 30, 16, 12, 13})
	if err != nil {
		return err
	}
	for _, p := range pros {
		trained := "não"
		if p.Trained {
			trained = "sim"
		}
		cells := []any{text(st, p.Macro), text(st, p.URS), text(st, p.Municipio), text(st, p.IBGE), text(st, p.Name),
			text(st, p.CPF), text(st, p.CNS), text(st, p.CBO), text(st, p.Occupation), text(st, p.CNES), text(st, p.Establishment),
			text(st, p.INE), text(st, present.CareLevel(p.CareLevel)), text(st, p.Email), text(st, p.Phone), text(st, trained),
			date(st, p.TrainedAt)}
		if err := t.add(cells); err != nil {
			return err
		}
	}
	return t.close("Profissionais")
}

// rowWriter appends rows to a streamed sheet, keeping the first error.
type rowWriter struct {
	sw  *excelize.StreamWriter
	n   int
	err error
}

func (w *rowWriter) put(cells ...any) {
	if w.err != nil {
		return
	}
	w.n++
	cell, _ := excelize.CoordinatesToCellName(1, w.n)
	w.err = w.sw.SetRow(cell, cells)
}

func writeSummary(f *excelize.File, st styles, scope Scope, rows []monitor.Row, now time.Time) error {
	sw, err := f.NewStreamWriter(SheetResumo)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 44); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 12, 14); err != nil {
		return err
	}
	num := func(v int) excelize.Cell { return excelize.Cell{StyleID: st.number, Value: v} }
	sum := monitor.Summarise(rows)
	w := &rowWriter{sw: sw}
	w.put(excelize.Cell{StyleID: st.title, Value: "Condicionalidades da Teleconsultoria SES-MG"})
	w.put("Abrangência do relatório", Safe(scope.Describe()))
	w.put("Gerado em", excelize.Cell{StyleID: st.date, Value: now})
	w.put()
	w.put(hdr(st, "Situação"), hdr(st, "Municípios"))
	for _, s := range []conditions.Situation{conditions.Apto, conditions.PendenteSit, conditions.NaoContemplado} {
		w.put(present.Situation[s], num(sum.Estado.PorSituacao[s]))
	}
	w.put("Total", num(sum.Estado.Municipios))
	w.put()
	w.put(hdr(st, "Condição"), hdr(st, "Cumprida"), hdr(st, "Pendente"), hdr(st, "Suspensa"), hdr(st, "Não se aplica"))
	for _, k := range conditions.All {
		c := sum.Estado.PorCondicao[k]
		w.put(present.ConditionName[k], num(c[conditions.Cumprida]), num(c[conditions.Pendente]), num(c[conditions.Suspensa]), num(c[conditions.NaoSeAplica]))
	}
	// The AAE training as every view frames it: met out of where it applies.
	aae := sum.Estado.CapacitacaoAAE
	w.put(present.ConditionName[conditions.CapacitacaoAAE]+" (onde se aplica)",
		fmt.Sprintf("%d de %d onde se aplica (%d pendentes, %d suspensas)", aae.Cumprida, aae.SeAplica, aae.Pendente, aae.Suspensa))
	for _, g := range []struct {
		title  string
		groups []monitor.Group
	}{{"Macrorregião", sum.Macros}, {"URS", sum.URS}, {"Núcleo", sum.Nucleos}} {
		w.put()
		head := []any{hdr(st, g.title), hdr(st, "Municípios"), hdr(st, "Aptos"), hdr(st, "Pendentes")}
		for _, k := range conditions.All {
			head = append(head, hdr(st, present.ConditionName[k]+" pendente"))
		}
		w.put(head...)
		for _, grp := range g.groups {
			c := grp.Counts
			cells := []any{Safe(grp.Name), num(c.Municipios), num(c.PorSituacao[conditions.Apto]), num(c.PorSituacao[conditions.PendenteSit])}
			for _, k := range conditions.All {
				cells = append(cells, num(c.PorCondicao[k][conditions.Pendente]))
			}
			w.put(cells...)
		}
	}
	if w.err != nil {
		return fmt.Errorf("export: %s: %w", SheetResumo, w.err)
	}
	return sw.Flush()
}

func hdr(st styles, s string) excelize.Cell { return excelize.Cell{StyleID: st.header, Value: s} }
