package monitor

import (
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/store"
)

func TestSituationOnAndAptoSince(t *testing.T) {
	d := func(m, day int) time.Time { return time.Date(2024, time.Month(m), day, 10, 0, 0, 0, time.Local) }
	h := []store.HistoryRow{
		{At: d(5, 1), Situacao: "pendente"},
		{At: d(6, 1), Situacao: "apto"},
		{At: d(7, 1), Situacao: "pendente"},
		{At: d(8, 1), Situacao: "apto"},
		{At: d(9, 1), Situacao: "apto", Planilha: "cumprida"},
	}
	tests := []struct {
		on   time.Time
		want conditions.Situation
	}{
		{d(4, 30), conditions.NaoContemplado},
		{d(5, 1), conditions.PendenteSit},
		{d(6, 15), conditions.Apto},
		{d(7, 1), conditions.PendenteSit},
		{d(12, 1), conditions.Apto},
	}
	for _, tt := range tests {
		if got := SituationOn(h, tt.on); got != tt.want {
			t.Errorf("on %s: %s, want %s", tt.on.Format("02/01"), got, tt.want)
		}
	}
	since, ok := AptoSince(h)
	if !ok || !since.Equal(d(8, 1)) {
		t.Errorf("apto since %v %v", since, ok)
	}
	if _, ok := AptoSince(h[:3]); ok {
		t.Error("pendente now but apto since reported")
	}
}
