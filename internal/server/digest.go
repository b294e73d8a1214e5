package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/mail"
	"github.com/ses-mg/telemonitor/internal/notices"
)

type digestData struct {
	Digest  notices.Digest
	Message mail.Message
	SMTP    bool
	Result  string
	Failed  bool
}

// digestURS is the URS of a digest request: an URS user's own, any for
// the admin (?urs=); nobody else.
func (s *Server) digestURS(c *fiber.Ctx) (*auth.Principal, string, error) {
	p, err := s.requireUser(c)
	if p == nil {
		return nil, "", err
	}
	urs := c.Query("urs")
	switch {
	case p.Role == auth.URS && (urs == "" || urs == p.URS):
		return p, p.URS, nil
	case p.IsAdmin() && urs != "":
		for _, u := range s.app.Territory.URSs() {
			if u.Name == urs {
				return p, urs, nil
			}
		}
		return nil, "", fiber.NewError(fiber.StatusBadRequest, "URS desconhecida: "+urs)
	case p.IsAdmin():
		return nil, "", fiber.NewError(fiber.StatusBadRequest, "Escolha a URS do resumo (?urs=).")
	}
	return nil, "", s.deny(c, "resumo semanal")
}

// digestPage previews an URS's weekly digest; POST sends it now.
func (s *Server) digestPage(c *fiber.Ctx) error {
	p, urs, err := s.digestURS(c)
	if p == nil {
		return err
	}
	now := time.Now()
	d := digestData{}
	if c.Method() == fiber.MethodPost {
		if _, err := s.app.SendDigest(c.UserContext(), urs, p.Email, clientIP(c), now); err != nil {
			d.Result, d.Failed = "Não foi possível enviar: "+err.Error(), true
			c.Status(fiber.StatusBadGateway)
		} else {
			d.Result = "Resumo enviado."
		}
	}
	if d.Digest, d.Message, err = s.app.Digest(c.UserContext(), urs, now); err != nil {
		return err
	}
	if d.SMTP, err = s.app.SMTPConfigured(c.UserContext()); err != nil {
		return err
	}
	noStore(c)
	return s.render(c, page{Name: "resumo", Title: "Resumo semanal da URS " + urs, Nav: "avisos", Data: d})
}

// digestLoop sends the weekly digests when due (checked every 10 minutes).
func (s *Server) digestLoop(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if n, err := s.app.DigestsDue(ctx, time.Now()); err != nil && ctx.Err() == nil {
			slog.Error("weekly digests", "err", err)
		} else if n > 0 {
			slog.Info("weekly digests sent", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
