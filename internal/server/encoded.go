package server

import (
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// encoded is a response body with its compressed forms, each made once,
// the first time a client asks for it (a cached page per data version, a
// static asset), instead of on every request: browsers always ask for
// gzip or brotli.
type encoded struct {
	raw []byte
	z   *compressed // nil: too small to compress
}

type compressed struct {
	gzipOnce, brOnce sync.Once
	gzip, br         []byte
}

// Compression levels: the work is done once per body.
const (
	gzipLevel   = 9
	brotliLevel = 6 // brotli's higher levels cost seconds on a dashboard page
)

// minCompress: smaller bodies are sent as they are.
const minCompress = 512

func encode(raw []byte) encoded {
	e := encoded{raw: raw}
	if len(raw) >= minCompress {
		e.z = &compressed{}
	}
	return e
}

// size is what the body will hold with both compressed forms: they are
// made later, on demand, so the cache budgets for them up front (HTML and
// JSON compress to well under a sixth each).
func (e encoded) size() int {
	if e.z == nil {
		return len(e.raw)
	}
	return len(e.raw) + len(e.raw)/3
}

// pick chooses the representation the request accepts: brotli, then
// gzip, then none ("identity"). It returns the body and its encoding.
func (e encoded) pick(c *fiber.Ctx) ([]byte, string) {
	if e.z == nil {
		return e.raw, ""
	}
	br, gz := accepts(c.Get(fiber.HeaderAcceptEncoding))
	switch {
	case br:
		e.z.brOnce.Do(func() {
			e.z.br = fasthttp.AppendBrotliBytesLevel(nil, e.raw, brotliLevel)
		})
		return e.z.br, "br"
	case gz:
		e.z.gzipOnce.Do(func() {
			e.z.gzip = fasthttp.AppendGzipBytesLevel(nil, e.raw, gzipLevel)
		})
		return e.z.gzip, "gzip"
	}
	return e.raw, ""
}

// accepts reads Accept-Encoding for br and gzip, honouring q=0.
func accepts(h string) (br, gzip bool) {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok && strings.Trim(q, "0.") == "" {
			continue // q=0, q=0.0: not acceptable
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "br":
			br = true
		case "gzip", "x-gzip":
			gzip = true
		case "*":
			br, gzip = true, true
		}
	}
	return br, gzip
}

// send writes the representation the client accepts, with Vary (the
// other middleware leaves an encoded body alone). The ETag, if any, names
// the representation.
func (e encoded) send(c *fiber.Ctx, etag string) error {
	body, enc := e.pick(c)
	c.Vary(fiber.HeaderAcceptEncoding)
	if enc != "" {
		c.Set(fiber.HeaderContentEncoding, enc)
	}
	if etag != "" {
		if enc != "" {
			etag = strings.TrimSuffix(etag, `"`) + "-" + enc + `"`
		}
		c.Set(fiber.HeaderETag, etag)
		if match := c.Get(fiber.HeaderIfNoneMatch); match != "" && strings.Contains(match, etag) {
			c.Response().Header.Del(fiber.HeaderContentEncoding)
			return c.SendStatus(fiber.StatusNotModified)
		}
	}
	return c.Send(body)
}
