package cli

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/config"
)

// A port in use is said in Portuguese, before anything claims the server
// is listening.
func TestServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := config.FromEnv()
	cfg.DB = filepath.Join(t.TempDir(), "t.db")
	var stderr bytes.Buffer
	err = serve(context.Background(), cfg, []string{"--addr", ln.Addr().String()}, &stderr)
	if err == nil || !strings.Contains(err.Error(), "já está em uso") || !strings.Contains(err.Error(), "--addr") {
		t.Errorf("serve on a busy port: %v", err)
	}
	if strings.Contains(stderr.String(), "listening") {
		t.Errorf("the log says listening:\n%s", stderr.String())
	}
}

// The server warns at start unless its zone is Brasília's: UTC−3 in any
// month, whatever the zone is called.
func TestInBrasiliaZone(t *testing.T) {
	for _, c := range []struct {
		zone *time.Location
		want bool
	}{
		{time.UTC, false},
		{time.FixedZone("-03", -3*3600), true},
		{time.FixedZone("BRT", -3*3600), true},
		{time.FixedZone("-02", -2*3600), false},
		{time.FixedZone("AMT", -4*3600), false},
	} {
		for _, month := range []time.Month{time.January, time.July} {
			at := time.Date(2026, month, 15, 12, 0, 0, 0, c.zone)
			if got := inBrasiliaZone(at); got != c.want {
				t.Errorf("%s in %s: %v, want %v", c.zone, month, got, c.want)
			}
		}
	}
}
