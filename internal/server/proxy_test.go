package server

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestClientAddressBehindProxies: the client address is the last hop that
// is not a trusted proxy, read from the right, and always an IP; headers
// from anyone else are ignored.
func TestClientAddressBehindProxies(t *testing.T) {
	// app.Test's connection comes from 0.0.0.0.
	trusted := proxyTrust{header: "X-Forwarded-For", nets: []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/32"), netip.MustParsePrefix("10.1.0.0/16")}}
	cases := []struct {
		name   string
		p      proxyTrust
		xff    string
		proto  string
		wantIP string
		https  bool
	}{
		{"no proxy configured: header ignored", proxyTrust{header: "X-Forwarded-For"}, "200.1.1.1", "https", "0.0.0.0", false},
		{"one proxy", trusted, "200.1.1.1", "", "200.1.1.1", false},
		{"forged hop to the left is not believed", trusted, "1.2.3.4, 200.1.1.1", "", "200.1.1.1", false},
		{"trusted chain skipped", trusted, "200.1.1.1, 10.1.2.3", "", "200.1.1.1", false},
		{"not an address stops the walk", trusted, "200.1.1.1, <script>", "", "0.0.0.0", false},
		{"formula in the header", trusted, "=cmd|' /C calc'!A0", "", "0.0.0.0", false},
		{"garbage left of a good hop", trusted, "=1+1, 200.1.1.1", "", "200.1.1.1", false},
		{"IPv6", trusted, "2804:14c::1", "", "2804:14c::1", false},
		{"HTTPS at the proxy", trusted, "200.1.1.1", "https", "200.1.1.1", true},
		{"last proto wins", trusted, "200.1.1.1", "https, http", "200.1.1.1", false},
		{"empty header", trusted, "", "", "0.0.0.0", false},
	}
	for _, tc := range cases {
		app := fiber.New(fiber.Config{Immutable: true})
		var got requester
		app.Get("/", func(c *fiber.Ctx) error { got = tc.p.resolve(c); return nil })
		req := httptest.NewRequest("GET", "/", nil)
		if tc.xff != "" {
			req.Header.Set("X-Forwarded-For", tc.xff)
		}
		if tc.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		if _, err := app.Test(req); err != nil {
			t.Fatal(err)
		}
		if got.IP != tc.wantIP || got.HTTPS != tc.https {
			t.Errorf("%s: got %+v, want %s https=%v", tc.name, got, tc.wantIP, tc.https)
		}
		if _, err := netip.ParseAddr(got.IP); err != nil {
			t.Errorf("%s: client address %q is not an IP", tc.name, got.IP)
		}
	}
}

// TestRotatingForwardedForDoesNotBypassLimits: without a trusted proxy,
// a client that changes X-Forwarded-For on every try is still one client
// to the login throttle and the self-check limit.
func TestRotatingForwardedForDoesNotBypassLimits(t *testing.T) {
	t.Parallel()
	newDemoServer(t)
	s := mustNew(t, Options{})
	blocked := false
	for i := 0; i < 40 && !blocked; i++ {
		cl := newClient(t, s, "200.0.0."+string(rune('0'+i%10))+string(rune('0'+i/10)))
		resp, _ := cl.post("/entrar", url.Values{"email": {"x" + string(rune('a'+i%26)) + "@teste.br"}, "senha": {"errada-errada"}})
		blocked = resp.StatusCode == http.StatusTooManyRequests
	}
	if !blocked {
		t.Error("40 failed logins with rotating X-Forwarded-For and e-mails were never throttled")
	}
	limited := false
	for i := 0; i < selfCheckLimit+2 && !limited; i++ {
		cl := newClient(t, s, "201.0.0."+string(rune('0'+i%10)))
		resp, _ := cl.post("/profissional", url.Values{"cpf": {"11144477735"}, "email": {"a@b.c"}})
		limited = resp.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Error("the self-check limit was bypassed by rotating X-Forwarded-For")
	}
}

// TestCookiesFollowTheScheme: over plain HTTP (an intranet server) the
// cookies are not Secure, so the browser sends them back and the forms
// work; over HTTPS at a trusted proxy they are, with HSTS.
func TestCookiesFollowTheScheme(t *testing.T) {
	newDemoServer(t)
	s := mustNew(t, behindTestProxy)
	for _, https := range []bool{false, true} {
		req := httptest.NewRequest("GET", "/entrar", nil)
		req.Host = "telemonitor.intranet"
		if https {
			req.Header.Set("X-Forwarded-Proto", "https")
		}
		resp, _ := send(t, s, req)
		var csrf *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == csrfCookie {
				csrf = c
			}
		}
		if csrf == nil || csrf.Secure != https || !csrf.HttpOnly {
			t.Errorf("https=%v: csrf cookie %+v", https, csrf)
		}
		if hsts := resp.Header.Get("Strict-Transport-Security"); (hsts != "") != https {
			t.Errorf("https=%v: HSTS %q", https, hsts)
		}
	}
	// A client cannot claim HTTPS without a trusted proxy.
	plain := mustNew(t, Options{})
	req := httptest.NewRequest("GET", "/entrar", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, _ := send(t, plain, req)
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("an untrusted X-Forwarded-Proto turned HSTS on")
	}
}

func TestSafeReturn(t *testing.T) {
	for v, want := range map[string]string{
		"/municipios/3131703":           "/municipios/3131703",
		"/?macro=Sul&urs=Varginha":      "/?macro=Sul&urs=Varginha",
		"":                              "/conta",
		"//evil.example/x":              "/conta",
		"/\t/evil.example/x":            "/conta",
		"/\n/evil.example/x":            "/conta",
		"/\r\n/evil.example":            "/conta",
		"/\\evil.example":               "/conta",
		"\\/evil.example":               "/conta",
		"https://evil.example/":         "/conta",
		"javascript:alert(1)":           "/conta",
		"/ /evil.example":               "/conta",
		"/\u00a0/evil.example":          "/conta",
		"/%09/evil.example":             "/%09/evil.example", // stays a path here
		"/" + strings.Repeat("a", 3000): "/conta",
	} {
		if got := safeReturn(v); got != want {
			t.Errorf("safeReturn(%q) = %q, want %q", v, got, want)
		}
	}
	// Through the login: a logged-in user asked to go elsewhere stays here.
	s := demoUsers(t)
	cl := loggedIn(t, s, adminEmail, "10.26.0.1")
	resp, _ := cl.get("/entrar?volta=/%09/evil.example/x")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/conta" {
		t.Errorf("redirect to %q (%d)", loc, resp.StatusCode)
	}
}
