package server

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// listen serves s on a loopback port for the length of the test: the
// request buffers are reused between requests only over real
// connections, which app.Test does not exercise.
func listen(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Handler().Listener(ln)
	t.Cleanup(func() { ln.Close() })
	return "http://" + ln.Addr().String()
}

var ibgeOnPage = regexp.MustCompile(`<dt>Código IBGE</dt><dd>(\d{7})</dd>`)

// TestEveryAnswerIsForTheMunicipalityAsked asks for every contemplated
// municipality's page and API answer twice in a row, then eight at a time
// over kept-alive connections: each answer must name the municipality of
// its own address (the cache's keys once pointed into reused buffers).
func TestEveryAnswerIsForTheMunicipalityAsked(t *testing.T) {
	t.Parallel()
	newDemoServer(t)
	s := mustNew(t, Options{})
	base := listen(t, s)
	snap, err := s.app.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, r := range snap.Rows {
		codes = append(codes, r.Municipality.IBGE)
	}
	if len(codes) < 300 {
		t.Fatalf("only %d municipalities", len(codes))
	}
	codes = codes[:300]
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}, Timeout: 30 * time.Second}
	check := func(code string) error {
		for _, path := range []string{"/municipios/" + code, "/api/v1/municipios/" + code} {
			resp, err := client.Get(base + path)
			if err != nil {
				return err
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			got := ""
			if strings.HasPrefix(path, "/api/") {
				if m := regexp.MustCompile(`"ibge":"(\d{7})"`).FindSubmatch(b); m != nil {
					got = string(m[1])
				}
			} else if m := ibgeOnPage.FindSubmatch(b); m != nil {
				got = string(m[1])
			}
			if resp.StatusCode != 200 || got != code {
				return fmt.Errorf("%s: status %d, answer for %q", path, resp.StatusCode, got)
			}
		}
		return nil
	}
	for round := 0; round < 2; round++ {
		for _, code := range codes {
			if err := check(code); err != nil {
				t.Fatalf("sequential round %d: %v", round, err)
			}
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(codes))
	work := make(chan string)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for code := range work {
				if err := check(code); err != nil {
					errs <- err
				}
			}
		}()
	}
	for _, code := range append(append([]string{}, codes...), codes...) {
		work <- code
	}
	close(work)
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if n++; n <= 5 {
			t.Error("concurrent:", err)
		}
	}
	if n > 0 {
		t.Errorf("%d wrong answers out of %d", n, 2*len(codes)*2)
	}
}

// TestUnknownParametersDoNotGrowTheCache floods the dashboard with
// addresses that differ only in parameters it does not read: the cache
// keeps one entry, and its bytes stay within the budget whatever is asked.
func TestUnknownParametersDoNotGrowTheCache(t *testing.T) {
	newDemoServer(t)
	s := mustNew(t, Options{})
	base := listen(t, s)
	for i := 0; i < 300; i++ {
		resp, err := http.Get(fmt.Sprintf("%s/?qualquer=%d&macro=", base, i))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	if n, _ := s.cache.stats(); n != 1 {
		t.Errorf("300 addresses with unknown parameters made %d cache entries, want 1", n)
	}
	// Invalid filter values are refused and never kept.
	for i := 0; i < 50; i++ {
		resp, err := http.Get(fmt.Sprintf("%s/?macro=nao-existe-%d", base, i))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Fatalf("invalid filter: status %d", resp.StatusCode)
		}
	}
	if n, _ := s.cache.stats(); n != 1 {
		t.Errorf("invalid filters made cache entries: %d", n)
	}
}

func TestPageCacheKeepsItsByteBudget(t *testing.T) {
	pc := newPageCache(10_000)
	body := encoded{raw: make([]byte, 1000)}
	for i := 0; i < 100; i++ {
		pc.put("v1", fmt.Sprint("k", i), body)
		if _, used := pc.stats(); used > 10_000 {
			t.Fatalf("after %d puts the cache holds %d bytes", i+1, used)
		}
	}
	if _, ok := pc.get("v1", "k99"); !ok {
		t.Error("the newest entry was evicted")
	}
	if _, ok := pc.get("v1", "k0"); ok {
		t.Error("the oldest entry was kept past the budget")
	}
	// Recently read entries stay; the least recently used leave first.
	pc.get("v1", "k91")
	for i := 100; i < 108; i++ {
		pc.put("v1", fmt.Sprint("k", i), body)
	}
	if _, ok := pc.get("v1", "k91"); !ok {
		t.Error("a recently read entry was evicted before older ones")
	}
	pc.put("v1", "huge", encoded{raw: make([]byte, 20_000)})
	if _, ok := pc.get("v1", "huge"); ok {
		t.Error("an entry larger than the budget was kept")
	}
	pc.put("v2", "k", body)
	if n, _ := pc.stats(); n != 1 {
		t.Errorf("a new data version kept %d old entries", n-1)
	}
	if _, ok := pc.get("v1", "k99"); ok {
		t.Error("an entry of the old version was served")
	}
}
