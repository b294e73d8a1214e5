// Package sla measures whether the teleconsultation service is delivered:
// the núcleos' 72-hour answers and the municipalities' use of the service,
// exactly as DOMAIN.md defines them ("After the conditions: is the service
// delivered?"). It is pure Go, like internal/conditions: requests in,
// measures out, with the reference time always given by the caller.
//
// Durations are calendar hours between wall-clock times (Brasília local
// time, as the núcleos write them), counted in whole minutes:
//   - solicitacoes: requests, cancelled ones excluded;
//   - respondidas: with an answered-at; respondidas_72h: answered within
//     72 h 00 min (4320 minutes or less);
//   - em_atraso: not answered, not cancelled, and more than 72 h old at the
//     reference time;
//   - pct_72h = respondidas_72h ÷ (respondidas + em_atraso) × 100, one
//     decimal, half away from zero; empty when the denominator is 0;
//   - mediana_horas, p90_horas: nearest rank (the ⌈n·0.5⌉-th and ⌈n·0.9⌉-th
//     smallest response time), in hours with one decimal.
//
// The reference time only decides what is overdue: an answer in the data is
// an answer, whenever it came.
package sla

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Deadline is the promised answer time.
const Deadline = 72 * time.Hour

// deadlineMinutes is Deadline in whole minutes.
const deadlineMinutes = int64(Deadline / time.Minute)

// Request is one teleconsultation request as the measures see it.
type Request struct {
	Nucleo     string
	Specialty  string
	IBGE       string
	SentAt     time.Time
	AnsweredAt time.Time // zero while unanswered
	Cancelled  bool
	// Avoided: 1 the answer avoided a referral, -1 it did not, 0 not reported.
	Avoided int8
	// Satisfaction: 1 (muito insatisfeito) … 5 (muito satisfeito), 0 not reported.
	Satisfaction int8
}

// Minutes is the calendar time from a to b in whole minutes, read from
// their wall clocks (so a zone's daylight-saving rules never shift it).
func Minutes(a, b time.Time) int64 {
	return WallMinutes(b) - WallMinutes(a)
}

// WallMinutes is t's wall clock to the minute as a number: the minutes
// from 1970-01-01 00:00 to it, both read as written (no zone). The store
// keeps request times in this form. It reads the seconds of t's instant
// plus its zone's offset then (one zone lookup, where Date and Clock take
// one each), rounded down to the minute.
func WallMinutes(t time.Time) int64 {
	_, offset := t.Zone()
	sec := t.Unix() + int64(offset)
	m := sec / 60
	if sec%60 < 0 {
		m-- // before 1970: round down, not toward zero
	}
	return m
}

// WallTime is the time in loc whose wall clock WallMinutes gives as m.
func WallTime(m int64, loc *time.Location) time.Time {
	u := time.Unix(m*60, 0).UTC()
	y, mo, d := u.Date()
	h, mi, _ := u.Clock()
	return time.Date(y, mo, d, h, mi, 0, 0, loc)
}

// Answered reports whether the request has an answer.
func (r Request) Answered() bool { return !r.AnsweredAt.IsZero() }

// inTime reports whether an answer after m minutes keeps the deadline
// (72 h 00 min does): the request counts among respondidas_72h.
func inTime(m int64) bool { return m <= deadlineMinutes }

// late reports whether a request unanswered after waited minutes has
// passed the deadline: not cancelled, it counts as em_atraso.
func late(waited int64) bool { return waited > deadlineMinutes }

// Decimal is a number with one decimal place, in tenths; OK is false when
// it has no value (an empty denominator, no answered request).
type Decimal struct {
	Tenths int64
	OK     bool
}

// String writes the value with a dot ("83.3"), or "" when there is none.
func (d Decimal) String() string {
	if !d.OK {
		return ""
	}
	sign, v := "", d.Tenths
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%d", sign, v/10, v%10)
}

// Float is the value as a float64 (0 when there is none).
func (d Decimal) Float() float64 { return float64(d.Tenths) / 10 }

// ratioTenths is num ÷ den × scale in tenths, rounded half away from zero;
// num, den ≥ 0 and den > 0.
func ratioTenths(num, den, scale int64) int64 {
	return (2*num*scale*10 + den) / (2 * den)
}

// Percent72h is respondidas_72h ÷ (respondidas + em_atraso) × 100.
func Percent72h(within, answered, overdue int) Decimal {
	den := int64(answered + overdue)
	if den == 0 {
		return Decimal{}
	}
	return Decimal{Tenths: ratioTenths(int64(within), den, 100), OK: true}
}

// NearestRank returns the ⌈n·p⌉-th smallest of sorted (p in hundredths:
// 50 for the median, 90 for p90); ok is false when sorted is empty.
func NearestRank(sorted []int64, p int) (int64, bool) {
	n := len(sorted)
	if n == 0 {
		return 0, false
	}
	k := (n*p + 99) / 100 // ⌈n·p/100⌉
	k = max(k, 1)
	return sorted[k-1], true
}

// Hours writes minutes as hours with one decimal, half away from zero.
func Hours(minutes int64) Decimal {
	if minutes < 0 {
		return Decimal{Tenths: -ratioTenths(-minutes, 60, 1), OK: true}
	}
	return Decimal{Tenths: ratioTenths(minutes, 60, 1), OK: true}
}

// Dim is a grouping dimension.
type Dim string

// The dimensions, as the CLI's --por names them.
const (
	ByNucleo        Dim = "nucleo"
	ByEspecialidade Dim = "especialidade"
	ByMes           Dim = "mes"
	ByMunicipio     Dim = "municipio"
	ByURS           Dim = "urs"
	ByMacro         Dim = "macro"
)

// Dims are the valid dimensions, in the order the CLI documents them.
var Dims = []Dim{ByNucleo, ByEspecialidade, ByMes, ByMunicipio, ByURS, ByMacro}

// Column is the CSV column name of a dimension (municipio → ibge).
func (d Dim) Column() string {
	if d == ByMunicipio {
		return "ibge"
	}
	return string(d)
}

// ParseDims reads a comma-separated list of dimensions ("nucleo,mes").
func ParseDims(s string) ([]Dim, error) {
	var out []Dim
	for _, part := range strings.Split(s, ",") {
		d := Dim(strings.TrimSpace(part))
		if !slices.Contains(Dims, d) {
			return nil, fmt.Errorf("agrupamento desconhecido %q (use nucleo, especialidade, mes, municipio, urs ou macro)", part)
		}
		if slices.Contains(out, d) {
			return nil, fmt.Errorf("agrupamento repetido %q", part)
		}
		out = append(out, d)
	}
	return out, nil
}
