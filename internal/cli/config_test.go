package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// A bad environment stops every command that reads it, with exit code 2
// and a message naming the variable, before any database is touched.
func TestBadConfigurationStopsCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	tests := []struct {
		env, value string
		args       []string
		want       string
	}{
		{"TELEMONITOR_BLOCO1_CURSOS", ",", []string{"status", "--db", db}, "TELEMONITOR_BLOCO1_CURSOS: nenhum curso do Bloco 1"},
		{"TELEMONITOR_BLOCO1_CURSOS", " , ", []string{"import", "--db", db, "../../data/samples/abrangencia.xlsx"}, "nenhum curso"},
		{"TELEMONITOR_ADDR", "8080", []string{"serve", "--db", db}, `TELEMONITOR_ADDR: endereço "8080" inválido`},
		{"TELEMONITOR_PROXIES_CONFIAVEIS", "10.0.0.1,proxy", []string{"serve", "--db", db}, `entrada 2 ("proxy")`},
		{"TELEMONITOR_PROXY_HEADER", "X Forwarded", []string{"export", "--db", db, "--out", filepath.Join(t.TempDir(), "x.xlsx")}, "TELEMONITOR_PROXY_HEADER"},
		{"TELEMONITOR_ADDR", ":99999", []string{"backup", "--db", db, "--out", filepath.Join(t.TempDir(), "c.db")}, "65535"},
		{"TELEMONITOR_ADDR", ":99999", []string{"user", "list", "--db", db}, "65535"},
	}
	for _, tc := range tests {
		t.Run(tc.args[0]+" "+tc.env, func(t *testing.T) {
			t.Setenv(tc.env, tc.value)
			code, _, errs := run(tc.args...)
			if code != 2 || !strings.Contains(errs, "erro de configuração") || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tc.want)
			}
		})
	}
	if m, _ := filepath.Glob(db + "*"); len(m) > 0 {
		t.Errorf("a command with a bad configuration touched the database: %v", m)
	}
	// Commands that do not read the configuration still run.
	t.Setenv("TELEMONITOR_BLOCO1_CURSOS", ",")
	if code, out, _ := run("version"); code != 0 || !strings.HasPrefix(out, "telemonitor ") {
		t.Errorf("version with a bad configuration: %d %q", code, out)
	}
}

func TestServeRefusesBadAddrFlag(t *testing.T) {
	code, _, errs := run("serve", "--db", filepath.Join(t.TempDir(), "t.db"), "--addr", "localhost")
	if code != 2 || !strings.Contains(errs, `--addr: endereço "localhost" inválido`) {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}
