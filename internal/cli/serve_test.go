package cli

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"

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
