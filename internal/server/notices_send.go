package server

import (
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/export"
)

type sendLine struct {
	Municipality, IBGE, Subject string
	To                          []string
	Result                      string // "" before sending
	Failed                      bool
}

type sendData struct {
	Scope   string
	Query   template.URL
	Lines   []sendLine
	Ready   int // messages with a recipient
	SMTP    bool
	Sent    bool
	OK      int
	Failed  int
	Message string
}

// noticesSend previews (without confirmar=1) or sends the notices of the
// filter by e-mail to each focal point; URS and admin only.
func (s *Server) noticesSend(c *fiber.Ctx) error {
	p, err := s.requireUser(c)
	if p == nil {
		return err
	}
	if p.Role == auth.Municipio {
		return s.deny(c, "envio de avisos")
	}
	snap, rows, f, err := s.noticeRows(c, p)
	if err != nil {
		return err
	}
	now := time.Now()
	list, err := s.app.Notices(c.UserContext(), snap, rows, now)
	if err != nil {
		return err
	}
	smtp, err := s.app.SMTPConfigured(c.UserContext())
	if err != nil {
		return err
	}
	d := sendData{Scope: export.Scope{Filter: f}.Describe(), Query: template.URL(noticeQuery(f)), SMTP: smtp}
	var ready []app.Outgoing
	for _, o := range list {
		d.Lines = append(d.Lines, sendLine{Municipality: o.Notice.Municipality, IBGE: o.Notice.IBGE, Subject: o.Message.Subject, To: o.Message.To})
		if len(o.Message.To) > 0 {
			ready = append(ready, o)
		}
	}
	d.Ready = len(ready)
	noStore(c)
	if c.FormValue("confirmar") != "1" {
		return s.render(c, page{Name: "avisos-envio", Title: "Enviar avisos por e-mail", Nav: "avisos", Data: d})
	}
	if !smtp {
		c.Status(fiber.StatusConflict)
		d.Message = "Nenhum servidor de e-mail configurado: baixe os avisos como arquivos .eml e envie-os pelo seu programa de e-mail."
		return s.render(c, page{Name: "avisos-envio", Title: "Enviar avisos por e-mail", Nav: "avisos", Data: d})
	}
	sent, err := s.app.SendNotices(c.UserContext(), ready, p.Email, clientIP(c), now)
	if err != nil {
		c.Status(fiber.StatusBadGateway)
		d.Message = "O servidor de e-mail não aceitou a conexão; nada foi enviado. Detalhe: " + err.Error()
		return s.render(c, page{Name: "avisos-envio", Title: "Enviar avisos por e-mail", Nav: "avisos", Data: d})
	}
	d.Sent, d.Lines = true, nil
	for _, r := range sent {
		l := sendLine{Municipality: r.Notice.Municipality, IBGE: r.Notice.IBGE, Subject: r.Message.Subject, To: r.Message.To, Result: "enviado"}
		if r.Err != nil {
			l.Result, l.Failed = "falha: "+r.Err.Error(), true
			d.Failed++
		} else {
			d.OK++
		}
		d.Lines = append(d.Lines, l)
	}
	return s.render(c, page{Name: "avisos-envio", Title: "Avisos enviados", Nav: "avisos", Data: d})
}
