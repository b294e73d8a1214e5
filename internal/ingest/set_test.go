package ingest_test

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
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
	all, err := app.SampleFiles()
	if err != nil {
		t.Fatal(err)
	}
	// Every kind, the multi-municipality registration files and a few
	// single ones (all 155 would double the test's time for nothing new).
	var names []string
	for _, n := range all {
		if !strings.Contains(n, "/cadastro/") || regexp.MustCompile(`consolidado|complementar|lote|Bicas|Albertina|Arantina|Agua_Comprida`).MatchString(n) {
			names = append(names, n)
		}
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

// TestProgressOneFileAtATime: files are read in parallel, but Progress
// hears about one file at a time and never from two goroutines at once.
func TestProgressOneFileAtATime(t *testing.T) {
	a := openApp(t)
	var files []ingest.File
	for _, course := range []string{"curso_a", "curso_b", "curso_c"} {
		var b strings.Builder
		b.WriteString("ID,Nome,Endereço de email,Curso concluído\n")
		for i := range 20000 {
			fmt.Fprintf(&b, "%d,Pessoa %d,p%d@exemplo.com,16/06/2024 08:36\n", i, i, i)
		}
		files = append(files, ingest.File{Name: "completion-" + course + "-20241014_1620-comma_separated.csv", Data: []byte(b.String())})
	}
	var inside atomic.Int32
	var calls []string
	opt := ingest.Options{DryRun: true, Progress: func(file string, rows int) {
		if inside.Add(1) != 1 {
			t.Error("progress called concurrently")
		}
		calls = append(calls, file)
		time.Sleep(2 * time.Millisecond) // the other reader goes on meanwhile
		inside.Add(-1)
	}}
	if _, err := a.Ingest.ImportSet(context.Background(), files, opt); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, f := range calls {
		if i > 0 && calls[i-1] != f {
			if seen[f] {
				t.Fatalf("progress went back to %s", f)
			}
		}
		seen[f] = true
	}
	if len(calls) == 0 {
		t.Error("no progress")
	}
}
