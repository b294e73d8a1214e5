package server

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/data"
)

// allocatedDuring is how many bytes the process allocated while fn ran
// (the server runs in this process).
func allocatedDuring(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// rawRequest writes a request on a new connection and returns the status
// line of the answer.
func rawRequest(t *testing.T, base, head string, body io.Reader) string {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	io.WriteString(conn, head)
	if body != nil {
		// The server may answer and close before the body is all sent:
		// the answer is read while the body is still being written.
		go io.Copy(conn, body)
	}
	status, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(status)
}

// TestEncodedBodiesAreRefused: a gzip body that inflates to 64 MB is
// refused before anything reads it, on the login, the self-check and the
// import centre.
func TestEncodedBodiesAreRefused(t *testing.T) {
	s := demoUsers(t)
	base := listen(t, s)
	admin := loggedIn(t, s, adminEmail, "10.9.0.1")
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write([]byte("csrf=x&email=a%40b.c&senha="))
	zw.Write(bytes.Repeat([]byte("a"), 64<<20))
	zw.Close()
	for _, path := range []string{"/entrar", "/profissional", "/importacoes"} {
		var resp *http.Response
		alloc := allocatedDuring(func() {
			req, _ := http.NewRequest("POST", base+path, bytes.NewReader(bomb.Bytes()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Content-Encoding", "gzip")
			req.Header.Set("Cookie", sessionCookie+"="+admin.cookies[sessionCookie])
			var err error
			if resp, err = http.DefaultClient.Do(req); err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		})
		if resp.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("%s: gzip body answered %d, want 415", path, resp.StatusCode)
		}
		if alloc > 8<<20 {
			t.Errorf("%s: a %d KB gzip body made the server allocate %d MB", path, bomb.Len()>>10, alloc>>20)
		}
	}
}

// TestOversizedBodiesAreRefused: a form body larger than the limit is
// refused by its declared length before it is sent, and a chunked one
// after the limit, never read whole.
func TestOversizedBodiesAreRefused(t *testing.T) {
	s := demoUsers(t)
	base := listen(t, s)
	for _, path := range []string{"/entrar", "/profissional"} {
		head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", path, 60<<20)
		if status := rawRequest(t, base, head, io.LimitReader(zeros{}, 60<<20)); !strings.Contains(status, "413") {
			t.Errorf("%s, declared 60 MB: %q, want 413", path, status)
		}
		var status string
		alloc := allocatedDuring(func() {
			head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n", path)
			status = rawRequest(t, base, head, &chunked{left: 60 << 20})
		})
		if !strings.Contains(status, "413") {
			t.Errorf("%s, 60 MB chunked: %q, want 413", path, status)
		}
		if alloc > 16<<20 {
			t.Errorf("%s: a 60 MB chunked body made the server allocate %d MB", path, alloc>>20)
		}
	}
	// A small chunked form is read like any other: the login answers.
	cl := newClient(t, s, "10.9.0.2")
	form := url.Values{"email": {adminEmail}, "senha": {"errada-errada"}, "csrf": {cl.token()}}.Encode()
	head := "POST /entrar HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n" +
		"Cookie: " + csrfCookie + "=" + cl.cookies[csrfCookie] + "\r\n\r\n"
	body := fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(form), form)
	if status := rawRequest(t, base, head, strings.NewReader(body)); !strings.Contains(status, "401") {
		t.Errorf("small chunked login: %q, want 401 (wrong password)", status)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// chunked writes left bytes of a chunked body, then its end.
type chunked struct {
	left int
	done bool
}

func (c *chunked) Read(p []byte) (int, error) {
	if c.done {
		return 0, io.EOF
	}
	if c.left == 0 {
		c.done = true
		return copy(p, "0\r\n\r\n"), nil
	}
	n := min(c.left, 32<<10, len(p)-16)
	head := fmt.Sprintf("%x\r\n", n)
	copy(p, head)
	for i := range n {
		p[len(head)+i] = 'a'
	}
	copy(p[len(head)+n:], "\r\n")
	c.left -= n
	return len(head) + n + 2, nil
}

// TestUploadIsStreamed: the import centre takes a chunked upload (no
// declared length) part by part, refuses one whose token comes after the
// files, and refuses a stream past its limit.
func TestUploadIsStreamed(t *testing.T) {
	s := demoUsers(t)
	base := listen(t, s)
	admin := loggedIn(t, s, adminEmail, "10.9.0.3")
	admin.get("/importacoes")
	sample, err := data.Samples.ReadFile("samples/abrangencia.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	send := func(tokenFirst bool) *http.Response {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			if tokenFirst {
				mw.WriteField("csrf", admin.csrf)
			}
			w, _ := mw.CreateFormFile("arquivos", "abrangencia.xlsx")
			w.Write(sample)
			if !tokenFirst {
				mw.WriteField("csrf", admin.csrf)
			}
			pw.CloseWithError(mw.Close())
		}()
		req, _ := http.NewRequest("POST", base+"/importacoes", pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Cookie", sessionCookie+"="+admin.cookies[sessionCookie])
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	if resp := send(true); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/importacoes/previa/") {
		t.Errorf("chunked upload: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp := send(false); resp.StatusCode != http.StatusForbidden {
		t.Errorf("token after the files: %d, want 403", resp.StatusCode)
	}
	cr := &cappedReader{r: strings.NewReader(strings.Repeat("x", 100)), left: 10}
	if b, err := io.ReadAll(cr); err != errUploadTooLarge || len(b) != 10 {
		t.Errorf("capped reader: %d bytes, %v", len(b), err)
	}
}

// TestHandlersUseTheRequestContext: fasthttp's own context (c.Context())
// is cancelled the moment a shutdown begins, which rolled back an import
// being confirmed; handlers pass c.UserContext() (the server's request
// context) to everything that takes a context.
func TestHandlersUseTheRequestContext(t *testing.T) {
	asArgument := regexp.MustCompile(`[(,]\s*c\.Context\(\)\s*[,)]`)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if asArgument.MatchString(line) {
				t.Errorf("%s:%d passes fasthttp's context: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}
