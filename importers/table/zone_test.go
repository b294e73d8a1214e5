package table

import (
	"testing"
	"time"
	_ "time/tzdata" // the zone database, on machines without one
)

// TestDatesInProductionZone: the programme runs in Brasília's time zone,
// CI in UTC. Every form of date comes out as the same wall clock in
// time.Local whichever the process's zone, and an instant given in UTC or
// with an offset becomes Brasília's wall clock (UTC-3) in both. Not
// parallel: it swaps time.Local while it runs.
func TestDatesInProductionZone(t *testing.T) {
	saoPaulo, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Fatal(err)
	}
	saved := time.Local
	defer func() { time.Local = saved }()
	tests := []struct {
		in   string
		want string // wall clock
	}{
		{"05/08/2024", "2024-08-05 00:00"},
		{"12/03/2024 09:41", "2024-03-12 09:41"},
		{"2024-08-06 14:05:59", "2024-08-06 14:05"},
		{"2025-07-27T00:00:00.000Z", "2025-07-26 21:00"},
		{"2025-07-27T02:30:00-01:00", "2025-07-27 00:30"},
		{"45658.5", "2025-01-01 12:00"},
		// 04/11/2018 began at 01:00 in São Paulo (daylight saving time).
		{"43408.5", "2018-11-04 12:00"},
		{"Tuesday, 12 March 2024, 9:41 AM", "2024-03-12 09:41"},
	}
	for _, zone := range []*time.Location{time.UTC, saoPaulo} {
		time.Local = zone
		for _, tt := range tests {
			got, ok := ParseDateMinute(tt.in)
			if !ok || got.Format("2006-01-02 15:04") != tt.want || got.Location() != time.Local {
				t.Errorf("TZ=%s %q: %v (%v), want %s in time.Local", zone, tt.in, got, ok, tt.want)
			}
		}
	}
}
