package server

import (
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// client is a browser-like test client: it keeps cookies and takes the
// CSRF token from the forms of the pages it visits.
type client struct {
	t       *testing.T
	s       *Server
	ip      string
	cookies map[string]string
	csrf    string // the last token seen in a page
}

func newClient(t *testing.T, s *Server, ip string) *client {
	return &client{t: t, s: s, ip: ip, cookies: map[string]string{}}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (cl *client) do(req *http.Request) (*http.Response, string) {
	cl.t.Helper()
	req.Header.Set("X-Forwarded-For", cl.ip)
	req.RemoteAddr = cl.ip + ":1234"
	for k, v := range cl.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, body := send(cl.t, cl.s, req)
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(cl.cookies, c.Name)
		} else {
			cl.cookies[c.Name] = c.Value
		}
	}
	if m := csrfField.FindStringSubmatch(body); m != nil {
		cl.csrf = html.UnescapeString(m[1])
	}
	return resp, body
}

func (cl *client) get(target string) (*http.Response, string) {
	cl.t.Helper()
	return cl.do(httptest.NewRequest("GET", target, nil))
}

// token visits a page with a form when no token was seen yet.
func (cl *client) token() string {
	cl.t.Helper()
	if cl.csrf == "" {
		page := "/entrar"
		if cl.cookies[sessionCookie] != "" {
			page = "/conta"
		}
		cl.get(page)
	}
	return cl.csrf
}

// post sends a form with the CSRF token (unless form sets csrf itself).
func (cl *client) post(target string, form url.Values) (*http.Response, string) {
	cl.t.Helper()
	if _, ok := form["csrf"]; !ok {
		form = cloneQuery(form)
		form.Set("csrf", cl.token())
	}
	req := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return cl.do(req)
}

// upload posts files to the import centre as a browser form does.
func (cl *client) upload(files map[string][]byte) (*http.Response, string) {
	cl.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", cl.token())
	for name, data := range files {
		w, _ := mw.CreateFormFile("arquivos", name)
		io.Copy(w, bytes.NewReader(data))
	}
	mw.Close()
	req := httptest.NewRequest("POST", "/importacoes", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return cl.do(req)
}

// login logs in and fails the test when it does not work.
func (cl *client) login(email, password string) {
	cl.t.Helper()
	resp, body := cl.post("/entrar", url.Values{"email": {email}, "senha": {password}})
	if resp.StatusCode != http.StatusSeeOther || cl.cookies[sessionCookie] == "" {
		cl.t.Fatalf("login %s: %d\n%s", email, resp.StatusCode, body)
	}
	cl.csrf = "" // the session has its own token
}

// behindTestProxy trusts the address of app.Test's in-process connection
// as a proxy, so that test clients can be told apart by X-Forwarded-For.
var behindTestProxy = Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}}
