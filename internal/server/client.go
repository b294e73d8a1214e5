package server

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Who is asking, and how. Behind a reverse proxy the connection's address
// is the proxy's; the client's is in a header the proxy appends to. That
// header is believed only from the proxies the configuration names, and
// only as far as they wrote it: the client address is the last hop that
// is not a trusted proxy, read from the right, and it must be an IP.
// Everything else a client writes there is ignored.

// proxyTrust is the configured set of trusted proxies.
type proxyTrust struct {
	header string // the header the proxies append to (X-Forwarded-For)
	nets   []netip.Prefix
}

func (p proxyTrust) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, n := range p.nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// requester is the request's client address and whether it arrived over
// HTTPS (directly, or at a trusted proxy that says so).
type requester struct {
	IP    string
	HTTPS bool
}

const requesterKey = "requester"

// identify resolves the requester once per request, first of all.
func (s *Server) identify(c *fiber.Ctx) error {
	c.Locals(requesterKey, s.proxies.resolve(c))
	// The request's work runs under the server's request context, not
	// fasthttp's, which is cancelled as soon as a shutdown begins.
	c.SetUserContext(s.requests)
	return c.Next()
}

func (p proxyTrust) resolve(c *fiber.Ctx) requester {
	peer, _ := netip.ParseAddr(c.Context().RemoteIP().String())
	peer = peer.Unmap()
	r := requester{IP: peer.String(), HTTPS: c.Context().IsTLS()}
	if !p.trusts(peer) {
		return r
	}
	if proto := lastValue(c.Get(fiber.HeaderXForwardedProto)); proto != "" {
		r.HTTPS = strings.EqualFold(proto, "https")
	}
	hops := strings.Split(c.Get(p.header), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // not an address: nothing to its left can be believed
		}
		r.IP = a.Unmap().String()
		if !p.trusts(a) {
			break
		}
	}
	return r
}

// lastValue is the last item of a comma-separated header (the one the
// nearest proxy wrote).
func lastValue(h string) string {
	if i := strings.LastIndexByte(h, ','); i >= 0 {
		h = h[i+1:]
	}
	return strings.TrimSpace(h)
}

// clientOf is the request's requester.
func clientOf(c *fiber.Ctx) requester {
	r, _ := c.Locals(requesterKey).(requester)
	return r
}

// clientIP is the client's address for throttles and the audit log.
func clientIP(c *fiber.Ctx) string { return clientOf(c).IP }
