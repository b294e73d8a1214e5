package sla

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// zones are places whose offsets test the wall clock: none, Brasília with
// its old daylight saving time, half hours, and seconds (Monrovia until
// 1972).
func zones(t testing.TB) []*time.Location {
	out := []*time.Location{time.UTC, time.FixedZone("BRT", -3*3600), time.FixedZone("odd", -(44*60 + 30))}
	for _, name := range []string{"America/Sao_Paulo", "Asia/Kolkata", "Africa/Monrovia"} {
		if loc, err := time.LoadLocation(name); err == nil {
			out = append(out, loc)
		}
	}
	return out
}

// wallMinutesByFields is the definition WallMinutes computes faster: the
// wall clock's fields, to the minute, read as UTC.
func wallMinutesByFields(t time.Time) int64 {
	y, mo, d := t.Date()
	h, mi, _ := t.Clock()
	return time.Date(y, mo, d, h, mi, 0, 0, time.UTC).Unix() / 60
}

func FuzzWallMinutes(f *testing.F) {
	for _, s := range []int64{0, -1, -59, -60, -61, 59, 60, 1541300400, 1735700000, 63072000, -2208988800} {
		f.Add(s, uint8(0))
	}
	locs := zones(f)
	f.Fuzz(func(t *testing.T, sec int64, z uint8) {
		sec %= 1 << 36 // years -200 to 4100
		loc := locs[int(z)%len(locs)]
		tm := time.Unix(sec, 0).In(loc)
		if got, want := WallMinutes(tm), wallMinutesByFields(tm); got != want {
			t.Fatalf("%v: %d, want %d", tm, got, want)
		}
		// To the minute and back, in the same zone, gives the same wall clock.
		m := WallMinutes(tm)
		back := WallTime(m, loc)
		y, mo, d := tm.Date()
		h, mi, _ := tm.Clock()
		if exact := time.Date(y, mo, d, h, mi, 0, 0, loc); !back.Equal(exact) || back.Location() != loc {
			t.Fatalf("WallTime(%d) = %v, want %v", m, back, exact)
		}
	})
}

// TestComputeIgnoresOrder: the groups are the same whatever the order of
// the requests (Compute reuses the group of the previous request).
func TestComputeIgnoresOrder(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	ref := at("2025-07-01 00:00")
	var reqs []Request
	for i := range 3000 {
		sent := ref.Add(-time.Duration(rnd.IntN(200*24*60)) * time.Minute)
		r := Request{Nucleo: []string{"Feluma", "HC-UFMG", "FM-UFMG"}[rnd.IntN(3)], Specialty: Specialties[rnd.IntN(4)],
			IBGE: []string{"3100104", "3100203", "3100302"}[rnd.IntN(3)], SentAt: sent, Cancelled: i%17 == 0}
		if rnd.IntN(4) > 0 {
			r.AnsweredAt = sent.Add(time.Duration(rnd.IntN(150*60)) * time.Minute)
		}
		reqs = append(reqs, r)
	}
	// Sorted by group, runs of one group come one after the other.
	sorted := slices.Clone(reqs)
	slices.SortFunc(sorted, func(a, b Request) int {
		return strings.Compare(a.Nucleo+a.Specialty+a.IBGE, b.Nucleo+b.Specialty+b.IBGE)
	})
	region := func(ibge string) (string, string) { return "URS " + ibge[5:], "MACRO" }
	for _, by := range [][]Dim{nil, {ByNucleo}, {ByNucleo, ByEspecialidade}, {ByMes, ByMacro, ByMunicipio}, Dims} {
		o := Options{At: ref, By: by, Region: region, From: at("2025-01-15 00:00")}
		a, b := Compute(reqs, o), Compute(sorted, o)
		if len(a) == 0 || !slices.EqualFunc(a, b, func(x, y Row) bool {
			return slices.Equal(x.Record(), y.Record()) && x.AvoidedReported == y.AvoidedReported
		}) {
			t.Errorf("by %v: %d rows shuffled, %d sorted, or they differ", by, len(a), len(b))
		}
	}
}
