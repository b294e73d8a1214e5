package monitor_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/apptest"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/scale"
)

// BenchmarkEvaluate evaluates all 853 municipalities from the programme
// data of the demo samples and of the generated scale
// (TELEMONITOR_BENCH_SCALE, default 20: 49,000 professionals and 70,000
// Block-1 completions), the data already in memory.
func BenchmarkEvaluate(b *testing.B) {
	ctx := context.Background()
	k := 20
	if s := os.Getenv("TELEMONITOR_BENCH_SCALE"); s != "" {
		k, _ = strconv.Atoi(s)
	}
	for _, tc := range []struct {
		name string
		load func(a *app.App) error
	}{
		{"amostras", func(a *app.App) error { _, err := a.ImportSamples(ctx, "bench"); return err }},
		{"escala-" + strconv.Itoa(k), func(a *app.App) error {
			dir := b.TempDir()
			if err := scale.Generate(a.Territory, k, dir); err != nil {
				return err
			}
			for _, name := range scale.Files {
				data, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					return err
				}
				if _, err := a.Ingest.Import(ctx, name, data, ingest.Options{}); err != nil {
					return err
				}
			}
			return nil
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			a, err := app.Open(ctx, filepath.Join(b.TempDir(), "b.db"), conditions.DefaultConfig())
			if err != nil {
				b.Fatal(err)
			}
			defer a.Close()
			if err := tc.load(a); err != nil {
				b.Fatal(err)
			}
			p, err := a.Store.LoadProgramme(ctx)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if s := monitor.Evaluate(a.Territory, p, a.Engine); len(s.Rows) != 853 {
					b.Fatal(len(s.Rows))
				}
			}
		})
	}
}

// BenchmarkLoadAndEvaluate is what a page pays after an import: read the
// programme from SQLite and evaluate (the snapshot is then cached).
func BenchmarkLoadAndEvaluate(b *testing.B) {
	ctx := context.Background()
	a, _ := apptest.Samples.Open(b)
	b.ReportAllocs()
	for b.Loop() {
		p, err := a.Store.LoadProgramme(ctx)
		if err != nil {
			b.Fatal(err)
		}
		monitor.Evaluate(a.Territory, p, a.Engine)
	}
}
