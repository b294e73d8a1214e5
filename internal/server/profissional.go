package server

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/ses-mg/telemonitor/internal/guidance"
	"github.com/ses-mg/telemonitor/internal/ident"
)

// selfCheckLimit is how many self-check attempts one address may make per
// selfCheckWindow: enough for typing mistakes, too few to enumerate CPFs.
const (
	selfCheckLimit  = 10
	selfCheckWindow = 10 * time.Minute
)

type selfCheckData struct {
	Asked    bool
	Invalid  string // a message about the typed values themselves
	NotFound bool
	Name     string // municipality
	IBGE     string
	Nucleo   *guidance.Contact
	Steps    []guidance.PathStep
	Limited  bool
}

func (s *Server) selfCheckLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:          selfCheckLimit,
		Expiration:   selfCheckWindow,
		Next:         func(c *fiber.Ctx) bool { return c.Method() != fiber.MethodPost },
		KeyGenerator: clientIP,
		LimitReached: func(c *fiber.Ctx) error {
			c.Status(fiber.StatusTooManyRequests)
			return s.renderSelfCheck(c, selfCheckData{Limited: true})
		},
	})
}

func (s *Server) profissionalForm(c *fiber.Ctx) error {
	return s.renderSelfCheck(c, selfCheckData{})
}

// profissionalCheck answers the self-check. Whatever the reason a CPF and
// e-mail pair does not match (unknown CPF, other e-mail, rejected row),
// the answer is the same neutral message.
func (s *Server) profissionalCheck(c *fiber.Ctx) error {
	d := selfCheckData{Asked: true}
	cpf := ident.CPF(c.FormValue("cpf"), false)
	email := ident.Email(c.FormValue("email"))
	switch {
	case !cpf.Valid:
		d.Invalid = "O CPF digitado não é válido: confira os 11 números."
	case !email.Valid:
		d.Invalid = "O e-mail digitado não é válido."
	default:
		snap, err := s.app.Current(c.UserContext())
		if err != nil {
			return err
		}
		p, r, ok := snap.SelfCheck(cpf.Canonical, email.Canonical)
		if !ok {
			d.NotFound = true
			break
		}
		d.Name, d.IBGE, d.Steps = r.Name, r.Municipality.IBGE, guidance.ProfessionalPath(p, r)
		if ct, ok := guidance.NucleoContact(r.Nucleo()); ok {
			d.Nucleo = &ct
		}
	}
	return s.renderSelfCheck(c, d)
}

func (s *Server) renderSelfCheck(c *fiber.Ctx, d selfCheckData) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, page{Name: "profissional", Title: "Posso usar a teleconsultoria?", Nav: "profissional", Data: d})
}
