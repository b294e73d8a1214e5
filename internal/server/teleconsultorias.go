package server

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/charts"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/sla"
	"github.com/ses-mg/telemonitor/internal/store"
)

// The "Teleconsultorias" page: is the service delivered? Public aggregate
// numbers only (no requester, no CPF): the núcleos' answers within 72 h by
// núcleo and specialty over time, a núcleo × specialty table, response
// times, requests per month, the use of each apto municipality and the
// "aptos sem uso" (see internal/sla for the definitions).

// telePeriod is the period asked for in the address (?de=&ate=), or the
// default: the last 3 calendar months up to the latest data.
type telePeriod struct{ From, To time.Time }

func parseTelePeriod(c *fiber.Ctx) (telePeriod, bool, error) {
	var p telePeriod
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"de", &p.From}, {"ate", &p.To}} {
		v := c.Query(f.name)
		if v == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", v, time.Local)
		if err != nil {
			return p, false, fiber.NewError(fiber.StatusBadRequest, fmt.Sprintf("Data inválida em %s: use AAAA-MM-DD.", f.name))
		}
		*f.dst = t
	}
	if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
		return p, false, fiber.NewError(fiber.StatusBadRequest, "Período inválido: a data final vem antes da inicial.")
	}
	return p, !p.From.IsZero() || !p.To.IsZero(), nil
}

// lastThreeMonths is the default period: the month of the latest request
// sent and the two before it.
func lastThreeMonths(reqs []sla.Request) telePeriod {
	var last time.Time
	for _, r := range reqs {
		if r.SentAt.After(last) {
			last = r.SentAt
		}
	}
	return telePeriod{From: time.Date(last.Year(), last.Month()-2, 1, 0, 0, 0, 0, time.Local),
		To: time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, time.Local)}
}

// teleKey is the cache key: the validated period.
func teleKey(c *fiber.Ctx, _ *monitor.Snapshot) (string, error) {
	p, _, err := parseTelePeriod(c)
	if err != nil {
		return "", err
	}
	return p.From.Format("20060102") + "-" + p.To.Format("20060102"), nil
}

// teleRequests reads the requests f selects and the time that judges
// what is overdue: the latest in the data (has: any was imported).
func (s *Server) teleRequests(ctx context.Context, f store.RequestFilter) (reqs []sla.Request, at time.Time, has bool, err error) {
	if reqs, err = s.app.Store.Teleconsultations(ctx, f); err != nil {
		return nil, at, false, err
	}
	at, has, err = s.app.Store.LastTeleconsultationTime(ctx)
	return reqs, at, has, err
}

func (s *Server) teleconsultorias(c *fiber.Ctx, snap *monitor.Snapshot) (page, error) {
	ctx := c.UserContext()
	p, given, err := parseTelePeriod(c)
	if err != nil {
		return page{}, err
	}
	reqs, at, has, err := s.teleRequests(ctx, store.RequestFilter{})
	if err != nil {
		return page{}, err
	}
	if !given && has {
		p = lastThreeMonths(reqs)
	}
	v := buildTeleView(snap, reqs, aptoSince(snap), p, at)
	v.HasData = has
	return page{Name: "teleconsultorias", Title: "Teleconsultorias", Nav: "teleconsultorias", Data: v}, nil
}

// aptoSince is when each apto municipality became apto, by evidence time
// (conditions.Evaluation.AptoSince).
func aptoSince(snap *monitor.Snapshot) map[string]time.Time {
	out := map[string]time.Time{}
	for _, r := range snap.Rows {
		if r.Situation == conditions.Apto && !r.AptoSince.IsZero() {
			out[r.Municipality.IBGE] = r.AptoSince
		}
	}
	return out
}

// teleCell is one measure in a table: the share within 72 h with its
// overdue count, shaded by band (the number is always written too).
type teleCell struct {
	Pct      string
	EmAtraso int
	N        int
	Color    string
}

func cellOf(r sla.Row) teleCell {
	c := teleCell{Pct: pctText(r.Pct72h), EmAtraso: r.EmAtraso, N: r.Solicitacoes}
	switch {
	case !r.Pct72h.OK:
	case r.Pct72h.Tenths >= 900:
		c.Color = "#d8f0dc"
	case r.Pct72h.Tenths >= 750:
		c.Color = "#fdf1c7"
	default:
		c.Color = "#f9d6d5"
	}
	return c
}

func pctText(d sla.Decimal) string {
	if !d.OK {
		return "–"
	}
	return strings.Replace(d.String(), ".", ",", 1) + "%"
}

func hoursText(d sla.Decimal) string {
	if !d.OK {
		return "–"
	}
	return strings.Replace(d.String(), ".", ",", 1) + " h"
}

// teleLine is a row of a table: a name and its measures.
type teleLine struct {
	Name                        string
	Total                       teleCell
	Respondidas, Respondidas72h int
	Mediana, P90                string
	Evitou, Satisfacao          string
	Cells                       []teleCell // per column (month or núcleo)
}

func lineOf(name string, r sla.Row) teleLine {
	sat := "–"
	if m := r.MeanSatisfaction(); m.OK {
		sat = strings.Replace(m.String(), ".", ",", 1) + " de 5"
	}
	return teleLine{Name: name, Total: cellOf(r), Respondidas: r.Respondidas, Respondidas72h: r.Respondidas72h,
		Mediana: hoursText(r.MedianaHoras), P90: hoursText(r.P90Horas), Evitou: pctText(r.AvoidedShare()), Satisfacao: sat}
}

type teleUse struct {
	IBGE, Name, Nucleo string
	PerMonth           []int
	Total              int
	Specialties        string
}

type teleIdle struct {
	IBGE, Name, Nucleo, URS string
	AptoSince               time.Time
	LastRequest             time.Time
}

type teleView struct {
	HasData       bool
	From, To, At  time.Time
	De, Ate       string // the period as the form's values
	Total         teleLine
	Months        []string // "01/2025"
	PerMonth      []int    // requests per month, state-wide
	Nucleos       []teleLine
	NucleoMonths  []teleLine
	SpecMonths    []teleLine
	NucleoNames   []string
	Heat          []teleLine
	Use           []teleUse
	Idle          []teleIdle
	AptoCount     int
	UseMap        template.HTML // apto municipalities by requests per month
	UseLegend     []charts.Class
	UnusedInRange int
}

func buildTeleView(snap *monitor.Snapshot, reqs []sla.Request, since map[string]time.Time, p telePeriod, at time.Time) teleView {
	v := teleView{From: p.From, To: p.To, At: at, De: dateValue(p.From), Ate: dateValue(p.To)}
	o := sla.Options{From: p.From, To: p.To, At: at}
	if t := sla.Compute(reqs, o); len(t) == 1 {
		v.Total = lineOf("Total", t[0])
	}
	v.Months = monthsOf(p, reqs, o)
	col := map[string]int{}
	for i, m := range v.Months {
		col[m] = i
	}
	o.By = []sla.Dim{sla.ByNucleo}
	for _, r := range sla.Compute(reqs, o) {
		v.Nucleos = append(v.Nucleos, lineOf(r.Keys[0], r))
		v.NucleoNames = append(v.NucleoNames, r.Keys[0])
	}
	v.NucleoMonths = crossTable(reqs, o, sla.ByNucleo, sla.ByMes, v.Months, col)
	v.SpecMonths = crossTable(reqs, o, sla.ByEspecialidade, sla.ByMes, v.Months, col)
	ncol := map[string]int{}
	for i, n := range v.NucleoNames {
		ncol[n] = i
	}
	v.Heat = crossTable(reqs, o, sla.ByEspecialidade, sla.ByNucleo, v.NucleoNames, ncol)
	v.PerMonth = make([]int, len(v.Months))
	o.By = []sla.Dim{sla.ByMes}
	for _, r := range sla.Compute(reqs, o) {
		v.PerMonth[col[monthLabel(r.Keys[0])]] = r.Solicitacoes
	}
	v.Use, v.AptoCount, v.UnusedInRange = useOf(snap, reqs, o, v.Months, col)
	per := make(map[string]float64, len(v.Use))
	for _, u := range v.Use {
		if len(v.Months) > 0 {
			per[u.IBGE] = float64(u.Total) / float64(len(v.Months))
		}
	}
	v.UseMap, _ = charts.UseMap("mapa-uso", snap.Rows, per).HTML()
	v.UseLegend = charts.UseClasses
	v.Idle = idleOf(snap, reqs, since, at)
	return v
}

func dateValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func monthLabel(key string) string { // "2025-01" → "01/2025"
	if len(key) != 7 {
		return key
	}
	return key[5:] + "/" + key[:4]
}

// monthsOf lists the months of the period that have requests, in order.
func monthsOf(p telePeriod, reqs []sla.Request, o sla.Options) []string {
	o.By = []sla.Dim{sla.ByMes}
	var out []string
	for _, r := range sla.Compute(reqs, o) {
		out = append(out, monthLabel(r.Keys[0]))
	}
	return out
}

// crossTable is one line per value of row, with a cell per column value.
func crossTable(reqs []sla.Request, o sla.Options, row, column sla.Dim, cols []string, index map[string]int) []teleLine {
	o.By = []sla.Dim{row}
	var out []teleLine
	pos := map[string]int{}
	for _, r := range sla.Compute(reqs, o) {
		pos[r.Keys[0]] = len(out)
		l := lineOf(r.Keys[0], r)
		l.Cells = make([]teleCell, len(cols))
		for i := range l.Cells {
			l.Cells[i] = teleCell{Pct: "–"}
		}
		out = append(out, l)
	}
	o.By = []sla.Dim{row, column}
	for _, r := range sla.Compute(reqs, o) {
		k := r.Keys[1]
		if column == sla.ByMes {
			k = monthLabel(k)
		}
		out[pos[r.Keys[0]]].Cells[index[k]] = cellOf(r)
	}
	return out
}

// useOf is each apto municipality's requests per month of the period and
// its most asked specialties; the least used first.
func useOf(snap *monitor.Snapshot, reqs []sla.Request, o sla.Options, months []string, col map[string]int) ([]teleUse, int, int) {
	monthly := sla.MonthlyUse(reqs, o)
	o.By = []sla.Dim{sla.ByMunicipio, sla.ByEspecialidade}
	specs := map[string][]sla.Row{}
	for _, r := range sla.Compute(reqs, o) {
		specs[r.Keys[0]] = append(specs[r.Keys[0]], r)
	}
	var out []teleUse
	unused := 0
	for _, r := range snap.Rows {
		if r.Situation != conditions.Apto {
			continue
		}
		u := teleUse{IBGE: r.Municipality.IBGE, Name: r.Name, Nucleo: r.Nucleo(), PerMonth: make([]int, len(months))}
		for m, n := range monthly[u.IBGE] {
			u.PerMonth[col[monthLabel(m)]] = n
			u.Total += n
		}
		top := specs[u.IBGE]
		slices.SortStableFunc(top, func(a, b sla.Row) int { return b.Solicitacoes - a.Solicitacoes })
		var names []string
		for _, s := range top[:min(3, len(top))] {
			names = append(names, fmt.Sprintf("%s (%d)", s.Keys[1], s.Solicitacoes))
		}
		u.Specialties = strings.Join(names, ", ")
		if u.Total == 0 {
			unused++
		}
		out = append(out, u)
	}
	slices.SortStableFunc(out, func(a, b teleUse) int { return a.Total - b.Total })
	return out, len(out), unused
}

// idleOf is the "aptos sem uso" at the reference time, with their last
// request ever.
func idleOf(snap *monitor.Snapshot, reqs []sla.Request, since map[string]time.Time, at time.Time) []teleIdle {
	last := map[string]time.Time{}
	for _, r := range reqs {
		if !r.Cancelled && r.SentAt.After(last[r.IBGE]) {
			last[r.IBGE] = r.SentAt
		}
	}
	var out []teleIdle
	for _, ibge := range sla.AptosSemUso(reqs, since, at) {
		r, _ := snap.Row(ibge)
		out = append(out, teleIdle{IBGE: ibge, Name: r.Name, Nucleo: r.Nucleo(), URS: r.URS, AptoSince: since[ibge], LastRequest: last[ibge]})
	}
	slices.SortFunc(out, func(a, b teleIdle) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// exportTeleconsultorias serves the measures of the page's period as a
// workbook (one sheet per grouping) or as the CSV of `telemonitor sla
// --por nucleo,especialidade`. No personal data.
func (s *Server) exportTeleconsultorias(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		p, given, err := parseTelePeriod(c)
		if err != nil {
			return err
		}
		reqs, at, has, err := s.teleRequests(ctx, store.RequestFilter{})
		if err != nil {
			return err
		}
		if !has {
			return fiber.NewError(fiber.StatusNotFound, "Nenhuma exportação de teleconsultas foi importada ainda.")
		}
		if !given {
			p = lastThreeMonths(reqs)
		}
		o := sla.Options{From: p.From, To: p.To, At: at, Region: s.app.Territory.RegionOf}
		var buf bytes.Buffer
		name := fmt.Sprintf("teleconsultorias_%s_a_%s.%s", p.From.Format("2006-01-02"), p.To.Format("2006-01-02"), format)
		if format == "csv" {
			o.By = []sla.Dim{sla.ByNucleo, sla.ByEspecialidade}
			err = export.WriteSLACSV(&buf, o.By, sla.Compute(reqs, o))
			c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		} else {
			err = export.WriteSLAXLSX(&buf, reqs, o, func(ibge string) string { m, _ := s.app.Territory.ByCode(ibge); return m.Name }, time.Now())
			c.Set(fiber.HeaderContentType, xlsxType)
		}
		if err != nil {
			return err
		}
		if err := s.audit(c, audit.Export, name, "teleconsultorias, sem dados pessoais", audit.OK); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Send(buf.Bytes())
	}
}
