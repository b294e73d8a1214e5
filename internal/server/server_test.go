package server

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/store"
)

func newServer(t *testing.T) *Server {
	t.Helper()
	a, err := app.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	for _, f := range []string{"samples/abrangencia.xlsx", "samples/formalizacao_2024-09-02.xlsx"} {
		b, _ := data.Samples.ReadFile(f)
		if _, err := a.Ingest.Import(context.Background(), filepath.Base(f), b, ingest.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	s, err := New(a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func get(t *testing.T, s *Server, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return send(t, s, req)
}

// send runs a request through the app and reads the whole body.
func send(t *testing.T, s *Server, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := s.Handler().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestAPI(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tests := []struct {
		url      string
		status   int
		contains string
	}{
		{"/healthz", 200, `"ok"`},
		{"/api/v1/municipios", 200, `"ibge":"3100203"`},
		{"/api/v1/municipios?nucleo=Feluma&situacao=pendente", 200, `"nucleo":"Feluma"`},
		{"/api/v1/municipios?macro=CENTRO", 200, `"macrorregiao":"CENTRO"`},
		{"/api/v1/municipios?macro=NOWHERE", 400, `"erro"`},
		{"/api/v1/municipios?situacao=talvez", 400, `"erro"`},
		{"/api/v1/municipios?urs=x'%20OR%201=1--", 400, `URS desconhecida`},
		{"/api/v1/municipios/3100203", 200, `"nucleo_contato"`},
		{"/api/v1/municipios/310020", 200, `"municipio":"Abaeté"`},
		{"/api/v1/municipios/9999999", 404, `"erro"`},
		{"/api/v1/resumo", 200, `"estado"`},
		{"/", 200, `data-grafico="mapa-situacao"`},
	}
	for _, tt := range tests {
		resp, body := get(t, s, tt.url)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.contains) {
			t.Errorf("GET %s = %d %.200s; want %d containing %s", tt.url, resp.StatusCode, body, tt.status, tt.contains)
		}
	}
}

func TestAPIFiltersAndNoPersonalData(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	_, body := get(t, s, "/api/v1/municipios?nucleo=HC-UFMG")
	var rows []map[string]string
	if err := json.Unmarshal([]byte(body), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("no rows")
	}
	for _, r := range rows {
		if r["nucleo"] != "HC-UFMG" {
			t.Fatalf("row of %s", r["nucleo"])
		}
		if len(r) != 12 {
			t.Fatalf("row has %d keys", len(r))
		}
	}
	_, all := get(t, s, "/api/v1/municipios?todos=1")
	if err := json.Unmarshal([]byte(all), &rows); err != nil || len(rows) != 853 {
		t.Fatalf("todos=1 gave %d rows (%v)", len(rows), err)
	}
}

func TestETag(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	resp, _ := get(t, s, "/api/v1/resumo")
	tag := resp.Header.Get("ETag")
	if tag == "" {
		t.Fatal("no ETag")
	}
	resp, body := get(t, s, "/api/v1/resumo", "If-None-Match", tag)
	if resp.StatusCode != 304 || body != "" {
		t.Errorf("If-None-Match gave %d with %d bytes", resp.StatusCode, len(body))
	}
}

func TestStaticAssetsAreLocalAndCached(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	_, page := get(t, s, "/")
	for _, name := range []string{"echarts.min.js", "mapa-mg.js", "app.css", "app.js", "classes.css"} {
		u := s.assets.URL(name)
		if !strings.Contains(page, u) {
			t.Errorf("page does not reference %s", u)
		}
		resp, body := get(t, s, u)
		if resp.StatusCode != 200 || len(body) == 0 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d, %d bytes, %q", u, resp.StatusCode, len(body), resp.Header.Get("Cache-Control"))
		}
	}
	if strings.Contains(page, "https://") || strings.Contains(page, "http://") {
		t.Error("page references another host")
	}
	if !strings.Contains(page, `registerMap`) && !strings.Contains(string(s.assets["mapa-mg.js"].Body), "registerMap") {
		t.Error("map is not registered")
	}
}

func TestHealthz(t *testing.T) {
	s := newServer(t)
	resp, body := get(t, s, "/healthz")
	if resp.StatusCode != 200 || !strings.Contains(body, `"status":"ok"`) || !strings.Contains(body, "espaco_livre_mb") {
		t.Errorf("healthy: %d %s", resp.StatusCode, body)
	}
	old := store.MinFreeBytes
	store.MinFreeBytes = math.MaxUint64
	defer func() { store.MinFreeBytes = old }()
	s.health = healthCache{} // the last check is kept for a second
	resp, body = get(t, s, "/healthz")
	if resp.StatusCode != 503 || !strings.Contains(body, "pouco espaço livre") {
		t.Errorf("disk full: %d %s", resp.StatusCode, body)
	}
}
