package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/scale"
)

// BenchmarkSLAMillion imports TELEMONITOR_BENCH_REQUESTS (default 1
// million) synthetic requests through the command line and measures
// `telemonitor sla --por nucleo,especialidade` over them, the same table
// scripts/sla_pandas.py computes (docs/desempenho.md). Set
// TELEMONITOR_BENCH_KEEP to a folder to keep the CSV and the database.
func BenchmarkSLAMillion(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("TELEMONITOR_BENCH_REQUESTS")); err == nil {
		n = v
	}
	dir := os.Getenv("TELEMONITOR_BENCH_KEEP")
	if dir == "" {
		dir = b.TempDir()
	}
	tr, _, err := app.LoadTerritory()
	if err != nil {
		b.Fatal(err)
	}
	csvPath, err := scale.Teleconsultas(tr, n, dir)
	if err != nil {
		b.Fatal(err)
	}
	db := filepath.Join(dir, "sla.db")
	b.Run("import", func(b *testing.B) {
		for range b.N {
			os.Remove(db)
			os.Remove(db + "-wal")
			os.Remove(db + "-shm")
			if code, _, errs := run("import", "--db", db, csvPath); code != 0 {
				b.Fatalf("exit %d: %s", code, errs)
			}
		}
	})
	b.Run("sla", func(b *testing.B) {
		for range b.N {
			if code, _, errs := run("sla", "--db", db, "--por", "nucleo,especialidade", "--em", "2026-01-01 00:00"); code != 0 {
				b.Fatalf("exit %d: %s", code, errs)
			}
		}
	})
}
