// Package server is the HTTP side: Fiber routes, thin handlers that read
// the evaluated snapshot and render pages or JSON. Personal data never
// leaves through the public routes here.
package server

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/etag"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/charts"
	"github.com/ses-mg/telemonitor/internal/store"
	"github.com/ses-mg/telemonitor/internal/uploads"
	"github.com/ses-mg/telemonitor/web"
)

// Options tune the server.
type Options struct {
	// TrustedProxies are the reverse proxies in front of the server; only
	// from them are ProxyHeader and X-Forwarded-Proto believed. Empty:
	// the connection's address is the client's.
	TrustedProxies []netip.Prefix
	// ProxyHeader names the header the proxies append the client's
	// address to (default X-Forwarded-For).
	ProxyHeader string
	// StagingDir keeps the import centre's previews; the default is the
	// folder "envios" beside the database.
	StagingDir string
	// Limits of one upload to the import centre (default uploads.DefaultLimits).
	Limits *uploads.Limits
}

// Server is the HTTP server.
type Server struct {
	app    *app.App
	fiber  *fiber.App
	assets web.Assets
	pages  map[string]*template.Template
	cache  *pageCache
	// build identifies this program's templates and assets; it is part of
	// the pages' ETags so a new release is never answered with a 304.
	build    string
	opt      Options
	sessions *auth.Sessions
	throttle *auth.Throttle
	staging  *uploads.Area
	limits   uploads.Limits
	proxies  proxyTrust
	health   healthCache
	static   map[string]staticAsset // by file name
	// requests is the context of every request's work (c.UserContext):
	// it outlives the listener's shutdown, so requests in flight finish,
	// and is cancelled only when the shutdown's grace period is over.
	requests     context.Context
	stopRequests context.CancelFunc
}

// New builds the server. It panics on a broken embedded asset, which is a
// build defect caught by the tests; the error is for the staging folder.
func New(a *app.App, opt Options) (*Server, error) {
	geo, err := data.Territory.ReadFile("mg/mg_municipios.geojson")
	if err != nil {
		panic(err)
	}
	assets, err := web.LoadAssets(map[string][]byte{"mapa-mg.js": charts.RegisterMapJS(geo), "classes.css": charts.ClassCSS()})
	if err != nil {
		panic(err)
	}
	if opt.StagingDir == "" {
		opt.StagingDir = filepath.Join(filepath.Dir(a.Store.Path()), "envios")
	}
	staging, err := uploads.OpenArea(opt.StagingDir)
	if err != nil {
		return nil, err
	}
	s := &Server{app: a, assets: assets, opt: opt, sessions: auth.NewSessions(a.Store), throttle: auth.NewThrottle(),
		staging: staging, limits: uploads.DefaultLimits, cache: newPageCache(defaultCacheBudget)}
	s.requests, s.stopRequests = context.WithCancel(context.Background())
	s.proxies = proxyTrust{header: opt.ProxyHeader, nets: opt.TrustedProxies}
	if s.proxies.header == "" {
		s.proxies.header = fiber.HeaderXForwardedFor
	}
	if opt.Limits != nil {
		s.limits = *opt.Limits
	}
	s.pages = mustParsePages(assets)
	s.static = encodeAssets(assets)
	s.build = buildID(assets)
	s.fiber = fiber.New(fiber.Config{
		DisableStartupMessage: true,
		// Every value a handler takes from the request (parameters,
		// headers, cookies, the URL) is its own copy: fasthttp reuses the
		// request's buffers once the handler returns, and values kept in
		// the page cache, sessions or the audit log outlive it.
		Immutable:    true,
		ErrorHandler: s.errorHandler,
		ReadTimeout:  60 * time.Second,
		WriteTimeout: 60 * time.Second,
		// Bodies are streams, bounded by limitBodies before anything
		// reads them; the body limit is how much is read ahead.
		BodyLimit:                    maxFormBytes,
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
	})
	s.routes()
	return s, nil
}

// Handler exposes the Fiber app (for tests).
func (s *Server) Handler() *fiber.App { return s.fiber }

func (s *Server) routes() {
	f := s.fiber
	f.Use(s.identify, s.securityHeaders, s.limitBodies)
	f.Use(compress.New())
	f.Get("/static/:file", s.serveStatic)
	f.Use(etag.New())
	f.Get("/healthz", s.healthz)
	f.Use(s.session, s.csrf)
	f.Get("/entrar", s.loginForm)
	f.Post("/entrar", s.login)
	f.Post("/sair", s.logout)
	f.Get("/conta", s.account)
	f.Get("/municipios/:ibge/profissionais", s.professionals)
	f.Get("/exportar/profissionais.xlsx", s.exportProfessionals)
	// SES administrators only (each route carries the check itself: a
	// Fiber group with an empty prefix would guard every later route).
	admin := s.requireAdmin
	f.Get("/importacoes", admin, s.imports)
	f.Post("/importacoes", admin, s.upload)
	f.Get("/importacoes/previa/:id", admin, s.preview)
	f.Post("/importacoes/previa/:id/confirmar", admin, s.confirm)
	f.Post("/importacoes/previa/:id/descartar", admin, s.discard)
	f.Get("/importacoes/lotes/:id", admin, s.batch)
	f.Get("/importacoes/lotes/:id/original", admin, s.batchOriginal)
	f.Get("/importacoes/recusados/:id/original", admin, s.refusedOriginal)
	// Any logged-in user: each gets the rows of their scope, masked per role.
	f.Get("/importacoes/lotes/:id/rejeicoes.xlsx", s.batchRejections)
	f.Get("/conciliacao", s.desk)
	f.Get("/qualidade", s.quality)
	f.Post("/conciliacao/vincular", s.link)
	f.Post("/conciliacao/desfazer/:id", s.unlink)
	f.Get("/admin/auditoria", admin, s.auditPage)
	f.Get("/admin/auditoria.csv", admin, s.auditCSV)
	// Settings, notices, digests and the follow-up log (each handler checks
	// the role and the scope itself, except the admin's settings).
	f.Get("/admin/configuracoes", admin, s.settingsPage)
	f.Post("/admin/configuracoes", admin, s.saveSettings)
	f.Get("/avisos", s.noticesPage)
	f.Get("/avisos/eml", s.noticesEML)
	f.Get("/avisos/enviar", s.noticesSend)
	f.Post("/avisos/enviar", s.noticesSend)
	f.Get("/avisos/resumo", s.digestPage)
	f.Post("/avisos/resumo", s.digestPage)
	f.Get("/municipios/:ibge/aviso", s.noticesPage)
	f.Get("/municipios/:ibge/acompanhamento", s.followupsPage)
	f.Post("/municipios/:ibge/acompanhamento", s.addFollowup)
	f.Get("/acompanhamento", s.followupsPage)
	f.Get("/acompanhamento.csv", s.followupsCSV)
	f.Get("/", s.cached(s.filterKey, s.index))
	f.Get("/abrangencia", s.cached(s.abrangenciaKey, s.abrangencia))
	f.Get("/municipios/:ibge", s.cached(municipioKey, s.municipio))
	f.Get("/ajuda", s.cached(fixedKey, s.ajuda))
	f.Get("/relatorios/imprimir", s.cached(s.filterKey, s.report))
	f.Get("/mudancas", s.cached(s.mudancasKey, s.mudancas))
	f.Get("/teleconsultorias", s.cached(teleKey, s.teleconsultorias))
	f.Get("/exportar/mudancas.xlsx", s.exportMudancas("xlsx"))
	f.Get("/exportar/mudancas.csv", s.exportMudancas("csv"))
	f.Get("/exportar/teleconsultorias.xlsx", s.exportTeleconsultorias("xlsx"))
	f.Get("/exportar/teleconsultorias.csv", s.exportTeleconsultorias("csv"))
	f.Get("/exportar/municipios.xlsx", s.exportMunicipios("xlsx"))
	f.Get("/exportar/municipios.csv", s.exportMunicipios("csv"))
	f.Get("/profissional", s.profissionalForm)
	f.Post("/profissional", s.selfCheckLimiter(), s.profissionalCheck)
	api := f.Group("/api/v1")
	api.Get("/municipios", s.cachedJSON(s.filterKey, s.apiMunicipios))
	api.Get("/municipios/:ibge", s.cachedJSON(municipioKey, s.apiMunicipio))
	api.Get("/resumo", s.cachedJSON(fixedKey, s.apiResumo))
	f.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

// stagingMaxAge is how long an unconfirmed import preview is kept.
const stagingMaxAge = 24 * time.Hour

// sweep removes expired sessions and abandoned previews, hourly.
func (s *Server) sweep(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := s.sessions.Sweep(ctx); err != nil && ctx.Err() == nil {
			slog.Error("sweep sessions", "err", err)
		}
		if err := s.staging.Sweep(stagingMaxAge); err != nil {
			slog.Error("sweep previews", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// shutdownGrace is how long requests in flight may take to finish once
// the server is asked to stop (an import being confirmed takes seconds).
const shutdownGrace = 30 * time.Second

// Listen serves until ctx is cancelled, then stops taking connections and
// lets the requests in flight finish, for shutdownGrace at most.
func (s *Server) Listen(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve is Listen on a listener of the caller's.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go s.sweep(ctx)
	go s.digestLoop(ctx)
	go func() { errc <- s.fiber.Listener(ln) }()
	select {
	case err := <-errc:
		s.stopRequests()
		return err
	case <-ctx.Done():
		slog.Info("shutting down: finishing the requests in flight", "grace", shutdownGrace)
		err := s.fiber.ShutdownWithTimeout(shutdownGrace)
		s.stopRequests()
		return errors.Join(err, s.staging.Close())
	}
}

// apiError is the JSON error body.
type apiError struct {
	Erro string `json:"erro"`
}

func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	code := fiber.StatusInternalServerError
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code = fe.Code
	} else {
		slog.Error("request failed", "path", c.Path(), "err", err)
	}
	msg := "erro interno"
	if code < 500 && fe != nil {
		msg = fe.Message
	}
	if strings.HasPrefix(c.Path(), "/api/") {
		return c.Status(code).JSON(apiError{Erro: msg})
	}
	if code == fiber.StatusNotFound && msg == fiber.ErrNotFound.Message {
		msg = "Página não encontrada."
	}
	return s.errorPage(c, code, msg)
}

// healthz answers 200 only when the database takes a write and its disk
// has room: a monitor must learn of a read-only or full disk before an
// import fails on it. Checks run at most once a second, whoever asks.
func (s *Server) healthz(c *fiber.Ctx) error {
	h := s.health.get(func() store.Health { return s.app.Store.CheckHealth(c.UserContext()) })
	c.Set(fiber.HeaderCacheControl, "no-store")
	body := fiber.Map{"status": "ok", "espaco_livre_mb": h.FreeBytes >> 20}
	if !h.OK() {
		slog.Error("health check failed", "err", h.Err)
		body["status"] = "erro"
		body["erro"] = "o banco de dados não aceita gravação (somente leitura, disco cheio ou indisponível)"
		if h.LowSpace {
			body["erro"] = "pouco espaço livre no disco do banco de dados"
		}
		return c.Status(fiber.StatusServiceUnavailable).JSON(body)
	}
	return c.JSON(body)
}

// healthCache keeps the last health check for a second.
type healthCache struct {
	mu   sync.Mutex
	at   time.Time
	last store.Health
}

func (hc *healthCache) get(check func() store.Health) store.Health {
	hc.mu.Lock()
	defer hc.mu.Unlock()
	if time.Since(hc.at) > time.Second {
		hc.last, hc.at = check(), time.Now()
	}
	return hc.last
}

// serveStatic serves an embedded asset, compressed once at start-up.
func (s *Server) serveStatic(c *fiber.Ctx) error {
	a, ok := s.static[c.Params("file")]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, a.contentType)
	return a.body.send(c, "")
}

// staticAsset is an asset with its compressed forms.
type staticAsset struct {
	contentType string
	body        encoded
}

// encodeAssets compresses every asset once, by the file name of its URL.
func encodeAssets(assets web.Assets) map[string]staticAsset {
	out := make(map[string]staticAsset, len(assets))
	for _, a := range assets {
		out[strings.TrimPrefix(a.URL, "/static/")] = staticAsset{contentType: a.ContentType, body: encode(a.Body)}
	}
	return out
}
