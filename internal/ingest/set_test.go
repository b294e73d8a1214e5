package ingest_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/store"
)

// TestSetEqualsFileByFile imports the samples as one set (the programme
// read once and kept current in memory, each file evaluating only what it
// touches) and one file at a time in the same order (each file reading and
// evaluating everything): every file reports the same changes and the
// history records the same rows under the same batches.
func TestSetEqualsFileByFile(t *testing.T) {
	ctx := context.Background()
	names, err := app.SampleFiles()
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(names) // the set orders them itself
	files := make([]ingest.File, len(names))
	for i, n := range names {
		if files[i].Data, err = data.Samples.ReadFile(n); err != nil {
			t.Fatal(err)
		}
		files[i].Name = n
	}
	set := openApp(t)
	reps, err := set.Ingest.ImportSet(ctx, files, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	one := openApp(t)
	for _, r := range reps {
		if r.Status != ingest.Imported {
			t.Fatalf("%s: %s %s", r.File, r.Status, r.Error)
		}
		i := slices.IndexFunc(files, func(f ingest.File) bool { return f.Name == r.File })
		got, err := one.Ingest.Import(ctx, r.File, files[i].Data, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got.BatchID != r.BatchID || !reflect.DeepEqual(got.Changes, r.Changes) || !reflect.DeepEqual(got.Issues, r.Issues) {
			t.Errorf("%s: batch %d, %d changes, %d issues one by one; batch %d, %d changes, %d issues in the set",
				r.File, got.BatchID, len(got.Changes), len(got.Issues), r.BatchID, len(r.Changes), len(r.Issues))
		}
	}
	if a, b := history(t, set), history(t, one); !reflect.DeepEqual(a, b) {
		t.Errorf("history: %d rows from the set, %d one by one", len(a), len(b))
	}
}

// history lists the recorded rows without their times.
func history(t *testing.T, a *app.App) []store.HistoryRow {
	t.Helper()
	rows, err := a.Store.AllHistory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		rows[i].At = time.Time{}
	}
	return rows
}
