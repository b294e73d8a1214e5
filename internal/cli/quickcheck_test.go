package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/store/storetest"
)

// serve refuses a database with damaged pages, naming it and saying how
// to restore a backup, instead of starting.
func TestServeRefusesCorruptDatabase(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "bom.db"), filepath.Join(dir, "ruim.db")
	storetest.FillForCorruption(t, good)
	storetest.CorruptCopy(t, good, bad)
	type result struct {
		code int
		errs string
	}
	done := make(chan result, 1)
	go func() {
		code, _, errs := run("serve", "--db", bad, "--addr", "127.0.0.1:0")
		done <- result{code, errs}
	}()
	select {
	case r := <-done:
		if r.code != 1 {
			t.Errorf("exit %d, want 1", r.code)
		}
		for _, want := range []string{"o banco de dados " + bad + " está corrompido", "servidor não foi iniciado",
			"docs/confiabilidade.md", "Restaurar", "quick_check", "cp COPIA.db " + bad} {
			if !strings.Contains(r.errs, want) {
				t.Errorf("message lacks %q:\n%s", want, r.errs)
			}
		}
		if strings.Contains(r.errs, "listening") {
			t.Errorf("the server started:\n%s", r.errs)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve started on a corrupt database")
	}
}
