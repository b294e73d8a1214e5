package sla

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, time.Local)
	if err != nil {
		panic(err)
	}
	return t
}

// TestMeasureEdges: each edge of DOMAIN.md's definitions, one request at a
// time, measured at the reference time 2025-03-10 12:00.
func TestMeasureEdges(t *testing.T) {
	ref := at("2025-03-10 12:00")
	sent := at("2025-03-01 08:00")
	tests := []struct {
		name string
		req  Request
		want string // solicitacoes,respondidas,respondidas_72h,em_atraso,pct_72h,mediana,p90
	}{
		{"answered at exactly 72 h 00 min", Request{SentAt: sent, AnsweredAt: at("2025-03-04 08:00")}, "1,1,1,0,100.0,72.0,72.0"},
		{"answered at 72 h 01 min", Request{SentAt: sent, AnsweredAt: at("2025-03-04 08:01")}, "1,1,0,0,0.0,72.0,72.0"},
		{"answered in 1 h 02 min", Request{SentAt: sent, AnsweredAt: at("2025-03-01 09:02")}, "1,1,1,0,100.0,1.0,1.0"},
		{"answered in 1 h 03 min rounds half up", Request{SentAt: sent, AnsweredAt: at("2025-03-01 09:03")}, "1,1,1,0,100.0,1.1,1.1"},
		{"unanswered, 72 h old exactly: not yet judged", Request{SentAt: at("2025-03-07 12:00")}, "1,0,0,0,,,"},
		{"unanswered, inside 72 h", Request{SentAt: at("2025-03-09 12:00")}, "1,0,0,0,,,"},
		{"unanswered, 72 h 01 min old: overdue", Request{SentAt: at("2025-03-07 11:59")}, "1,0,0,1,0.0,,"},
		{"cancelled: not a request", Request{SentAt: sent, Cancelled: true}, ""},
		{"cancelled after an answer: not a request", Request{SentAt: sent, AnsweredAt: at("2025-03-02 08:00"), Cancelled: true}, ""},
		{"returned then answered: from the first sending", Request{SentAt: sent, AnsweredAt: at("2025-03-05 08:00")}, "1,1,0,0,0.0,96.0,96.0"},
		{"sent after the reference time", Request{SentAt: at("2025-03-11 08:00")}, "1,0,0,0,,,"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows := Compute([]Request{tc.req}, Options{At: ref})
			got := ""
			if len(rows) == 1 {
				got = strings.Join(rows[0].Record(), ",")
			} else if len(rows) > 1 {
				t.Fatalf("%d rows", len(rows))
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNearestRank(t *testing.T) {
	tests := []struct {
		n             int
		median, p90   int64
		medianOK, ok9 bool
	}{
		{0, 0, 0, false, false},
		{1, 1, 1, true, true},
		{2, 1, 2, true, true},
		{10, 5, 9, true, true},
		{11, 6, 10, true, true},
	}
	for _, tc := range tests {
		sorted := make([]int64, tc.n)
		for i := range sorted {
			sorted[i] = int64(i + 1)
		}
		m, ok := NearestRank(sorted, 50)
		p, ok9 := NearestRank(sorted, 90)
		if m != tc.median || ok != tc.medianOK || p != tc.p90 || ok9 != tc.ok9 {
			t.Errorf("n=%d: median %d %v, p90 %d %v; want %d, %d", tc.n, m, ok, p, ok9, tc.median, tc.p90)
		}
	}
}

func TestPercentAndHoursRounding(t *testing.T) {
	tests := []struct {
		within, answered, overdue int
		want                      string
	}{
		{0, 0, 0, ""},     // empty denominator
		{1, 2, 1, "33.3"}, // 33.33…
		{2, 3, 0, "66.7"}, // 66.66…
		{1, 8, 0, "12.5"}, // exactly half: away from zero
		{1, 1, 1, "50.0"},
		{7, 7, 0, "100.0"},
		{0, 0, 3, "0.0"}, // only overdue requests
	}
	for _, tc := range tests {
		if got := Percent72h(tc.within, tc.answered, tc.overdue).String(); got != tc.want {
			t.Errorf("Percent72h(%d,%d,%d) = %q, want %q", tc.within, tc.answered, tc.overdue, got, tc.want)
		}
	}
	hours := map[int64]string{0: "0.0", 3: "0.1", 2: "0.0", 4320: "72.0", 4321: "72.0", 4323: "72.1", -3: "-0.1"}
	for m, want := range hours {
		if got := Hours(m).String(); got != want {
			t.Errorf("Hours(%d) = %q, want %q", m, got, want)
		}
	}
}

// TestMinutesIgnoreDaylightSaving: calendar hours come from the wall
// clocks, even in a zone that once had daylight saving time.
func TestMinutesIgnoreDaylightSaving(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Skip("no tzdata")
	}
	a := time.Date(2018, 11, 3, 12, 0, 0, 0, sp) // the clocks went forward on 4 Nov 2018
	b := time.Date(2018, 11, 6, 12, 0, 0, 0, sp)
	if got := Minutes(a, b); got != 4320 {
		t.Errorf("Minutes = %d, want 4320", got)
	}
}

func TestGroupingPeriodAndOrder(t *testing.T) {
	ref := at("2025-04-01 00:00")
	reqs := []Request{
		{Nucleo: "HC-UFMG", Specialty: "Pediatria", IBGE: "3100104", SentAt: at("2025-01-31 23:59"), AnsweredAt: at("2025-02-01 10:00")},
		{Nucleo: "Feluma", Specialty: "Cardiologia", IBGE: "3100203", SentAt: at("2025-02-01 00:00"), AnsweredAt: at("2025-02-05 00:00")},
		{Nucleo: "FM-UFMG", Specialty: "Cardiologia", IBGE: "3100203", SentAt: at("2025-02-28 23:59")},
		{Nucleo: "Feluma", Specialty: "Cardiologia", IBGE: "3100302", SentAt: at("2025-03-01 00:00"), AnsweredAt: at("2025-03-01 02:00")},
		{Nucleo: "Feluma", Specialty: "Cardiologia", IBGE: "3100302", SentAt: at("2025-02-10 00:00"), Cancelled: true},
	}
	region := func(ibge string) (string, string) { return "URS " + ibge[5:], "MACRO" }
	o := Options{From: at("2025-02-01 00:00"), To: at("2025-02-28 00:00"), At: ref, By: []Dim{ByNucleo, ByEspecialidade}, Region: region}
	var got []string
	for _, r := range Compute(reqs, o) {
		got = append(got, strings.Join(r.Record(), ","))
	}
	want := []string{"FM-UFMG,Cardiologia,1,0,0,1,0.0,,", "Feluma,Cardiologia,1,1,0,0,0.0,96.0,96.0"}
	if !slices.Equal(got, want) {
		t.Errorf("period Feb: %q, want %q", got, want)
	}
	o = Options{At: ref, By: []Dim{ByMes, ByURS, ByMunicipio}, Region: region}
	got = nil
	for _, r := range Compute(reqs, o) {
		got = append(got, strings.Join(r.Keys, "|"))
	}
	want = []string{"2025-01|URS 04|3100104", "2025-02|URS 03|3100203", "2025-03|URS 02|3100302"}
	if !slices.Equal(got, want) {
		t.Errorf("by month, URS, municipality: %q, want %q", got, want)
	}
	if h := strings.Join(Header([]Dim{ByMunicipio, ByMacro}), ","); h != "ibge,macro,solicitacoes,respondidas,respondidas_72h,em_atraso,pct_72h,mediana_horas,p90_horas" {
		t.Errorf("header %q", h)
	}
	if rows := Compute(reqs, Options{At: ref}); len(rows) != 1 || rows[0].Solicitacoes != 4 || len(rows[0].Keys) != 0 {
		t.Errorf("no grouping: %+v", rows)
	}
	if rows := Compute(nil, Options{At: ref, By: []Dim{ByNucleo}}); len(rows) != 0 {
		t.Errorf("no requests: %+v", rows)
	}
}

func TestParseDims(t *testing.T) {
	if d, err := ParseDims("nucleo,especialidade"); err != nil || !slices.Equal(d, []Dim{ByNucleo, ByEspecialidade}) {
		t.Errorf("%v %v", d, err)
	}
	for _, bad := range []string{"nucleo,nucleo", "cidade", ""} {
		if _, err := ParseDims(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestAptosSemUsoAndOutcomes(t *testing.T) {
	ref := at("2025-06-30 12:00")
	since := map[string]time.Time{
		"A": at("2025-04-30 12:00"), // exactly 61 days: apto long enough
		"B": at("2025-05-01 12:00"), // exactly 60 days: too recent
		"C": at("2024-01-01 00:00"), // used within 90 days
		"D": at("2024-01-01 00:00"), // last request 91 days ago
		"E": at("2024-01-01 00:00"), // only a cancelled request
	}
	reqs := []Request{
		{IBGE: "C", SentAt: at("2025-04-01 12:00")},
		{IBGE: "D", SentAt: at("2025-03-31 11:00")},
		{IBGE: "E", SentAt: at("2025-06-01 12:00"), Cancelled: true},
	}
	if got := AptosSemUso(reqs, since, ref); !slices.Equal(got, []string{"A", "D", "E"}) {
		t.Errorf("aptos sem uso = %v", got)
	}
	use := MonthlyUse(append(reqs, Request{IBGE: "C", SentAt: at("2025-04-20 08:00")}), Options{})
	if use["C"]["2025-04"] != 2 || use["D"]["2025-03"] != 1 || use["E"] != nil {
		t.Errorf("monthly use = %v", use)
	}
	rows := Compute([]Request{
		{SentAt: ref, Avoided: 1, Satisfaction: 5}, {SentAt: ref, Avoided: -1, Satisfaction: 4}, {SentAt: ref, Avoided: 1}, {SentAt: ref},
	}, Options{At: ref})
	if s, m := rows[0].AvoidedShare().String(), rows[0].MeanSatisfaction().String(); s != "66.7" || m != "4.5" {
		t.Errorf("avoided %s, satisfaction %s", s, m)
	}
}
