package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/settings"
)

// Settings start at the published defaults; each save is a revision with
// its audit entry and moves the data version (pages show the contacts).
func TestSettingsRevisions(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rev, err := st.Settings(ctx)
	if err != nil || rev.ID != 0 || rev.Nucleos["Feluma"].Email != "telessaude@feluma.org.br" {
		t.Fatalf("defaults: %+v, %v", rev, err)
	}
	before, _ := st.DataVersion(ctx)
	s := rev.Settings
	s.URS["Itabira"] = settings.URS{Email: "urs.itabira@saude.mg.gov.br", Phone: "(31) 3831-0000"}
	e := AuditEntry{Actor: "admin@x.br", Action: "configuracoes.alteradas", Detail: "URS Itabira", Outcome: "ok"}
	if _, err := st.SaveSettings(ctx, s, e); err != nil {
		t.Fatal(err)
	}
	after, _ := st.DataVersion(ctx)
	if before == after {
		t.Errorf("data version unchanged by a settings change: %s", after)
	}
	rev, err = st.Settings(ctx)
	if err != nil || rev.ID != 1 || rev.Actor != "admin@x.br" || rev.URS["Itabira"].Phone != "(31) 3831-0000" {
		t.Fatalf("saved: %+v, %v", rev, err)
	}
	log, _ := st.AuditEntries(ctx, AuditQuery{Action: "configuracoes.alteradas"})
	if len(log) != 1 || log[0].Detail != "URS Itabira" {
		t.Errorf("audit: %+v", log)
	}
}

func TestSentMessages(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	day := time.Date(2026, 11, 23, 8, 0, 0, 0, time.Local)
	for i, outcome := range []string{MessageSent, MessageFailed} {
		m := SentMessage{At: day.AddDate(0, 0, i), Actor: "cli:root", Kind: MessageDigest, URS: "Itabira",
			Recipients: []string{"a@x.br", "b@x.br"}, Subject: "Resumo", Outcome: outcome}
		if err := st.RecordMessage(ctx, m, AuditEntry{Actor: "cli:root", Action: "resumo.enviado", Outcome: "ok"}); err != nil {
			t.Fatal(err)
		}
	}
	last, err := st.LastDigest(ctx, "Itabira")
	if err != nil || !last.Equal(day) {
		t.Errorf("last digest %v (a failed one does not count), %v", last, err)
	}
	if never, _ := st.LastDigest(ctx, "Ubá"); !never.IsZero() {
		t.Errorf("Ubá never had one: %v", never)
	}
	msgs, _ := st.Messages(ctx, MessageQuery{URS: "Itabira"})
	if len(msgs) != 2 || msgs[0].Outcome != MessageFailed || len(msgs[1].Recipients) != 2 {
		t.Errorf("messages %+v", msgs)
	}
}
