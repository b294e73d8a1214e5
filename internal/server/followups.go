package server

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/notices"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/store"
)

// channels are the follow-up channels with their words.
var channels = []struct{ Code, Label string }{
	{"email", "E-mail"}, {"telefone", "Telefone"}, {"reuniao", "Reunião"}, {"oficio", "Ofício"}, {"whatsapp", "WhatsApp"},
	{"outro", "Outro"},
}

func channelLabel(code string) string {
	for _, ch := range channels {
		if ch.Code == code {
			return ch.Label
		}
	}
	return code
}

type followupLine struct {
	store.Followup
	Municipality string
	ChannelLabel string
}

type followupMunicipality struct {
	Row         monitor.Row
	Situacao    string
	Missing     string
	LastContact time.Time
	Days        int // since the last contact; -1 when never
	Promised    time.Time
}

type followupsData struct {
	Scope      string
	Query      template.URL
	NoContact  int // the "sem contato há N dias" filter (0: off)
	Summary    []followupMunicipality
	Entries    []followupLine
	One        *monitor.Row // the municipality of a municipality's log
	Channels   any
	Today      string
	Message    string
	Error      string
	CanExport  bool
	EntryCount int
}

// followupScope is a follow-up request's rows: URS and admin only, within
// their scope.
func (s *Server) followupScope(c *fiber.Ctx) (*auth.Principal, []monitor.Row, monitor.Filter, error) {
	p, err := s.requireUser(c)
	if p == nil {
		return nil, nil, monitor.Filter{}, err
	}
	if p.Role == auth.Municipio {
		return nil, nil, monitor.Filter{}, s.deny(c, "acompanhamento")
	}
	_, rows, f, err := s.noticeRows(c, p)
	return p, rows, f, err
}

// followupsPage lists the contacts with the municipalities of the filter
// and, per municipality, the last contact ("sem contato há 30 dias":
// sem_contato=30, which keeps those never contacted too).
func (s *Server) followupsPage(c *fiber.Ctx) error {
	p, rows, f, err := s.followupScope(c)
	if p == nil || err != nil {
		return err
	}
	d, err := s.followupsData(c, rows, f)
	if err != nil {
		return err
	}
	if len(rows) == 1 && c.Params("ibge") != "" {
		d.One = &rows[0]
		d.Scope = rows[0].Name
	}
	noStore(c)
	return s.render(c, page{Name: "acompanhamento", Title: "Acompanhamento dos municípios", Nav: "acompanhamento", Data: d})
}

func (s *Server) followupsData(c *fiber.Ctx, rows []monitor.Row, f monitor.Filter) (followupsData, error) {
	noContact, _ := strconv.Atoi(c.Query("sem_contato"))
	d := followupsData{Scope: export.Scope{Filter: f}.Describe(), Query: template.URL(noticeQuery(f)), NoContact: noContact,
		Channels: channels, Today: time.Now().Format(store.DayLayout), CanExport: true}
	ibges := make([]string, len(rows))
	names := map[string]string{}
	for i, r := range rows {
		ibges[i], names[r.Municipality.IBGE] = r.Municipality.IBGE, r.Name
	}
	log, err := s.app.Store.Followups(c.UserContext(), ibges)
	if err != nil {
		return d, err
	}
	dates := notices.Dates(log)
	for _, e := range log {
		d.Entries = append(d.Entries, followupLine{Followup: e, Municipality: names[e.IBGE], ChannelLabel: channelLabel(e.Channel)})
	}
	d.EntryCount = len(d.Entries)
	today := time.Now()
	for _, r := range rows {
		k := dates[r.Municipality.IBGE]
		m := followupMunicipality{Row: r, Situacao: present.Situation[r.Situation], Days: -1, Promised: k.Promised}
		var missing []conditions.Condition
		for _, x := range r.Missing() {
			missing = append(missing, x.Condition)
		}
		m.Missing = present.ConditionList(missing)
		if !k.LastContact.IsZero() {
			m.LastContact, m.Days = k.LastContact, int(today.Sub(k.LastContact).Hours()/24)
		}
		if noContact > 0 && m.Days >= 0 && m.Days < noContact {
			continue
		}
		d.Summary = append(d.Summary, m)
	}
	return d, nil
}

// addFollowup records a contact with a municipality (URS of the
// municipality and admin).
func (s *Server) addFollowup(c *fiber.Ctx) error {
	p, rows, _, err := s.followupScope(c)
	if p == nil || err != nil {
		return err
	}
	if len(rows) != 1 {
		return fiber.NewError(fiber.StatusNotFound, "Município não encontrado.")
	}
	r := rows[0]
	e, msg := followupFromForm(c)
	if msg != "" {
		d, err := s.followupsData(c, rows, monitor.Filter{IBGE: r.Municipality.IBGE})
		if err != nil {
			return err
		}
		d.One, d.Scope, d.Error = &r, r.Name, msg
		c.Status(fiber.StatusBadRequest)
		noStore(c)
		return s.render(c, page{Name: "acompanhamento", Title: "Acompanhamento de " + r.Name, Nav: "acompanhamento", Data: d})
	}
	e.IBGE, e.Actor = r.Municipality.IBGE, p.Email
	if _, err := s.app.Store.AddFollowup(c.UserContext(), e); err != nil {
		return err
	}
	detail := fmt.Sprintf("%s: %s em %s", r.Name, channelLabel(e.Channel), present.Date(e.ContactedOn))
	if err := s.audit(c, audit.FollowupAdded, r.Municipality.IBGE, detail, audit.OK); err != nil {
		return err
	}
	return c.Redirect("/municipios/"+r.Municipality.IBGE+"/acompanhamento", fiber.StatusSeeOther)
}

// followupFromForm reads the contact form; the message says what is wrong.
func followupFromForm(c *fiber.Ctx) (store.Followup, string) {
	var e store.Followup
	day, ok := present.ParseDay(strings.TrimSpace(c.FormValue("data")))
	if !ok || day.After(time.Now()) {
		return e, "Informe a data do contato (dd/mm/aaaa), que não pode ser futura."
	}
	e.ContactedOn = day
	e.Channel = c.FormValue("canal")
	if channelLabel(e.Channel) == e.Channel {
		return e, "Escolha o canal do contato."
	}
	e.Note = strings.TrimSpace(c.FormValue("nota"))
	if e.Note == "" || len(e.Note) > 2000 {
		return e, "Descreva o contato (até 2.000 caracteres)."
	}
	if v := strings.TrimSpace(c.FormValue("prazo")); v != "" {
		if e.PromisedOn, ok = present.ParseDay(v); !ok {
			return e, "Data prometida inválida (use dd/mm/aaaa)."
		}
	}
	return e, ""
}

// followupsCSV exports the follow-up log of the filter.
func (s *Server) followupsCSV(c *fiber.Ctx) error {
	p, rows, f, err := s.followupScope(c)
	if p == nil || err != nil {
		return err
	}
	d, err := s.followupsData(c, rows, f)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // Excel reads UTF-8 with the BOM
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.Write([]string{"Município", "Código IBGE", "Data do contato", "Canal", "Anotação", "Prazo informado", "Registrado por", "Registrado em"})
	for _, e := range d.Entries {
		w.Write([]string{export.Safe(e.Municipality), e.IBGE, present.Date(e.ContactedOn), e.ChannelLabel, export.Safe(e.Note),
			present.Date(e.PromisedOn), e.Actor, e.CreatedAt.Format("02/01/2006 15:04")})
	}
	w.Flush()
	name := "acompanhamento" + strings.TrimPrefix(export.FileName(export.Scope{Filter: f}, time.Now(), "csv"), "condicionalidades")
	if err := s.audit(c, audit.Export, name, fmt.Sprintf("acompanhamento: %s, %d contatos", export.Scope{Filter: f}.Describe(),
		len(d.Entries)), audit.OK); err != nil {
		return err
	}
	noStore(c)
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Send(buf.Bytes())
}
