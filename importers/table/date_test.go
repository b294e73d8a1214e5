package table

import (
	"strings"
	"testing"
	"time"
)

// TestFastDate: the layouts read without patterns give what the patterns
// give, and the minute form drops the seconds.
func TestFastDate(t *testing.T) {
	for _, s := range []string{"21/01/2025 09:01", "21/01/2025 09:01:59", "21/01/2025", "2025-01-21 09:01:07", "2025-01-21T09:01",
		"2025-01-21", "31/02/2025 10:00", "29/02/2024 23:59", "21/13/2025 10:00", "21/01/2025 24:00", "21/01/2025 23:60",
		"21/01/1989 10:00", "01/01/2101", " 21/01/2025 09:01 ", "21/01/2025\t09:01", "2025-01-21t09:01", "21-01-2025 09:01"} {
		_, _, _, _, _, _, fast := fastFields(s)
		got, gok := ParseDate(s)
		want, wok := parseGeneral(trimmed(s))
		if gok != wok || !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("%q (fast %v): %v %v, patterns %v %v", s, fast, got, gok, want, wok)
		}
		m, mok := ParseDateMinute(s)
		if mok != wok || (mok && !m.Equal(want.Truncate(time.Minute))) {
			t.Errorf("ParseDateMinute(%q) = %v %v, want %v", s, m, mok, want.Truncate(time.Minute))
		}
	}
}

func FuzzFastDate(f *testing.F) {
	for _, s := range []string{"21/01/2025 09:01", "2025-01-21 09:01:07", "2025-01-21T09:01", "29/02/2024", "45485.5", "+1/01/2025"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, gok := ParseDate(s)
		want, wok := parseGeneral(trimmed(s))
		if gok != wok || !got.Equal(want) || got.Location() != want.Location() {
			t.Fatalf("%q: %v %v, patterns %v %v", s, got, gok, want, wok)
		}
		m, mok := ParseDateMinute(s)
		if mok != gok {
			t.Fatalf("ParseDateMinute(%q) ok %v, ParseDate %v", s, mok, gok)
		}
		if mok && (m.Second() != 0 || m.Nanosecond() != 0 || m.Hour() != got.Hour() || m.Minute() != got.Minute() || m.Day() != got.Day()) {
			t.Fatalf("ParseDateMinute(%q) = %v, ParseDate %v", s, m, got)
		}
	})
}

func trimmed(s string) string { return strings.TrimSpace(s) }
