package server

import (
	"bytes"
	"fmt"
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
)

// period is the two dates of a comparison: ?de= and ?ate= (dd/mm/aaaa or
// aaaa-mm-dd); by default the last 30 days up to today.
type period struct{ From, To time.Time }

func periodFromQuery(c *fiber.Ctx, today time.Time) (period, error) {
	p := period{From: today.AddDate(0, 0, -30), To: today}
	for _, f := range []struct {
		param, label string
		dst          *time.Time
	}{{"de", "de", &p.From}, {"ate", "até", &p.To}} {
		if v := c.Query(f.param); v != "" {
			t, ok := present.ParseDay(v)
			if !ok {
				return p, fiber.NewError(fiber.StatusBadRequest, "Data inválida em “"+f.label+"”: use dd/mm/aaaa.")
			}
			*f.dst = t
		}
	}
	return p, nil
}

// today is the current calendar day.
func today() time.Time {
	y, m, d := time.Now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.Local)
}

// mudancasKey: the validated filter and the two days (the default days
// depend on today, and so does the key).
func (s *Server) mudancasKey(c *fiber.Ctx, snap *monitor.Snapshot) (string, error) {
	k, err := s.filterKey(c, snap)
	if err != nil {
		return "", err
	}
	p, err := periodFromQuery(c, today())
	if err != nil {
		return "", err
	}
	return k + "\x00" + p.From.Format("2006-01-02") + "\x00" + p.To.Format("2006-01-02"), nil
}

type changeGroup struct {
	Code, Title string
	Rows        []monitor.Difference
}

type shortcut struct {
	Label string
	Query template.URL // url.Values.Encode escapes it
}

type mudancasData struct {
	Filters   filterForm
	From, To  time.Time
	Groups    []changeGroup
	Total     int
	Shortcuts []shortcut
	Query     template.URL // the filters and the two days, for the downloads
}

// mudancas answers "what changed between two dates", by evidence time,
// for the dashboard's filters.
func (s *Server) mudancas(c *fiber.Ctx, snap *monitor.Snapshot) (page, error) {
	f, err := s.validFilter(c)
	if err != nil {
		return page{}, err
	}
	now := today()
	p, err := periodFromQuery(c, now)
	if err != nil {
		return page{}, err
	}
	q := queryValues(c)
	d := mudancasData{Filters: buildFilterForm(s.app.Territory, q), From: p.From, To: p.To}
	diffs := monitor.Compare(snap.Select(f), p.From, p.To)
	d.Total = len(diffs)
	for _, g := range monitor.Groups {
		cg := changeGroup{Code: g, Title: present.ChangeGroup[g]}
		for _, x := range diffs {
			if x.Group == g {
				cg.Rows = append(cg.Rows, x)
			}
		}
		d.Groups = append(d.Groups, cg)
	}
	monthStart := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.Local)
	for _, sc := range []struct {
		label string
		from  time.Time
	}{{"Últimos 7 dias", now.AddDate(0, 0, -7)}, {"Últimos 30 dias", now.AddDate(0, 0, -30)},
		{"Desde o início do mês", monthStart}, {"Desde o início do mês anterior", monthStart.AddDate(0, -1, 0)}} {
		v := cloneQuery(q)
		v.Set("de", sc.from.Format("2006-01-02"))
		v.Set("ate", now.Format("2006-01-02"))
		d.Shortcuts = append(d.Shortcuts, shortcut{sc.label, template.URL(v.Encode())})
	}
	v := cloneQuery(q)
	v.Set("de", p.From.Format("2006-01-02"))
	v.Set("ate", p.To.Format("2006-01-02"))
	d.Query = template.URL(v.Encode())
	return page{Name: "mudancas", Title: "O que mudou", Nav: "mudancas", Data: d}, nil
}

// exportMudancas serves the comparison as a workbook or a CSV.
func (s *Server) exportMudancas(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f, err := s.validFilter(c)
		if err != nil {
			return err
		}
		p, err := periodFromQuery(c, today())
		if err != nil {
			return err
		}
		snap, err := s.app.Current(c.UserContext())
		if err != nil {
			return err
		}
		diffs := monitor.Compare(snap.Select(f), p.From, p.To)
		scope := export.Scope{Filter: f}
		var buf bytes.Buffer
		if format == "csv" {
			err = export.WriteChangesCSV(&buf, diffs, p.From, p.To)
			c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		} else {
			err = export.WriteChangesXLSX(&buf, scope, diffs, p.From, p.To, time.Now())
			c.Set(fiber.HeaderContentType, xlsxType)
		}
		if err != nil {
			return err
		}
		name := export.ChangesFileName(scope, p.From, p.To, format)
		if err := s.audit(c, audit.Export, name, fmt.Sprintf("mudanças, sem dados pessoais: %s, %d municípios", scope.Describe(), len(diffs)), audit.OK); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Send(buf.Bytes())
	}
}
