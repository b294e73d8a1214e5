package server

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/store"
)

// auditPageSize is how many entries the admin page shows at once.
const auditPageSize = 200

type auditData struct {
	Q        auditForm
	Actions  []option
	Entries  []auditLine
	More     string // link to older entries
	CSV      string // link to the CSV of the same filters
	Problems []string
}

type auditForm struct{ Actor, Action, IP, From, To string }

type auditLine struct {
	store.AuditEntry
	Label string
}

// auditQuery reads the filters (dates as dd/mm/aaaa or aaaa-mm-dd).
func auditQuery(c *fiber.Ctx) (store.AuditQuery, auditForm, []string) {
	cp := func(k string) string { return strings.TrimSpace(c.Query(k)) }
	form := auditForm{Actor: cp("usuario"), Action: cp("acao"), IP: cp("ip"), From: cp("de"), To: cp("ate")}
	q := store.AuditQuery{Actor: form.Actor, Action: form.Action, IP: form.IP}
	var problems []string
	parse := func(v, label string) time.Time {
		if v == "" {
			return time.Time{}
		}
		if t, ok := present.ParseDay(v); ok {
			return t
		}
		problems = append(problems, "Data inválida em “"+label+"”: use dd/mm/aaaa.")
		return time.Time{}
	}
	q.From = parse(form.From, "de")
	if to := parse(form.To, "até"); !to.IsZero() {
		q.To = to.AddDate(0, 0, 1) // the whole day
	}
	q.BeforeID, _ = strconv.ParseInt(c.Query("antes"), 10, 64)
	return q, form, problems
}

func (s *Server) auditPage(c *fiber.Ctx) error {
	q, form, problems := auditQuery(c)
	q.Limit = auditPageSize + 1
	entries, err := s.app.Store.AuditEntries(c.UserContext(), q)
	if err != nil {
		return err
	}
	actions, err := s.app.Store.AuditActions(c.UserContext())
	if err != nil {
		return err
	}
	d := auditData{Q: form, Problems: problems}
	d.Actions = append(d.Actions, option{Value: "", Label: "Todas as ações"})
	for _, a := range actions {
		d.Actions = append(d.Actions, option{Value: a, Label: audit.Label(a), Selected: a == form.Action})
	}
	if len(entries) > auditPageSize {
		entries = entries[:auditPageSize]
		v := auditValues(form)
		v.Set("antes", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		d.More = "/admin/auditoria?" + v.Encode()
	}
	for _, e := range entries {
		d.Entries = append(d.Entries, auditLine{AuditEntry: e, Label: audit.Label(e.Action)})
	}
	d.CSV = "/admin/auditoria.csv?" + auditValues(form).Encode()
	if err := s.audit(c, audit.AuditView, "", auditValues(form).Encode(), audit.OK); err != nil {
		return err
	}
	noStore(c)
	return s.render(c, page{Name: "auditoria", Title: "Registro de auditoria", Nav: "auditoria", Data: d})
}

func auditValues(f auditForm) url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"usuario": f.Actor, "acao": f.Action, "ip": f.IP, "de": f.From, "ate": f.To} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

// auditCSV exports the filtered log (UTF-8 with BOM, ';', formula guard).
func (s *Server) auditCSV(c *fiber.Ctx) error {
	q, form, problems := auditQuery(c)
	if len(problems) > 0 {
		return fiber.NewError(fiber.StatusBadRequest, strings.Join(problems, " "))
	}
	entries, err := s.app.Store.AuditEntries(c.UserContext(), q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.Write([]string{"Data e hora", "Usuário", "Ação", "Descrição", "Alvo", "Detalhe", "Endereço IP", "Resultado", "Vezes", "Última vez"})
	for _, e := range entries {
		// Every cell through the formula guard: the log holds what
		// clients sent (e-mails typed at the login, addresses, names).
		row := []string{e.At.Format("02/01/2006 15:04:05"), e.Actor, e.Action, audit.Label(e.Action), e.Target, e.Detail, e.IP, e.Outcome,
			strconv.Itoa(e.Count), e.LastAt.Format("02/01/2006 15:04:05")}
		for i := range row {
			row[i] = export.Safe(row[i])
		}
		w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := s.audit(c, audit.AuditExport, "", auditValues(form).Encode(), audit.OK); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="auditoria_`+time.Now().Format("2006-01-02")+`.csv"`)
	noStore(c)
	return c.Send(buf.Bytes())
}
