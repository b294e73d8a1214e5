package export_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/monitor"
)

// BenchmarkWorkbookAllMunicipalities writes the workbook of all 853
// municipalities (sample data).
func BenchmarkWorkbookAllMunicipalities(b *testing.B) {
	a, _ := demo(b)
	snap, err := a.Snapshot(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	rows := snap.Select(monitor.Filter{All: true})
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if err := export.WriteXLSX(io.Discard, export.Scope{}, rows, now); err != nil {
			b.Fatal(err)
		}
	}
}
