package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/apptest"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/mail/mailtest"
	"github.com/ses-mg/telemonitor/internal/settings"
	"github.com/ses-mg/telemonitor/internal/store"
)

// avisos enviar: the dry run prints and sends nothing; the real run
// sends the URS's digest (and, with --municipios, its pendentes'
// notices) through a real SMTP server and records them; the schedule
// sends the next digest only when it is due.
func TestAvisosEnviar(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "t.db")
	a, err := apptest.Samples.OpenAt(db)
	if err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Start(t)
	app.MailTLS = srv.ClientTLS
	t.Cleanup(func() { app.MailTLS = nil })
	rev, _ := a.Settings(ctx)
	set := rev.Settings
	set.SMTP = srv.Settings()
	set.URS["Itabira"] = settings.URS{Email: "urs.itabira@saude.mg.gov.br"}
	set.Digest.Enabled = true
	if _, err := a.SaveSettings(ctx, set, store.AuditEntry{Actor: "cli:teste"}); err != nil {
		t.Fatal(err)
	}
	a.Close()

	var out, errb bytes.Buffer
	if code := Run([]string{"avisos", "enviar", "--db", db, "--urs", "Itabira", "--dry-run"}, &out, &errb); code != 0 {
		t.Fatalf("dry run: %d %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "Para: urs.itabira@saude.mg.gov.br") || !strings.Contains(out.String(), "Resumo semanal da URS Itabira") ||
		len(srv.Messages()) != 0 {
		t.Fatalf("dry run output (%d sent):\n%s", len(srv.Messages()), out.String())
	}
	out.Reset()
	if code := Run([]string{"avisos", "enviar", "--db", db, "--urs", "Itabira", "--municipios"}, &out, &errb); code != 0 {
		t.Fatalf("send: %d %s\n%s", code, errb.String(), out.String())
	}
	got := srv.Messages()
	notices := strings.Count(out.String(), "aviso enviado para")
	if len(got) != 1+notices || notices == 0 {
		t.Fatalf("%d messages for 1 digest and %d notices:\n%s", len(got), notices, out.String())
	}
	d, err := mailtest.Decode(got[0].Data)
	if err != nil || d.To[0] != "urs.itabira@saude.mg.gov.br" || !strings.Contains(d.Subject, "resumo semanal da URS Itabira") {
		t.Errorf("digest %+v %v", d, err)
	}

	a, err = app.Open(ctx, db, conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	log, _ := a.Store.AuditEntries(ctx, store.AuditQuery{Action: "resumo.enviado"})
	if len(log) != 1 || !strings.HasPrefix(log[0].Actor, "cli") {
		t.Errorf("digest audit %+v", log)
	}
	// Just sent: the schedule has nothing due for Itabira this week.
	if n, err := a.DigestsDue(ctx, time.Now()); err != nil || n != 0 {
		t.Errorf("due right after a digest: %d %v", n, err)
	}
	// A week later the schedule sends it (to the URSs with an e-mail).
	if n, err := a.DigestsDue(ctx, time.Now().AddDate(0, 0, 8)); err != nil || n != 1 {
		t.Errorf("due a week later: %d %v", n, err)
	}
}
