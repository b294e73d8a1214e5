package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html/template"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/guidance"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/web"
)

var pageNames = []string{"index", "municipio", "abrangencia", "profissional", "ajuda", "erro", "relatorio",
	"entrar", "conta", "profissionais", "auditoria", "importacoes", "previa", "lote", "mudancas", "teleconsultorias", "conciliacao", "qualidade"}

func mustParsePages(assets web.Assets) map[string]*template.Template {
	funcs := template.FuncMap{
		"asset": func(name string) string {
			u := assets.URL(name)
			if u == "" {
				panic("missing asset " + name)
			}
			return u
		},
		"date":          present.Date,
		"thousands":     present.Thousands,
		"pct":           percent,
		"datetime":      func(t time.Time) string { return t.Format("02/01/2006 15:04:05") },
		"careLevel":     present.CareLevel,
		"kindLabel":     present.KindLabel,
		"situation":     func(s string) string { return present.Situation[conditions.Situation(s)] },
		"mb":            func(n int64) int64 { return n >> 20 },
		"conditionList": present.ConditionList,
		"tel":           telURL,
		"sesMailbox":    func() string { return guidance.Current().SESMailbox }, // from the settings
	}
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(web.Templates, "templates/layout.html", "templates/"+name+".html"))
		pages[name] = t
	}
	return pages
}

// page is what a page handler returns: the template and its data.
type page struct {
	Name  string
	Title string
	Nav   string // which menu entry is current
	Data  any
	User  *auth.Principal // nil on public pages
	Scope string          // the user's scope in words
	CSRF  string          // the token the page's forms carry
}

func (s *Server) renderBytes(p page) ([]byte, error) {
	var buf bytes.Buffer
	if err := s.pages[p.Name].Execute(&buf, p); err != nil {
		return nil, fmt.Errorf("render %s: %w", p.Name, err)
	}
	return buf.Bytes(), nil
}

// render renders a page for this request's user (never cached).
func (s *Server) render(c *fiber.Ctx, p page) error {
	p.User, p.CSRF = principal(c), s.csrfToken(c)
	if p.User != nil {
		p.Scope = p.User.ScopeLabel(s.app.Territory)
	}
	b, err := s.renderBytes(p)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(b)
}

// pageFunc builds a public page from the current snapshot.
type pageFunc func(c *fiber.Ctx, snap *monitor.Snapshot) (page, error)

// keyFunc names what a cached answer depends on, built from validated
// parameters only, so that unknown or invalid parameters never make new
// cache entries. An error answers the request instead (400, 404); an empty
// key means the answer is built for this request and not kept.
type keyFunc func(c *fiber.Ctx, snap *monitor.Snapshot) (string, error)

// cached serves a public page per data version: the ETag names the
// version and the key, so a browser's repeat visit costs a 304, and the
// rendered bytes are kept until the data changes. A logged-in user gets
// the page rendered for them (their menu), never from or into the cache.
func (s *Server) cached(key keyFunc, fn pageFunc) fiber.Handler {
	build := func(c *fiber.Ctx, snap *monitor.Snapshot) ([]byte, error) {
		p, err := fn(c, snap)
		if err != nil {
			return nil, err
		}
		return s.renderBytes(p)
	}
	personal := func(c *fiber.Ctx, snap *monitor.Snapshot) error {
		p, err := fn(c, snap)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "private, no-cache")
		return s.render(c, p)
	}
	return s.cachedBytes(fiber.MIMETextHTMLCharsetUTF8, key, build, personal)
}

// cachedJSON serves an API answer per data version, like cached.
func (s *Server) cachedJSON(key keyFunc, fn func(c *fiber.Ctx, snap *monitor.Snapshot) (any, error)) fiber.Handler {
	return s.cachedBytes(fiber.MIMEApplicationJSONCharsetUTF8, key, func(c *fiber.Ctx, snap *monitor.Snapshot) ([]byte, error) {
		v, err := fn(c, snap)
		if err != nil {
			return nil, err
		}
		return json.Marshal(v)
	}, nil)
}

// cachedBytes answers from the cache of the current data version, or
// builds, keeps and sends the body. personal, when set, answers a
// logged-in user instead (never cached).
func (s *Server) cachedBytes(contentType string, key keyFunc, build func(*fiber.Ctx, *monitor.Snapshot) ([]byte, error),
	personal func(*fiber.Ctx, *monitor.Snapshot) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		snap, err := s.app.Current(c.UserContext())
		if err != nil {
			return err
		}
		if personal != nil && principal(c) != nil {
			return personal(c, snap)
		}
		k, err := key(c, snap)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, contentType)
		if k == "" {
			c.Set(fiber.HeaderCacheControl, "no-cache")
			b, err := build(c, snap)
			if err != nil {
				return err
			}
			return c.Send(b)
		}
		// The route's pattern is the app's own string, never the request's.
		k = c.Route().Path + "\x00" + k
		h := fnv.New64a()
		h.Write([]byte(k))
		etag := fmt.Sprintf(`"%.16s-%s-%x"`, snap.Version, s.build, h.Sum64())
		c.Set(fiber.HeaderCacheControl, "no-cache")
		if e, ok := s.cache.get(snap.Version, k); ok {
			return e.send(c, etag)
		}
		b, err := build(c, snap)
		if err != nil {
			return err
		}
		// Compressed once here, for every later request of this version.
		e := encode(b)
		s.cache.put(snap.Version, k, e)
		return e.send(c, etag)
	}
}

// fixedKey is the key of a page without parameters.
func fixedKey(*fiber.Ctx, *monitor.Snapshot) (string, error) { return "-", nil }

// filterKey is the key of a page of the list filters: the validated
// filter, whatever else the address carries.
func (s *Server) filterKey(c *fiber.Ctx, _ *monitor.Snapshot) (string, error) {
	f, err := s.validFilter(c)
	if err != nil {
		return "", err
	}
	return strings.Join([]string{f.IBGE, f.Macro, f.Micro, f.URS, f.Nucleo, f.Situacao, strconv.FormatBool(f.All),
		f.Condition, f.ConditionState, strconv.Itoa(f.Missing)}, "\x00"), nil
}

// municipioKey is the key of a municipality's page: its canonical code
// (a 6-digit code and its 7-digit form share the entry).
func municipioKey(c *fiber.Ctx, snap *monitor.Snapshot) (string, error) {
	r, err := municipioParam(c, snap)
	if err != nil {
		return "", err
	}
	return r.Municipality.IBGE, nil
}

// buildID hashes the templates and the asset URLs (which carry their
// content hashes).
func buildID(assets web.Assets) string {
	h := fnv.New64a()
	names := make([]string, 0, len(assets))
	for name := range assets {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, n := range names {
		h.Write([]byte(assets[n].URL))
	}
	fs.WalkDir(web.Templates, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := web.Templates.ReadFile(p)
			h.Write(b)
		}
		return nil
	})
	return fmt.Sprintf("%x", h.Sum64())[:8]
}

// errorPage renders a Portuguese error page for people (the API answers
// JSON instead).
func (s *Server) errorPage(c *fiber.Ctx, code int, msg string) error {
	p := page{Name: "erro", Title: "Erro", Data: struct {
		Code int
		Msg  string
	}{code, msg}}
	// A logged-in user keeps their menu, and a 403 says what they may see.
	if p.User = principal(c); p.User != nil {
		p.Scope, p.CSRF = p.User.ScopeLabel(s.app.Territory), p.User.CSRF
	}
	b, err := s.renderBytes(p)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(code).Send(b)
}

func percent(n, total int) string {
	if total == 0 {
		return "0%"
	}
	return strings.Replace(fmt.Sprintf("%.1f%%", 100*float64(n)/float64(total)), ".", ",", 1)
}
