// Package server is the HTTP side: Fiber routes, thin handlers that read
// the evaluated snapshot and render pages or JSON. Personal data never
// leaves through the public routes here.
package server

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/etag"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/charts"
	"github.com/ses-mg/telemonitor/web"
)

// Options tune the server.
type Options struct {
	// ProxyHeader names the header that carries the client's address when
	// the server runs behind a reverse proxy (e.g. X-Forwarded-For); empty
	// means the connection's address is the client's.
	ProxyHeader string
}

// Server is the HTTP server.
type Server struct {
	app    *app.App
	fiber  *fiber.App
	assets web.Assets
	pages  map[string]*template.Template
	cache  pageCache
	// build identifies this program's templates and assets; it is part of
	// the pages' ETags so a new release is never answered with a 304.
	build string
}

// New builds the server; it panics only on a broken embedded asset, which
// is a build defect caught by the tests.
func New(a *app.App, opt Options) *Server {
	geo, err := data.Territory.ReadFile("mg/mg_municipios.geojson")
	if err != nil {
		panic(err)
	}
	assets, err := web.LoadAssets(map[string][]byte{"mapa-mg.js": charts.RegisterMapJS(geo), "classes.css": charts.ClassCSS()})
	if err != nil {
		panic(err)
	}
	s := &Server{app: a, assets: assets}
	s.pages = mustParsePages(assets)
	s.build = buildID(assets)
	s.fiber = fiber.New(fiber.Config{
		DisableStartupMessage: true,
		ErrorHandler:          s.errorHandler,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		ProxyHeader:           opt.ProxyHeader,
	})
	s.routes()
	return s
}

// Handler exposes the Fiber app (for tests).
func (s *Server) Handler() *fiber.App { return s.fiber }

func (s *Server) routes() {
	f := s.fiber
	f.Use(compress.New())
	f.Get("/static/:file", s.static)
	f.Use(etag.New())
	f.Get("/healthz", s.healthz)
	f.Get("/", s.cached(s.index))
	f.Get("/abrangencia", s.cached(s.abrangencia))
	f.Get("/municipios/:ibge", s.cached(s.municipio))
	f.Get("/ajuda", s.cached(s.ajuda))
	f.Get("/relatorios/imprimir", s.cached(s.report))
	f.Get("/exportar/municipios.xlsx", s.exportMunicipios("xlsx"))
	f.Get("/exportar/municipios.csv", s.exportMunicipios("csv"))
	f.Get("/profissional", s.profissionalForm)
	f.Post("/profissional", s.selfCheckLimiter(), s.profissionalCheck)
	api := f.Group("/api/v1")
	api.Get("/municipios", s.apiMunicipios)
	api.Get("/municipios/:ibge", s.apiMunicipio)
	api.Get("/resumo", s.apiResumo)
	f.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

// Listen serves until ctx is cancelled.
func (s *Server) Listen(ctx context.Context, addr string) error {
	errc := make(chan error, 1)
	go func() { errc <- s.fiber.Listen(addr) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		slog.Info("shutting down")
		return s.fiber.ShutdownWithTimeout(10 * time.Second)
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

func (s *Server) healthz(c *fiber.Ctx) error {
	if err := s.app.Store.Ping(c.Context()); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "erro", "erro": "banco indisponível"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

func (s *Server) static(c *fiber.Ctx) error {
	name := c.Params("file")
	for _, a := range s.assets {
		if a.URL == "/static/"+name {
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
			c.Set(fiber.HeaderContentType, a.ContentType)
			return c.Send(a.Body)
		}
	}
	return fiber.ErrNotFound
}
