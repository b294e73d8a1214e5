package server

import (
	"bytes"
	"errors"
	"mime"
	"mime/multipart"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/store"
)

// Cookie names.
const (
	sessionCookie = "tm_sessao"
	csrfCookie    = "tm_csrf" // anonymous forms (login, self-check): double-submit token
	principalKey  = "principal"
)

// contentSecurityPolicy: everything from this server, no inline script.
// ECharts writes its tooltip and canvas sizes as style attributes, hence
// style-src-attr (attributes only; <style> elements stay forbidden).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", contentSecurityPolicy)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	// Browsers honour these two over HTTPS only (and log an error for
	// COOP on a plain-HTTP intranet address).
	if clientOf(c).HTTPS {
		c.Set("Cross-Origin-Opener-Policy", "same-origin")
		c.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000")
	}
	return c.Next()
}

// session resolves the session cookie into the request's principal.
func (s *Server) session(c *fiber.Ctx) error {
	token := c.Cookies(sessionCookie)
	if token == "" {
		return c.Next()
	}
	p, err := s.sessions.Resolve(c.UserContext(), token)
	switch {
	case errors.Is(err, auth.ErrNoSession):
		s.clearCookie(c, sessionCookie)
	case err != nil:
		return err
	default:
		c.Locals(principalKey, p)
	}
	return c.Next()
}

// principal is the logged-in user of the request (nil: the public).
func principal(c *fiber.Ctx) *auth.Principal {
	p, _ := c.Locals(principalKey).(*auth.Principal)
	return p
}

// csrf refuses a state-changing request whose token does not match the
// session's (logged in) or the double-submit cookie's (anonymous forms).
func (s *Server) csrf(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	want := c.Cookies(csrfCookie)
	if !auth.IsToken(want) {
		want = "" // never matches
	}
	if p := principal(c); p != nil {
		want = p.CSRF
	}
	got := c.Get("X-CSRF-Token")
	if got == "" {
		got = formToken(c)
	}
	if !auth.SameToken(want, got) || !sameOrigin(c) {
		return fiber.NewError(fiber.StatusForbidden,
			"O formulário expirou ou não veio desta página. Volte, recarregue a página e tente de novo.")
	}
	return c.Next()
}

// formToken reads the form's csrf field: from the upload's stream for the
// import centre, from the (bounded) body for every other form.
func formToken(c *fiber.Ctx) string {
	if isUpload(c) {
		return multipartToken(c)
	}
	_, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || params["boundary"] == "" {
		return c.FormValue("csrf")
	}
	return csrfPart(multipart.NewReader(bytes.NewReader(c.Body()), params["boundary"]), false)
}

// sameOrigin checks the Origin header when the browser sends one.
func sameOrigin(c *fiber.Ctx) bool {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" || origin == "null" {
		return origin == ""
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == c.Hostname()
}

// csrfToken is the token the page's forms carry: the session's, or the
// anonymous double-submit cookie (created when missing).
func (s *Server) csrfToken(c *fiber.Ctx) string {
	if p := principal(c); p != nil {
		return p.CSRF
	}
	if t := c.Cookies(csrfCookie); auth.IsToken(t) {
		return t
	}
	t := auth.NewToken()
	s.setCookie(c, csrfCookie, t, 0)
	return t
}

// Cookies are Secure when the request came over HTTPS (directly or through
// a trusted proxy): a browser would not send a Secure cookie back over
// plain HTTP, and an intranet server reached by http://nome must work.
func (s *Server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	c.Cookie(&fiber.Cookie{Name: name, Value: value, Path: "/", HTTPOnly: true, Secure: clientOf(c).HTTPS,
		SameSite: fiber.CookieSameSiteLaxMode, MaxAge: int(maxAge.Seconds())})
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", HTTPOnly: true, Secure: clientOf(c).HTTPS,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Unix(1, 0), MaxAge: -1})
}

// audit appends to the audit log on behalf of the request's user. The
// public's actions (anyone can repeat them at will) are counted on one
// entry per client, action and outcome every audit.AnonymousWindow, so
// the log cannot be flooded.
func (s *Server) audit(c *fiber.Ctx, action, target, detail, outcome string) error {
	if p := principal(c); p != nil {
		return s.auditAs(c, p.Email, action, target, detail, outcome)
	}
	return s.auditAnonymous(c, action, target, detail, outcome)
}

func (s *Server) auditAnonymous(c *fiber.Ctx, action, target, detail, outcome string) error {
	return s.app.Store.AuditAnonymous(c.UserContext(), store.AuditEntry{Action: action, Target: target, Detail: detail,
		IP: clientIP(c), Outcome: outcome}, audit.AnonymousWindow)
}

func (s *Server) auditAs(c *fiber.Ctx, actor, action, target, detail, outcome string) error {
	return s.app.Store.Audit(c.UserContext(), store.AuditEntry{Actor: actor, Action: action, Target: target, Detail: detail,
		IP: clientIP(c), Outcome: outcome})
}

// requireUser returns the logged-in user, or sends the browser to the
// login page (and back here afterwards).
func (s *Server) requireUser(c *fiber.Ctx) (*auth.Principal, error) {
	if p := principal(c); p != nil {
		return p, nil
	}
	return nil, c.Redirect("/entrar?volta="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
}

// deny records and refuses an access outside the user's role or scope.
func (s *Server) deny(c *fiber.Ctx, target string) error {
	if err := s.audit(c, audit.Denied, target, c.Method()+" "+c.OriginalURL(), audit.Refused); err != nil {
		return err
	}
	return fiber.NewError(fiber.StatusForbidden, "Seu perfil de acesso não permite ver estes dados.")
}

// requireAdmin lets only SES administrators through.
func (s *Server) requireAdmin(c *fiber.Ctx) error {
	p, err := s.requireUser(c)
	if p == nil {
		return err
	}
	if !p.IsAdmin() {
		return s.deny(c, c.Path())
	}
	return c.Next()
}

// safeReturn keeps a post-login redirect on this site: only a clean path
// of printable ASCII, without a host, a scheme or a backslash. Browsers
// drop tabs and line breaks from addresses, so "/\t/evil.example" would
// become "//evil.example", another site; anything doubtful goes home.
func safeReturn(v string) string {
	const home = "/conta"
	if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") || len(v) > 2000 {
		return home
	}
	for i := 0; i < len(v); i++ {
		if v[i] <= ' ' || v[i] >= 0x7f || v[i] == '\\' {
			return home
		}
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || strings.HasPrefix(u.Path, "//") {
		return home
	}
	return v
}

// noStore marks a response with personal data as not to be kept by any
// cache (browser or proxy).
func noStore(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderPragma, "no-cache")
}
