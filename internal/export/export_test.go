package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/apptest"
	"github.com/ses-mg/telemonitor/internal/cli"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/monitor"
)

const evil = "=HYPERLINK(\"http://x\",\"y\")"

// hostile is every sample file imported, plus one hostile focal point
// name (for Itabira): built once for the package's tests.
var hostile = apptest.NewFixture(importHostile)

// demo opens the test's own copy of the hostile fixture and returns the
// app and its path.
func demo(t testing.TB) (*app.App, string) {
	t.Helper()
	return hostile.Open(t)
}

// importHostile imports every sample file, then a focal point sheet that
// names Itabira's focal point with a formula.
func importHostile(a *app.App) error {
	if _, err := a.ImportSamples(context.Background(), "test"); err != nil {
		return err
	}
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"ID", "Hora de conclusão", "Município", "Nome completo do ponto focal", "E-mail do ponto focal"})
	x.SetSheetRow("Sheet1", "A2", &[]any{1, 46000.5, "Itabira", evil, "pf@itabira.mg.gov.br"})
	var buf bytes.Buffer
	x.Write(&buf)
	if rep, err := a.Ingest.Import(context.Background(), "pf.xlsx", buf.Bytes(), ingest.Options{}); err != nil || rep.Accepted != 1 {
		return fmt.Errorf("hostile import: %+v %v", rep, err)
	}
	return nil
}

func TestWorkbookMatchesStatusAndIsWellFormed(t *testing.T) {
	a, dbPath := demo(t)
	snap, err := a.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	scope := export.Scope{Filter: monitor.Filter{URS: "Itabira"}}
	rows := snap.Select(scope.Filter)
	var buf bytes.Buffer
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	if err := export.WriteXLSX(&buf, scope, rows, now); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Resumo,Municípios,Pendências" {
		t.Errorf("sheets = %s", got)
	}
	sheet, err := f.GetRows(export.SheetMunicipios)
	if err != nil {
		t.Fatal(err)
	}

	// The same scope from `telemonitor status` (its CSV has codes; the
	// sheet has the same states in words).
	var out, errOut bytes.Buffer
	if code := cli.Run([]string{"status", "--db", dbPath}, &out, &errOut); code != 0 {
		t.Fatalf("status: %d %s", code, errOut.String())
	}
	status, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var want [][]string
	for _, r := range status[1:] {
		if r[4] == "Itabira" {
			want = append(want, r)
		}
	}
	if len(sheet)-1 != len(want) || len(want) == 0 {
		t.Fatalf("sheet has %d municipalities, status %d", len(sheet)-1, len(want))
	}
	for i, w := range want {
		got := sheet[i+1]
		// status: ibge,municipio,macro,micro,urs,nucleo,formalizacao,ponto_focal,cap_aps,cap_aae,planilha,situacao
		pairs := [][2]string{{got[5], w[0]}, {got[4], w[1]}, {got[0], w[2]}, {got[1], w[3]}, {got[2], w[4]}, {got[3], w[5]},
			{got[6], stateWord(w[6])}, {got[7], stateWord(w[7])}, {got[8], stateWord(w[8])}, {got[9], stateWord(w[9])},
			{got[10], stateWord(w[10])}, {got[11], map[string]string{"apto": "Apto", "pendente": "Pendente"}[w[11]]}}
		for j, p := range pairs {
			if p[0] != p[1] {
				t.Errorf("%s column %d: sheet %q, status %q", w[1], j, p[0], p[1])
			}
		}
	}

	// Styles: bold header, frozen first row, a table (autofilter), real dates.
	hs, _ := f.GetCellStyle(export.SheetMunicipios, "A1")
	style, _ := f.GetStyle(hs)
	if style == nil || style.Font == nil || !style.Font.Bold {
		t.Error("header is not bold")
	}
	panes, _ := f.GetPanes(export.SheetMunicipios)
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v", panes)
	}
	tables, _ := f.GetTables(export.SheetMunicipios)
	if len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A1:P") {
		t.Errorf("tables = %+v", tables)
	}
	foundDate := false
	for i := 2; i <= len(sheet); i++ {
		cell, _ := excelize.CoordinatesToCellName(13, i)
		if typ, _ := f.GetCellType(export.SheetMunicipios, cell); typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset {
			v, _ := f.GetCellValue(export.SheetMunicipios, cell)
			if v == "" {
				continue
			}
			sid, _ := f.GetCellStyle(export.SheetMunicipios, cell)
			ds, _ := f.GetStyle(sid)
			if ds.CustomNumFmt == nil || *ds.CustomNumFmt != "dd/mm/yyyy" || len(v) != 10 || v[2] != '/' {
				t.Errorf("date cell %s = %q with format %v", cell, v, ds.CustomNumFmt)
			}
			foundDate = true
		}
	}
	if !foundDate {
		t.Error("no signing date written as an Excel date")
	}

	// The hostile focal point name is plain text, never a formula.
	for i, r := range sheet {
		if len(r) > 13 && strings.Contains(r[13], "HYPERLINK") {
			cell, _ := excelize.CoordinatesToCellName(14, i+1)
			formula, _ := f.GetCellFormula(export.SheetMunicipios, cell)
			if formula != "" || !strings.HasPrefix(r[13], "'=") {
				t.Errorf("focal point cell %s = %q, formula %q", cell, r[13], formula)
			}
		}
	}
	summary, _ := f.GetRows(export.SheetResumo)
	if len(summary) < 10 || !strings.Contains(summary[1][1], "URS: Itabira") {
		t.Errorf("summary = %v", summary[:3])
	}
	pend, _ := f.GetRows(export.SheetPendencias)
	missing := 0
	for _, r := range rows {
		missing += len(r.Missing())
	}
	if len(pend)-1 != missing {
		t.Errorf("Pendências has %d rows, the scope has %d missing items", len(pend)-1, missing)
	}
}

func stateWord(code string) string {
	return map[string]string{"cumprida": "Cumprida", "pendente": "Pendente", "suspensa": "Suspensa (AAE em estruturação)", "nao_se_aplica": "Não se aplica"}[code]
}

func TestCSVForExcelPtBR(t *testing.T) {
	a, _ := demo(t)
	snap, _ := a.Snapshot(context.Background())
	rows := snap.Select(monitor.Filter{})
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no BOM")
	}
	r := csv.NewReader(bytes.NewReader(b[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(rows)+1 || recs[0][0] != "Macrorregião" || len(recs[0]) != 16 {
		t.Fatalf("%d records, header %v", len(recs), recs[0])
	}
	found := false
	for _, rec := range recs[1:] {
		for _, c := range rec {
			if export.IsFormula(c) {
				t.Errorf("unsafe cell %q", c)
			}
		}
		if rec[4] == "Itabira" {
			found = rec[13] == "'"+evil
		}
	}
	if !found {
		t.Error("the hostile focal point name was not neutralised")
	}
}

func TestSafe(t *testing.T) {
	neutralised := []string{
		// as before
		"=1+1", "+55", "-3", "@SUM(A1)", "\tx", "\rx", "-", "=",
		// DDE through a pipe, LF
		"|cmd /c calc", "\n=1+1",
		// full-width and small forms, minus sign
		"＝1+1", "＋55", "－3", "＠SUM(A1)", "｜cmd", "﹦1", "﹢1", "﹣1", "﹫A1", "−3",
		// invisible or blank characters before a formula
		"\u200b=1+1", "\u200c=1", "\u200d+1", "\ufeff=1", "\u2060=1", "\u00a0=1", " =1+1", "  -3",
		"\u200e=1", "\u202e=1", "\u3000=1", "\u2003@A1", "\u200b\u00a0\ufeff ＝1", "\v=1", "\f=1",
	}
	for _, in := range neutralised {
		if got := export.Safe(in); got != "'"+in {
			t.Errorf("export.Safe(%q) = %q, want %q", in, got, "'"+in)
		}
	}
	unchanged := []string{
		"", "Itabira", "a=b", "São João del Rei", "3131703", "22/11/2026", "Apto", "1-3", "Ana Maria - ACS",
		"(31) 99999-0000", "'=já neutralizado", " Itabira", "\u00a0Itabira", "\u200bItabira", "Ó=1", "ab|c", "x＝1",
		" ", "\u200b",
	}
	for _, in := range unchanged {
		if got := export.Safe(in); got != in {
			t.Errorf("export.Safe(%q) = %q, want it unchanged", in, got)
		}
	}
}

func TestFileName(t *testing.T) {
	day := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	tests := map[string]export.Scope{
		"condicionalidades_MG_2026-11-22.xlsx":                         {},
		"condicionalidades_URS-Itabira_2026-11-22.xlsx":                {Filter: monitor.Filter{URS: "Itabira"}},
		"condicionalidades_Macro-Triangulo-Do-Norte_2026-11-22.xlsx":   {Filter: monitor.Filter{Macro: "TRIÂNGULO DO NORTE"}},
		"condicionalidades_Municipio-Sao-Joao-Del-Rei_2026-11-22.xlsx": {Filter: monitor.Filter{IBGE: "3162500"}, Name: "São João del Rei"},
	}
	for want, s := range tests {
		if got := export.FileName(s, day, "xlsx"); got != want {
			t.Errorf("FileName = %s, want %s", got, want)
		}
	}
}
