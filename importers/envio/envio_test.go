package envio_test

import (
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/importers/importertest"
	"github.com/ses-mg/telemonitor/internal/records"
)

// The first test builds its own small file; the second reads a file
// written by SheetJS, made by ../testdata/make_fixtures.py into testdata/
// and committed.

func TestEnvioVariations(t *testing.T) {
	text := importertest.CSVText("\t",
		[]string{"Código IBGE", "Data do envio"},
		[]string{"3131703", "05/08/2024"},
		[]string{"316250", "2024-08-06"},
		[]string{"3106200", "06/13/2024"},
	)
	res := importertest.ParseBytes(t, "envio.csv", importertest.EncodeText(t, "utf8", text))
	importertest.WantCounts(t, res, records.Envio, 3, 2, 1)
	importertest.WantIssues(t, res, "erro:data_invalida@4")
	if d := res.DataSent; len(d) != 2 || d[1].IBGE != importertest.IBGESJDR || !d[0].SentOn.Equal(time.Date(2024, 8, 5, 0, 0, 0, 0, time.Local)) {
		t.Errorf("data sent = %+v", d)
	}
}

// SheetJS writes dates as ISO 8601 date cells (t="d", in UTC): each is the
// wall time in Brasília.
func TestISODateCells(t *testing.T) {
	res, err := importertest.ParseFixture(t, "envio_datas_iso_sheetjs.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{
		time.Date(2025, 7, 27, 0, 0, 0, 0, time.Local),
		time.Date(2025, 7, 28, 12, 30, 0, 0, time.Local),
		time.Date(2025, 7, 26, 21, 0, 0, 0, time.Local),
	}
	if len(res.DataSent) != len(want) {
		t.Fatalf("%d dates, issues %v", len(res.DataSent), importertest.IssuesOf(res))
	}
	for i, d := range res.DataSent {
		if !d.SentOn.Equal(want[i]) {
			t.Errorf("row %d: %v, want %v", d.Row, d.SentOn, want[i])
		}
	}
}
