package monitor_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDomainBuildsWithoutSQLite: the domain packages (rules, measures,
// snapshots, the words and the reports made from them) import neither the
// store nor HTTP, so they build with CGO_ENABLED=0 and link no SQLite.
func TestDomainBuildsWithoutSQLite(t *testing.T) {
	pkgs := []string{"conditions", "monitor", "charts", "guidance", "export", "people", "reconcile", "sla", "present"}
	for _, p := range pkgs {
		out, err := exec.Command("go", "list", "-deps", "github.com/ses-mg/telemonitor/internal/"+p).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", p, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			switch {
			case strings.Contains(dep, "go-sqlite3"), strings.HasSuffix(dep, "/internal/store"),
				strings.Contains(dep, "gofiber/fiber"), strings.Contains(dep, "valyala/fasthttp"):
				t.Errorf("internal/%s depends on %s", p, dep)
			}
		}
	}
}
