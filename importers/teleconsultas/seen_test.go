package teleconsultas

import (
	"fmt"
	"testing"
)

// naive is what requestRows must answer: a map by núcleo and id.
type naive map[string]int

func (m naive) see(nucleo, id string, row int) (int, bool) {
	k := nucleo + "\x00" + id
	prev, ok := m[k]
	m[k] = row
	return prev, ok
}

func TestRequestRows(t *testing.T) {
	var s requestRows
	m := naive{}
	row := 1
	check := func(nucleo, id string) {
		t.Helper()
		row++
		p, ok := s.see(nucleo, id, row)
		wp, wok := m.see(nucleo, id, row)
		if p != wp || ok != wok {
			t.Fatalf("row %d %s %q: %d %v, want %d %v", row, nucleo, id, p, ok, wp, wok)
		}
	}
	for i := range 200_000 {
		check([]string{"FM-UFMG", "Feluma", "HC-UFMG"}[i%3], fmt.Sprint(i/2+1))
	}
	for _, id := range []string{"7", "007", "07", "0", "00", "FM-7", "FM-07", "7a", "", "99999999999999999999", "5000000", "16777215",
		"16777216", "123456789012345678", "1234567890123456789", "40000", "x"} {
		for _, n := range []string{"FM-UFMG", "Feluma", "Outro"} {
			check(n, id)
			check(n, id)
		}
	}
	if len(s.dense) > 1<<18 {
		t.Errorf("dense slice of %d slots for 100k numbers", len(s.dense))
	}
}

func FuzzRequestRows(f *testing.F) {
	f.Add([]byte("1\x002\x00FM-01\x00FM-1\x00001\x001"), uint8(0))
	f.Add([]byte("65536\x00131072\x0065535\x00131071\x00x9\x009"), uint8(5))
	f.Fuzz(func(t *testing.T, ids []byte, seed uint8) {
		var s requestRows
		m := naive{}
		nucleos := []string{"FM-UFMG", "Feluma", "HC-UFMG", "?"}
		start := 0
		for i, row := 0, 1; i <= len(ids); i++ {
			if i < len(ids) && ids[i] != 0 {
				continue
			}
			id := string(ids[start:i])
			start = i + 1
			row++
			n := nucleos[(int(seed)+row)%len(nucleos)]
			p, ok := s.see(n, id, row)
			wp, wok := m.see(n, id, row)
			if p != wp || ok != wok {
				t.Fatalf("row %d %s %q: %d %v, want %d %v", row, n, id, p, ok, wp, wok)
			}
		}
	})
}
