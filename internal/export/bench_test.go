package export_test

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/people"
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

// BenchmarkWorkbookProfessionals50k writes a workbook whose Profissionais
// sheet has 50,000 rows and reports the peak heap in use while it is
// written (sampled every millisecond): the streaming writer keeps it
// bounded by the input slice, not by the workbook.
func BenchmarkWorkbookProfessionals50k(b *testing.B) {
	a, _ := demo(b)
	snap, err := a.Snapshot(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	rows := snap.Select(monitor.Filter{All: true})
	pros := make([]people.Professional, 50000)
	for i := range pros {
		r := rows[i%len(rows)]
		pros[i] = people.Professional{Macro: r.MacroName, URS: r.URS, Municipio: r.Name, IBGE: r.Municipality.IBGE,
			Name: fmt.Sprintf("Profissional Número %05d da Silva", i), CPF: ident.MaskCPF(fmt.Sprintf("%011d", i)),
			CNS: "*** **** **** 1234", CBO: "225142", Occupation: "Médico da estratégia de saúde da família", CNES: "2617404",
			Establishment: "UBS São José", INE: "0001234567", CareLevel: conditions.APS,
			Email: fmt.Sprintf("pessoa%05d@saude.mg.gov.br", i), Phone: "(31) 99999-0000", Trained: i%3 == 0,
			TrainedAt: time.Date(2024, 6, 1+i%28, 0, 0, 0, 0, time.Local)}
	}
	now := time.Now()
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := export.WriteXLSXProfessionals(io.Discard, export.Scope{}, rows, now, pros); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	b.ReportMetric(float64(peak.Load()-min(peak.Load(), base.HeapInuse))/(1<<20), "MB-peak-heap-over-base")
	b.ReportMetric(float64(base.HeapInuse)/(1<<20), "MB-heap-base")
}
