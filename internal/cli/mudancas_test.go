package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ingest"
)

// importSampleSet imports the sample files (of files) that keep accepts
// as one set, as a folder is imported, and returns them.
func importSampleSet(t *testing.T, a *app.App, files []string, keep func(string) bool) []string {
	t.Helper()
	var names []string
	var set []ingest.File
	for _, f := range files {
		if !keep(f) {
			continue
		}
		b, err := data.Samples.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f)
		set = append(set, ingest.File{Name: path.Base(f), Data: b})
	}
	reps, err := a.Ingest.ImportSet(context.Background(), set, ingest.Options{By: "test"})
	if err != nil || len(reps) != len(set) {
		t.Fatalf("%d reports for %d files: %v", len(reps), len(set), err)
	}
	for _, rep := range reps {
		if rep.Status == ingest.Failed {
			t.Fatalf("%s: %s %s", rep.File, rep.Status, rep.Error)
		}
	}
	return names
}

// TestMudancasTwoImportsAWeekApart imports the sample set in two rounds a
// week apart: everything but FM-UFMG's registration sheets on 06/01/2025,
// those sheets on 13/01/2025. Between the two days, by evidence time,
// exactly the municipalities of those sheets changed: the ones that are
// apto now became apto (their other evidence is from 2024), the others
// met planilha. Before the first day, and after the second, nothing.
func TestMudancasTwoImportsAWeekApart(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "t.db")
	a, err := app.Open(ctx, db, conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	week1 := time.Date(2025, 1, 6, 10, 0, 0, 0, time.Local)
	week2 := week1.AddDate(0, 0, 7)
	files, err := app.SampleFiles()
	if err != nil {
		t.Fatal(err)
	}
	var later []string
	for _, round := range []struct {
		at   time.Time
		keep func(string) bool
	}{
		{week1, func(f string) bool { return !strings.HasPrefix(f, "samples/cadastro/FM-UFMG/") }},
		{week2, func(f string) bool { return strings.HasPrefix(f, "samples/cadastro/FM-UFMG/") }},
	} {
		a.Ingest.Now = func() time.Time { return round.at }
		if names := importSampleSet(t, a, files, round.keep); round.at == week2 {
			later = names
		}
	}
	snap, err := a.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The municipalities of the later sheets, and whether they are apto now.
	changed := map[string]bool{}
	for _, r := range snap.Rows {
		for _, c := range r.Conditions {
			if c.Condition == conditions.Planilha && c.State == conditions.Cumprida && c.MetSince.Equal(week2) {
				changed[r.Municipality.IBGE] = r.Situation == conditions.Apto
			}
		}
	}
	a.Close()
	if len(changed) < 50 || len(later) < 50 {
		t.Fatalf("%d later sheets for %d municipalities", len(later), len(changed))
	}
	run := func(args ...string) [][]string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := Run(append([]string{"mudancas", "--db", db}, args...), &out, &errb); code != 0 {
			t.Fatalf("mudancas %v: exit %d: %s", args, code, errb.String())
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out.String(), "\uFEFF")))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs[1:]
	}
	recs := run("--de", "06/01/2025", "--ate", "13/01/2025")
	if len(recs) != len(changed) {
		t.Errorf("%d municipalities changed between the two imports, want %d", len(recs), len(changed))
	}
	for _, rec := range recs {
		apto, ok := changed[rec[5]]
		switch {
		case !ok:
			t.Errorf("%s (%s) listed, but its records did not change that week", rec[4], rec[5])
		case apto && (rec[0] != "Ficaram aptos" || rec[7] != "Apto"):
			t.Errorf("%s: %v, want 'Ficaram aptos'", rec[4], rec)
		case !apto && (rec[0] != "Cumpriram uma condição (ainda pendentes)" || rec[8] != "Planilha de cadastro"):
			t.Errorf("%s: %v, want planilha met", rec[4], rec)
		}
	}
	if recs := run("--de", "14/01/2025", "--ate", "31/12/2025"); len(recs) != 0 {
		t.Errorf("%d changes after the last import: %v", len(recs), recs[0])
	}
	// Backwards, and filtered to one URS: the same municipalities of that URS.
	back := run("--de", "13/01/2025", "--ate", "06/01/2025", "--urs", "Juiz de Fora")
	if len(back) == 0 {
		t.Error("nothing changed backwards in URS Juiz de Fora")
	}
	for _, rec := range back {
		if rec[2] != "Juiz de Fora" || (rec[0] != "Deixaram de estar aptos" && rec[0] != "Perderam uma condição") {
			t.Errorf("backwards in URS Juiz de Fora: %v", rec)
		}
	}
}
