package resilience

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/scale"
	"github.com/ses-mg/telemonitor/internal/server"
	"github.com/ses-mg/telemonitor/internal/store"
)

const adminEmail, adminPassword = "admin@teste.br", "senha-de-teste-123"

// adminSite serves a database with every kind but Moodle over a real
// listener until the returned cancel (the signal's work) is called.
func adminSite(t *testing.T) (a *app.App, base string, stop context.CancelFunc, served chan error) {
	t.Helper()
	a = openWithBase(t, filepath.Join(t.TempDir(), "t.db"))
	t.Cleanup(func() { a.Close() })
	hash, err := auth.HashPassword(adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.AddUser(context.Background(), store.User{Email: adminEmail, Role: "admin", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	s, err := server.New(a, server.Options{StagingDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served = make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	t.Cleanup(cancel)
	return a, "http://" + ln.Addr().String(), cancel, served
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// browser logs in as the admin over plain HTTP and returns the client and
// the session's form token.
func browser(t *testing.T, base string) (*http.Client, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, Timeout: 2 * time.Minute}
	page := func(resp *http.Response, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		m := csrfField.FindSubmatch(b)
		if m == nil {
			t.Fatalf("%s: no form token (status %d)", resp.Request.URL, resp.StatusCode)
		}
		return string(m[1])
	}
	token := page(cl.Get(base + "/entrar"))
	token = page(cl.PostForm(base+"/entrar", url.Values{"csrf": {token}, "email": {adminEmail}, "senha": {adminPassword}}))
	return cl, token
}

// stage uploads the scale Moodle file and returns its preview's address.
func stage(t *testing.T, cl *http.Client, base, token string) string {
	t.Helper()
	moodle, err := os.ReadFile(filepath.Join(scaleFiles(t), scale.FileMoodle))
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", token)
	w, _ := mw.CreateFormFile("arquivos", scale.FileMoodle)
	w.Write(moodle)
	mw.Close()
	noFollow := *cl
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Post(base+"/importacoes", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/importacoes/previa/") {
		t.Fatalf("upload: %d %q", resp.StatusCode, loc)
	}
	return base + loc
}

func moodleBatches(t *testing.T, a *app.App) int {
	t.Helper()
	bs, err := a.Store.Batches(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range bs {
		if b.Kind == "moodle" {
			n++
		}
	}
	return n
}

// TestShutdownLetsRequestsFinish: the stop signal arrives while an import
// is being confirmed; the confirmation completes and answers, and the
// server then stops.
func TestShutdownLetsRequestsFinish(t *testing.T) {
	a, base, stop, served := adminSite(t)
	cl, token := browser(t, base)
	preview := stage(t, cl, base, token)
	type answer struct {
		status int
		body   string
		at     time.Time
		err    error
	}
	done := make(chan answer, 1)
	go func() {
		resp, err := cl.PostForm(preview+"/confirmar", url.Values{"csrf": {token}})
		if err != nil {
			done <- answer{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		done <- answer{status: resp.StatusCode, body: string(b), at: time.Now()}
	}()
	time.Sleep(150 * time.Millisecond)
	stoppedAt := time.Now()
	stop()
	got := <-done
	if got.err != nil || got.status != 200 || !strings.Contains(got.body, "Importação concluída") {
		t.Fatalf("confirm during shutdown: %d %v", got.status, got.err)
	}
	if !got.at.After(stoppedAt) {
		t.Fatal("the confirmation finished before the stop: the test did not test a request in flight")
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the server did not stop")
	}
	if n := moodleBatches(t, a); n != 1 {
		t.Errorf("%d Moodle batches after the confirmation, want 1", n)
	}
}

// TestConcurrentConfirmsImportOnce: three confirmations of one preview at
// once (a double click, two tabs) import it once; the others are told
// nothing changed.
func TestConcurrentConfirmsImportOnce(t *testing.T) {
	a, base, _, _ := adminSite(t)
	cl, token := browser(t, base)
	preview := stage(t, cl, base, token)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var done, repeated, other int
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := cl.PostForm(preview+"/confirmar", url.Values{"csrf": {token}})
			if err != nil {
				t.Error(err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			mu.Lock()
			defer mu.Unlock()
			switch {
			case resp.StatusCode == 200 && strings.Contains(string(b), "Importação concluída"):
				done++
			case resp.StatusCode == 200 && strings.Contains(string(b), "sem alterações"):
				repeated++
			default:
				other++
				t.Errorf("confirm answered %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	if done != 1 || repeated != 2 || other != 0 {
		t.Errorf("three confirms: %d imported, %d told unchanged, %d other", done, repeated, other)
	}
	if n := moodleBatches(t, a); n != 1 {
		t.Errorf("%d Moodle batches, want 1", n)
	}
}
