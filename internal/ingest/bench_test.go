package ingest_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/scale"
	"github.com/xuri/excelize/v2"
)

// scaleDir generates (once per scale, in the temporary folder) the files
// of TELEMONITOR_BENCH_SCALE (default 20: 100,000 Moodle rows).
func scaleDir(b *testing.B) string {
	b.Helper()
	k := 20
	if s := os.Getenv("TELEMONITOR_BENCH_SCALE"); s != "" {
		k, _ = strconv.Atoi(s)
	}
	dir := filepath.Join(os.TempDir(), "telemonitor-bench-scale-"+strconv.Itoa(k))
	if _, err := os.Stat(filepath.Join(dir, scale.Files[len(scale.Files)-1])); err == nil {
		return dir
	}
	t, _, err := app.LoadTerritory()
	if err != nil {
		b.Fatal(err)
	}
	if err := scale.Generate(t, k, dir); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkImportMoodle imports the scale's Moodle CSV (100,000 rows at
// scale 20) into a database that already has the kinds before it, end to
// end: parse, store, reconcile, evaluate the 853 municipalities, history.
// It reports the peak heap in use (sampled every millisecond).
func BenchmarkImportMoodle(b *testing.B) { benchImport(b, scale.FileMoodle) }

// BenchmarkImportCadastro does the same with the registration workbook
// (50,000 rows at scale 20); compare with BenchmarkExcelizeRows.
func BenchmarkImportCadastro(b *testing.B) { benchImport(b, scale.FileCadastro) }

// BenchmarkExcelizeRows is the floor for the registration workbook:
// excelize's row iterator alone reading every row of the same file.
func BenchmarkExcelizeRows(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(scaleDir(b), scale.FileCadastro))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows(f.GetSheetList()[0])
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			if _, err := rows.Columns(); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		f.Close()
		if n == 0 {
			b.Fatal("no rows")
		}
	}
}

// benchImport times importing one of the scale's files into a database
// holding the files that come before it in import order.
func benchImport(b *testing.B, file string) {
	dir := scaleDir(b)
	ctx := context.Background()
	content, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		b.Fatal(err)
	}
	// The kinds before it are imported once; each iteration starts from a copy.
	base := filepath.Join(b.TempDir(), "base.db")
	a, err := app.Open(ctx, base, conditions.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range scale.Files[:slices.Index(scale.Files, file)] {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := a.Ingest.Import(ctx, name, data, ingest.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	if err := a.Store.Backup(ctx, base+".copy"); err != nil {
		b.Fatal(err)
	}
	a.Close()
	seed, err := os.ReadFile(base + ".copy")
	if err != nil {
		b.Fatal(err)
	}
	var peak atomic.Uint64
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "b"+strconv.Itoa(i)+".db")
		if err := os.WriteFile(path, seed, 0o600); err != nil {
			b.Fatal(err)
		}
		a, err := app.Open(ctx, path, conditions.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		stop := sampleHeap(&peak)
		b.StartTimer()
		rep, err := a.Ingest.Import(ctx, file, content, ingest.Options{})
		b.StopTimer()
		stop()
		if err != nil || rep.Status != ingest.Imported {
			b.Fatalf("%+v %v", rep.Status, err)
		}
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "MB-peak-heap")
}

// sampleHeap records the largest HeapInuse until the returned stop is called.
func sampleHeap(peak *atomic.Uint64) (stop func()) {
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return func() { close(done) }
}

// BenchmarkImportSamples imports the embedded sample set (every file, one
// set, as `telemonitor import data/samples` does) into a new database.
func BenchmarkImportSamples(b *testing.B) {
	names, err := app.SampleFiles()
	if err != nil {
		b.Fatal(err)
	}
	files := make([]ingest.File, len(names))
	for i, n := range names {
		d, err := data.Samples.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		files[i] = ingest.File{Name: n, Data: d}
	}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		a, err := app.Open(ctx, filepath.Join(b.TempDir(), "s"+strconv.Itoa(i)+".db"), conditions.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		reps, err := a.Ingest.ImportSet(ctx, files, ingest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range reps {
			if r.Status != ingest.Imported {
				b.Fatalf("%s: %s %s", r.File, r.Status, r.Error)
			}
		}
		b.StopTimer()
		a.Close()
		b.StartTimer()
	}
}

// BenchmarkImportScaleSet imports every file of the scale
// (TELEMONITOR_BENCH_SCALE) as one set into a new database, as
// `telemonitor import PASTA` does; with -cpuprofile it shows what grows
// with the scale.
func BenchmarkImportScaleSet(b *testing.B) {
	dir := scaleDir(b)
	files := make([]ingest.File, len(scale.Files))
	for i, name := range scale.Files {
		d, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		files[i] = ingest.File{Name: name, Data: d}
	}
	ctx := context.Background()
	var peak atomic.Uint64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		a, err := app.Open(ctx, filepath.Join(b.TempDir(), "s"+strconv.Itoa(i)+".db"), conditions.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		stop := sampleHeap(&peak)
		b.StartTimer()
		if _, err := a.Ingest.ImportSet(ctx, files, ingest.Options{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		stop()
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "MB-peak-heap")
}
