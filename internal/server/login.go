package server

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/monitor"
)

type loginData struct {
	Email   string
	Return  string
	Message string
}

func (s *Server) loginForm(c *fiber.Ctx) error {
	if p := principal(c); p != nil {
		return c.Redirect(landing(p, c.Query("volta")), fiber.StatusSeeOther)
	}
	return s.renderLogin(c, loginData{Return: c.Query("volta")})
}

func (s *Server) renderLogin(c *fiber.Ctx, d loginData) error {
	noStore(c)
	return s.render(c, page{Name: "entrar", Title: "Entrar", Nav: "entrar", Data: d})
}

// login checks the throttle, then the password; every outcome is audited.
func (s *Server) login(c *fiber.Ctx) error {
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	if len(email) > 200 {
		email = email[:200]
	}
	d := loginData{Email: email, Return: c.FormValue("volta")}
	if wait, blocked := s.throttle.Blocked(email, clientIP(c)); blocked {
		// Refused before the password is checked, as often as the client
		// likes: counted like the public's actions.
		if err := s.auditAnonymous(c, audit.LoginThrottled, email, "", audit.Refused); err != nil {
			return err
		}
		minutes := int(math.Ceil(wait.Minutes()))
		d.Message = fmt.Sprintf("Muitas tentativas de entrada com este e-mail ou a partir deste endereço. "+
			"Por segurança, aguarde %d minuto(s) e tente de novo. Se esqueceu a senha, peça uma nova à SES-MG.", minutes)
		c.Status(fiber.StatusTooManyRequests)
		c.Set(fiber.HeaderRetryAfter, fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		return s.renderLogin(c, d)
	}
	token, p, err := s.sessions.Login(c.UserContext(), email, c.FormValue("senha"), auth.Client{IP: clientIP(c), UserAgent: c.Get(fiber.HeaderUserAgent)})
	if errors.Is(err, auth.ErrBadCredentials) {
		s.throttle.Fail(email, clientIP(c))
		if err := s.auditAs(c, email, audit.LoginFailed, email, "", audit.Failed); err != nil {
			return err
		}
		d.Message = "E-mail ou senha incorretos."
		c.Status(fiber.StatusUnauthorized)
		return s.renderLogin(c, d)
	}
	if err != nil {
		return err
	}
	s.throttle.Succeed(email)
	if old := c.Cookies(sessionCookie); old != "" {
		if err := s.sessions.Logout(c.UserContext(), old); err != nil {
			return err
		}
	}
	s.setCookie(c, sessionCookie, token, 0)
	c.Locals(principalKey, p)
	if err := s.audit(c, audit.Login, email, "", audit.OK); err != nil {
		return err
	}
	return c.Redirect(landing(p, d.Return), fiber.StatusSeeOther)
}

// landing is where a login leads: the page asked for (on this site), else
// the user's own scope: an URS user's dashboard filtered to the URS, a
// focal point's municipality page; the admin's area. The menu's "Painel
// estadual" is always the whole state.
func landing(p *auth.Principal, ret string) string {
	if ret != "" {
		return safeReturn(ret)
	}
	switch p.Role {
	case auth.URS:
		return "/?" + url.Values{"urs": {p.URS}}.Encode()
	case auth.Municipio:
		return "/municipios/" + url.PathEscape(p.IBGE)
	}
	return safeReturn("")
}

func (s *Server) logout(c *fiber.Ctx) error {
	if err := s.audit(c, audit.Logout, "", "", audit.OK); err != nil {
		return err
	}
	if err := s.sessions.Logout(c.UserContext(), c.Cookies(sessionCookie)); err != nil {
		return err
	}
	s.clearCookie(c, sessionCookie)
	return c.Redirect("/", fiber.StatusSeeOther)
}

type accountData struct {
	Role  string
	Scope string
	Admin bool
	IBGE  string
	Rows  []monitor.Row // municipalities whose personal data the user sees
	URS   string
}

// account is the user's home: what they may see, with links.
func (s *Server) account(c *fiber.Ctx) error {
	p, err := s.requireUser(c)
	if p == nil {
		return err
	}
	snap, err := s.app.Snapshot(c.UserContext())
	if err != nil {
		return err
	}
	d := accountData{Role: p.Role.Label(), Scope: p.ScopeLabel(s.app.Territory), Admin: p.IsAdmin(), IBGE: p.IBGE, URS: p.URS}
	if !p.IsAdmin() {
		for _, r := range snap.Rows {
			if p.CanSee(r.Municipality) {
				d.Rows = append(d.Rows, r)
			}
		}
	}
	noStore(c)
	return s.render(c, page{Name: "conta", Title: "Minha área", Nav: "conta", Data: d})
}
