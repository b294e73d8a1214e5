package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/settings"
	"github.com/ses-mg/telemonitor/internal/store"
	"github.com/ses-mg/telemonitor/internal/territory"
)

func init() {
	// The pages of the notices, digests, follow-up log and settings; kept
	// here, beside their handlers, so the shared list stays as it is.
	pageNames = append(pageNames, "configuracoes", "avisos", "avisos-envio", "acompanhamento", "resumo")
}

type ursField struct {
	Index int
	Name  string
	settings.URS
}

type nucleoField struct {
	Code, FullName string
	settings.Nucleo
}

type settingsData struct {
	Rev       store.SettingsRevision
	URS       []ursField
	Nucleos   []nucleoField
	Weekdays  [7]string
	Hours     []int
	Message   string
	Error     string
	HasSecret bool
}

// settingsPage shows the programme settings (admin only: the route
// carries requireAdmin).
func (s *Server) settingsPage(c *fiber.Ctx) error {
	rev, err := s.app.Settings(c.UserContext())
	if err != nil {
		return err
	}
	msg := ""
	if c.Query("salvo") == "1" {
		msg = "Configurações salvas. As páginas, planilhas e avisos já usam os novos valores."
	}
	return s.renderSettings(c, rev, msg, "")
}

func (s *Server) renderSettings(c *fiber.Ctx, rev store.SettingsRevision, msg, errMsg string) error {
	d := settingsData{Rev: rev, Weekdays: settings.Weekdays, Message: msg, Error: errMsg, HasSecret: rev.SMTP.Password != ""}
	for i, u := range s.app.Territory.URSs() {
		d.URS = append(d.URS, ursField{Index: i, Name: u.Name, URS: rev.URS[u.Name]})
	}
	for _, n := range territory.Nucleos {
		d.Nucleos = append(d.Nucleos, nucleoField{Code: n.Code, FullName: n.FullName, Nucleo: rev.Nucleos[n.Code]})
	}
	for h := range 24 {
		d.Hours = append(d.Hours, h)
	}
	d.Rev.SMTP.Password = "" // never sent back to the browser
	noStore(c)
	return s.render(c, page{Name: "configuracoes", Title: "Configurações do programa", Nav: "configuracoes", Data: d})
}

// saveSettings stores the form as a new revision, audited with every
// change; an invalid form comes back with the message and nothing saved.
func (s *Server) saveSettings(c *fiber.Ctx) error {
	old, err := s.app.Settings(c.UserContext())
	if err != nil {
		return err
	}
	v := s.settingsFromForm(c, old.Settings)
	e := store.AuditEntry{Actor: principal(c).Email, IP: clientIP(c)}
	changes, err := s.app.SaveSettings(c.UserContext(), v, e)
	if err != nil {
		c.Status(fiber.StatusBadRequest)
		return s.renderSettings(c, store.SettingsRevision{ID: old.ID, At: old.At, Actor: old.Actor, Settings: v}, "",
			"Nada foi salvo: "+err.Error())
	}
	if len(changes) == 0 {
		return s.renderSettings(c, old, "Nenhuma alteração.", "")
	}
	return c.Redirect("/admin/configuracoes?salvo=1", fiber.StatusSeeOther)
}

func (s *Server) settingsFromForm(c *fiber.Ctx, old settings.Settings) settings.Settings {
	f := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	v := settings.Settings{URS: map[string]settings.URS{}, Nucleos: map[string]settings.Nucleo{},
		SESMailbox: f("caixa_ses"), NominationForm: f("formulario"), Moodle: f("moodle"), MoodleManual: f("manual_moodle")}
	for i, u := range s.app.Territory.URSs() {
		n := strconv.Itoa(i)
		if x := (settings.URS{Email: f("urs_email_" + n), Phone: f("urs_tel_" + n), Reference: f("urs_ref_" + n)}); x != (settings.URS{}) {
			v.URS[u.Name] = x
		}
	}
	for _, n := range territory.Nucleos {
		v.Nucleos[n.Code] = settings.Nucleo{Phone: f("nucleo_tel_" + n.Code), Email: f("nucleo_email_" + n.Code),
			Platform: f("nucleo_plataforma_" + n.Code), Manual: f("nucleo_manual_" + n.Code)}
	}
	port, err := strconv.Atoi(f("smtp_porta"))
	if err != nil {
		port = -1
	}
	v.SMTP = settings.SMTP{Host: f("smtp_host"), Port: port, Security: settings.Security(f("smtp_seguranca")),
		User: f("smtp_usuario"), From: f("smtp_remetente"), Password: old.SMTP.Password}
	if p := c.FormValue("smtp_senha"); p != "" {
		v.SMTP.Password = p
	}
	if c.FormValue("smtp_senha_apagar") == "1" {
		v.SMTP.Password = ""
	}
	day, _ := strconv.Atoi(f("resumo_dia"))
	hour, err := strconv.Atoi(f("resumo_hora"))
	if err != nil {
		hour = -1
	}
	v.Digest = settings.Digest{Enabled: c.FormValue("resumo_ativo") == "1", Weekday: time.Weekday(day), Hour: hour}
	return v
}
