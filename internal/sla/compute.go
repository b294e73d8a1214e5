package sla

import (
	"slices"
	"time"
)

// Options choose the requests measured and how they are grouped.
type Options struct {
	// From and To bound the sent-at date, both days included; a zero
	// value leaves that side open. Only their calendar dates count.
	From, To time.Time
	// At is the reference time that decides what is overdue.
	At time.Time
	// By lists the grouping dimensions, in column order; none gives one
	// row for everything.
	By []Dim
	// Region gives a municipality's URS and macroregion names, for the urs
	// and macro dimensions.
	Region func(ibge string) (urs, macro string)
}

// Row is the measures of one group.
type Row struct {
	Keys           []string // the group's values, in Options.By order
	Solicitacoes   int
	Respondidas    int
	Respondidas72h int
	EmAtraso       int
	Pct72h         Decimal
	MedianaHoras   Decimal
	P90Horas       Decimal
	// Reported outcomes: answers that said whether a referral was avoided
	// (and how many did), and satisfaction ratings (their sum, 1–5 each).
	AvoidedReported, AvoidedYes int
	SatisfactionN               int
	SatisfactionSum             int
}

// AvoidedShare is the share of reported answers that avoided a referral,
// in percent with one decimal.
func (r Row) AvoidedShare() Decimal {
	if r.AvoidedReported == 0 {
		return Decimal{}
	}
	return Decimal{Tenths: ratioTenths(int64(r.AvoidedYes), int64(r.AvoidedReported), 100), OK: true}
}

// MeanSatisfaction is the mean rating (1–5) with one decimal.
func (r Row) MeanSatisfaction() Decimal {
	if r.SatisfactionN == 0 {
		return Decimal{}
	}
	return Decimal{Tenths: ratioTenths(int64(r.SatisfactionSum), int64(r.SatisfactionN), 1), OK: true}
}

// InPeriod reports whether a request's sent-at date is within the options'
// period.
func (o Options) InPeriod(r Request) bool {
	d := day(r.SentAt)
	return (o.From.IsZero() || d >= day(o.From)) && (o.To.IsZero() || d <= day(o.To))
}

// day is a date as yyyymmdd, for comparisons that ignore the time.
func day(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// key is the value of dimension d for request r; months names the months
// already written.
func (o Options) key(d Dim, r *Request, months map[int]string) string {
	switch d {
	case ByNucleo:
		return r.Nucleo
	case ByEspecialidade:
		return r.Specialty
	case ByMes:
		return month(r.SentAt, months)
	case ByMunicipio:
		return r.IBGE
	case ByURS, ByMacro:
		if o.Region == nil {
			return ""
		}
		urs, macro := o.Region(r.IBGE)
		if d == ByURS {
			return urs
		}
		return macro
	}
	return ""
}

// month is t's month as "2006-01", written once per month in months.
func month(t time.Time, months map[int]string) string {
	y, m, _ := t.Date()
	k := y*12 + int(m)
	s, ok := months[k]
	if !ok {
		s = t.Format("2006-01")
		months[k] = s
	}
	return s
}

type group struct {
	row     Row
	minutes []int64
}

// groupKey is a group's values, one per dimension (at most one of each).
type groupKey [6]string

// Compute measures the requests of the period, one row per group that has
// at least one (not cancelled) request, sorted by the group's values.
func Compute(reqs []Request, o Options) []Row {
	t := NewTally(o)
	for i := range reqs {
		t.Add(&reqs[i])
	}
	return t.Rows()
}

// Tally is Compute for requests given one at a time, so that they need
// not be held: it keeps only each group's counts and response times.
type Tally struct {
	o       Options
	groups  map[groupKey]*group
	months  map[int]string
	bounded bool
	at      int64 // o.At in wall minutes
	k       groupKey
	last    *group // consecutive requests often share their group
}

// NewTally starts measuring with the options o.
func NewTally(o Options) *Tally {
	return &Tally{o: o, groups: map[groupKey]*group{}, months: map[int]string{},
		bounded: !o.From.IsZero() || !o.To.IsZero(), at: WallMinutes(o.At)}
}

// Add counts r, unless it is cancelled or outside the period.
func (t *Tally) Add(r *Request) {
	if r.Cancelled || (t.bounded && !t.o.InPeriod(*r)) {
		return
	}
	same := t.last != nil
	for j, d := range t.o.By {
		t.k[j] = t.o.key(d, r, t.months)
		same = same && t.k[j] == t.last.row.Keys[j]
	}
	g := t.last
	if !same {
		if g = t.groups[t.k]; g == nil {
			g = &group{row: Row{Keys: slices.Clone(t.k[:len(t.o.By)])}}
			t.groups[t.k] = g
		}
		t.last = g
	}
	g.add(r, t.at)
}

// Rows is the measures of the requests added so far, as Compute gives them.
func (t *Tally) Rows() []Row {
	out := make([]Row, 0, len(t.groups))
	for _, g := range t.groups {
		out = append(out, g.finish())
	}
	slices.SortFunc(out, func(a, b Row) int { return slices.Compare(a.Keys, b.Keys) })
	return out
}

// add counts a request (not cancelled) of the group; at is the reference
// time in wall minutes.
func (g *group) add(r *Request, at int64) {
	row := &g.row
	row.Solicitacoes++
	sent := WallMinutes(r.SentAt)
	switch {
	case r.Answered():
		row.Respondidas++
		m := WallMinutes(r.AnsweredAt) - sent
		g.minutes = append(g.minutes, m)
		if inTime(m) {
			row.Respondidas72h++
		}
	case late(at - sent): // Overdue (Tally.Add left out the cancelled)
		row.EmAtraso++
	}
	if r.Avoided != 0 {
		row.AvoidedReported++
		if r.Avoided > 0 {
			row.AvoidedYes++
		}
	}
	if r.Satisfaction > 0 {
		row.SatisfactionN++
		row.SatisfactionSum += int(r.Satisfaction)
	}
}

func (g *group) finish() Row {
	row := g.row
	row.Pct72h = Percent72h(row.Respondidas72h, row.Respondidas, row.EmAtraso)
	slices.Sort(g.minutes)
	if m, ok := NearestRank(g.minutes, 50); ok {
		row.MedianaHoras = Hours(m)
	}
	if m, ok := NearestRank(g.minutes, 90); ok {
		row.P90Horas = Hours(m)
	}
	return row
}

// Header is the CSV header of `telemonitor sla` for the dimensions by.
func Header(by []Dim) []string {
	h := make([]string, 0, len(by)+7)
	for _, d := range by {
		h = append(h, d.Column())
	}
	return append(h, "solicitacoes", "respondidas", "respondidas_72h", "em_atraso", "pct_72h", "mediana_horas", "p90_horas")
}

// Record is a row as the CSV columns of Header.
func (r Row) Record() []string {
	rec := slices.Clone(r.Keys)
	return append(rec, itoa(r.Solicitacoes), itoa(r.Respondidas), itoa(r.Respondidas72h), itoa(r.EmAtraso),
		r.Pct72h.String(), r.MedianaHoras.String(), r.P90Horas.String())
}
