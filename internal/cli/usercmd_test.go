package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/config"
	"github.com/ses-mg/telemonitor/internal/store"
)

func TestUserCommand(t *testing.T) {
	cfg := config.FromEnv()
	cfg.DB = filepath.Join(t.TempDir(), "t.db")
	password := "senha-segura-1"
	source := func(io.Writer) (string, error) { return password, nil }
	user := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := userCmd(context.Background(), cfg, args, &out, &errb, source)
		return out.String(), err
	}
	if _, err := user("add", "--email", "Chefe@SES.mg.gov.br", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := user("add", "--email", "u@x.br", "--role", "urs", "--urs", "Itabira"); err != nil {
		t.Fatal(err)
	}
	if _, err := user("add", "--email", "pf@x.br", "--role", "municipio", "--municipio", "313170"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]string{
		{"add", "--email", "chefe@ses.mg.gov.br", "--role", "admin"},            // duplicate
		{"add", "--email", "a@x.br", "--role", "urs", "--urs", "Atlântida"},     // unknown URS
		{"add", "--email", "a@x.br", "--role", "municipio", "--municipio", "1"}, // unknown code
		{"add", "--email", "a@x.br", "--role", "admin", "--urs", "Itabira"},     // admin with a scope
		{"add", "--email", "a@x.br", "--role", "root"},                          // unknown role
		{"disable", "--email", "ninguem@x.br"},                                  // unknown user
	} {
		if _, err := user(bad...); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	password = "curta"
	if _, err := user("add", "--email", "b@x.br", "--role", "admin"); err != auth.ErrWeakPassword {
		t.Errorf("short password: %v", err)
	}
	if _, err := user("disable", "--email", "u@x.br"); err != nil {
		t.Fatal(err)
	}
	out, err := user("list")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"chefe@ses.mg.gov.br  admin", "URS Itabira", "desativado", "pf@x.br", "Itabira"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	a, err := app.Open(context.Background(), cfg.DB, cfg.Engine())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	u, err := a.Store.UserByEmail(context.Background(), "pf@x.br")
	if err != nil || u.IBGE != "3131703" {
		t.Errorf("municipio user stored with %q (%v)", u.IBGE, err)
	}
	if ok, _ := auth.CheckPassword(u.PasswordHash, "senha-segura-1"); !ok {
		t.Error("stored hash does not check")
	}
	entries, _ := a.Store.AuditEntries(context.Background(), store.AuditQuery{})
	if len(entries) != 4 || entries[0].Action != "usuario.desativado" || !strings.HasPrefix(entries[0].Actor, "cli") {
		t.Errorf("audit: %+v", entries)
	}
}

// Every action but add refuses a database that does not exist (and does
// not create it), naming the demo's database.
func TestUserCommandNeedsAnExistingDatabase(t *testing.T) {
	cfg := config.FromEnv()
	cfg.DB = filepath.Join(t.TempDir(), "nada.db")
	for _, args := range [][]string{{"list"}, {"passwd", "--email", "a@x.br"}, {"disable", "--email", "a@x.br"}} {
		var out, errb bytes.Buffer
		err := userCmd(context.Background(), cfg, args, &out, &errb, nil)
		if err == nil || !strings.Contains(err.Error(), "não existe") || !strings.Contains(err.Error(), cfg.DemoDB) {
			t.Errorf("%v on a missing database: %v", args, err)
		}
		if _, statErr := os.Stat(cfg.DB); statErr == nil {
			t.Fatalf("%v created %s", args, cfg.DB)
		}
	}
}
