package server

import (
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/guidance"
	"github.com/ses-mg/telemonitor/internal/ident"
)

// The self-check is limited per CPF (selfCheckLimit tries per
// selfCheckWindow: enough for typing mistakes, too few to guess the
// e-mail that goes with a CPF) and, much more generously, per address
// (selfCheckAddressLimit): a health unit behind one NAT during a training
// session is dozens of professionals, each with a few tries, while
// enumerating CPFs from one address stays out of reach.
const (
	selfCheckLimit        = 10
	selfCheckAddressLimit = 150
	selfCheckWindow       = 10 * time.Minute
)

// windowCounter counts attempts per key in fixed windows; its memory is
// what one window saw.
type windowCounter struct {
	mu     sync.Mutex
	window time.Duration
	start  time.Time
	counts map[string]int
}

func newWindowCounter(window time.Duration) *windowCounter {
	return &windowCounter{window: window, counts: map[string]int{}}
}

// allow counts one attempt for key and reports whether it is within max.
func (w *windowCounter) allow(key string, max int, now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if now.Sub(w.start) >= w.window {
		w.start, w.counts = now, map[string]int{}
	}
	w.counts[key]++
	return w.counts[key] <= max
}

type selfCheckData struct {
	Asked    bool
	Invalid  string // a message about the typed values themselves
	NotFound bool
	Name     string // municipality
	IBGE     string
	Nucleo   *contact
	Steps    []guidance.PathStep
	Limited  string // why the answer was refused (too many tries)
}

// selfCheckLimiter refuses a self-check past the per-address ceiling or
// the per-CPF limit (429). Addresses are clientIP's (trusted proxies only).
func (s *Server) selfCheckLimiter() fiber.Handler {
	byAddr, byCPF := newWindowCounter(selfCheckWindow), newWindowCounter(selfCheckWindow)
	return func(c *fiber.Ctx) error {
		if c.Method() != fiber.MethodPost {
			return c.Next()
		}
		now := time.Now()
		msg := ""
		if !byAddr.allow(clientIP(c), selfCheckAddressLimit, now) {
			msg = "Muitas consultas seguidas a partir desta rede. Aguarde alguns minutos e tente de novo."
		} else if cpf := ident.CPF(c.FormValue("cpf"), false); cpf.Valid && !byCPF.allow(cpf.Canonical, selfCheckLimit, now) {
			msg = "Muitas consultas seguidas para este CPF. Aguarde alguns minutos e tente de novo."
		}
		if msg == "" {
			return c.Next()
		}
		c.Status(fiber.StatusTooManyRequests)
		return s.renderSelfCheck(c, selfCheckData{Limited: msg})
	}
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
			ctv := contactOf(ct)
			d.Nucleo = &ctv
		}
	}
	return s.renderSelfCheck(c, d)
}

func (s *Server) renderSelfCheck(c *fiber.Ctx, d selfCheckData) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, page{Name: "profissional", Title: "Posso usar a teleconsultoria?", Nav: "profissional", Data: d})
}
