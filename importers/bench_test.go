package importers_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ses-mg/telemonitor/importers"
	"github.com/ses-mg/telemonitor/importers/importertest"
	"github.com/ses-mg/telemonitor/internal/scale"
)

// benchScale is the size of the generated files the benchmarks read:
// TELEMONITOR_BENCH_SCALE, default 20 (100,000 Moodle rows, 50,000
// registration rows). Files are generated once per scale into the
// system temporary folder and reused.
func benchDir(b *testing.B) string {
	b.Helper()
	k := 20
	if s := os.Getenv("TELEMONITOR_BENCH_SCALE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("TELEMONITOR_BENCH_SCALE=%q", s)
		}
		k = n
	}
	dir := filepath.Join(os.TempDir(), "telemonitor-bench-scale-"+strconv.Itoa(k))
	if _, err := os.Stat(filepath.Join(dir, scale.Files[len(scale.Files)-1])); err == nil {
		return dir
	}
	if err := scale.Generate(importertest.Territory(b), k, dir); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkParse parses each generated kind (no database): rows/s and
// allocations per file.
func BenchmarkParse(b *testing.B) {
	dir := benchDir(b)
	for _, name := range scale.Files {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		ctx := importertest.Context(b, name)
		res, err := importers.Parse(ctx, data, "")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(string(res.Kind), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := importers.Parse(ctx, data, ""); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.RowsRead)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
