package sla

import (
	"slices"
	"strconv"
	"time"
)

// The windows of "aptos sem uso" (DOMAIN.md): apto for more than
// AptoFor, with no request in the last Quiet.
const (
	AptoFor = 60 * 24 * time.Hour
	Quiet   = 90 * 24 * time.Hour
)

// AptosSemUso lists (sorted) the municipalities apto for more than 60 days
// at the reference time at with no request (cancelled ones do not count)
// sent in the 90 days up to at. aptoSince holds each apto municipality's
// apto-since time.
func AptosSemUso(reqs []Request, aptoSince map[string]time.Time, at time.Time) []string {
	used := map[string]bool{}
	for i := range reqs {
		r := &reqs[i]
		if r.Cancelled {
			continue
		}
		if age := Minutes(r.SentAt, at); age >= 0 && age <= int64(Quiet/time.Minute) {
			used[r.IBGE] = true
		}
	}
	var out []string
	for ibge, since := range aptoSince {
		if Minutes(since, at) > int64(AptoFor/time.Minute) && !used[ibge] {
			out = append(out, ibge)
		}
	}
	slices.Sort(out)
	return out
}

// MonthlyUse counts each municipality's requests (cancelled ones
// excluded) per month ("2006-01") within the options' period.
func MonthlyUse(reqs []Request, o Options) map[string]map[string]int {
	out := map[string]map[string]int{}
	months := map[int]string{}
	for i := range reqs {
		r := &reqs[i]
		if r.Cancelled || !o.InPeriod(*r) {
			continue
		}
		m := out[r.IBGE]
		if m == nil {
			m = map[string]int{}
			out[r.IBGE] = m
		}
		m[month(r.SentAt, months)]++
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
