package server

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

// TestPrecompressedResponses: cached pages, API answers and static assets
// come compressed as the client asks (brotli before gzip, q=0 honoured),
// with Vary, an ETag per representation, and the same bytes once
// decompressed.
func TestPrecompressedResponses(t *testing.T) {
	newDemoServer(t)
	s := mustNew(t, Options{})
	for _, path := range []string{"/", "/municipios/3131703", "/api/v1/municipios", s.assets.URL("app.js")} {
		_, plain := get(t, s, path)
		etags := map[string]bool{}
		for _, tc := range []struct{ accept, want string }{
			{"gzip, deflate, br, zstd", "br"}, {"gzip, deflate", "gzip"}, {"br;q=0, gzip", "gzip"}, {"identity", ""}, {"gzip;q=0", ""},
		} {
			resp, body := get(t, s, path, "Accept-Encoding", tc.accept)
			if got := resp.Header.Get("Content-Encoding"); got != tc.want {
				t.Errorf("%s with %q: encoding %q, want %q", path, tc.accept, got, tc.want)
				continue
			}
			if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s with %q: no Vary", path, tc.accept)
			}
			var raw []byte
			var err error
			switch tc.want {
			case "br":
				raw, err = fasthttp.AppendUnbrotliBytes(nil, []byte(body))
			case "gzip":
				raw, err = fasthttp.AppendGunzipBytes(nil, []byte(body))
			default:
				raw = []byte(body)
			}
			if err != nil || !bytes.Equal(raw, []byte(plain)) {
				t.Errorf("%s with %q: body differs once decompressed (%v)", path, tc.accept, err)
			}
			if e := resp.Header.Get("ETag"); e != "" {
				etags[e+tc.want] = true
				if tc.want != "" && !strings.Contains(e, "-"+tc.want) {
					t.Errorf("%s: ETag %s does not name the %s representation", path, e, tc.want)
				}
				resp, _ := get(t, s, path, "Accept-Encoding", tc.accept, "If-None-Match", e)
				if resp.StatusCode != http.StatusNotModified {
					t.Errorf("%s with %q: If-None-Match gave %d", path, tc.accept, resp.StatusCode)
				}
			}
		}
	}
}

func TestAcceptsEncoding(t *testing.T) {
	for h, want := range map[string][2]bool{
		"":                      {false, false},
		"gzip":                  {false, true},
		"br":                    {true, false},
		"gzip, deflate, br":     {true, true},
		"BR;q=1.0, GZIP;q=0.5":  {true, true},
		"br;q=0, gzip;q=0.000":  {false, false},
		"*":                     {true, true},
		"x-gzip":                {false, true},
		"brotli, gzipped, zstd": {false, false},
	} {
		br, gz := accepts(h)
		if [2]bool{br, gz} != want {
			t.Errorf("accepts(%q) = %v %v, want %v", h, br, gz, want)
		}
	}
}
