package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/mail"
	"github.com/ses-mg/telemonitor/internal/mail/mailtest"
	"github.com/ses-mg/telemonitor/internal/settings"
)

var sample = mail.Message{
	To:      []string{"pontofocal@itabira.mg.gov.br"},
	ReplyTo: "urs.itabira@saude.mg.gov.br",
	Subject: "Teleconsultoria SES-MG: pendências de São João del-Rei – 29/11/2026",
	Text:    "Prezado(a) ponto focal,\n\nFalta 1 condição: Capacitação APS. Atenção: conclusão do 1º bloco.\n",
	Attachments: []mail.Attachment{{Name: "pendências-são-joão.xlsx", ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		Body: []byte("PK\x03\x04 conteúdo binário \x00\xff")}},
}

func checkDecoded(t *testing.T, raw []byte) {
	t.Helper()
	d, err := mailtest.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if d.Subject != sample.Subject {
		t.Errorf("subject %q, want %q", d.Subject, sample.Subject)
	}
	if !strings.HasPrefix(d.RawSubject, "=?UTF-8?") {
		t.Errorf("raw subject not RFC 2047 UTF-8: %q", d.RawSubject)
	}
	if len(d.To) != 1 || d.To[0] != sample.To[0] || !strings.Contains(d.ReplyTo, sample.ReplyTo) {
		t.Errorf("to %v, reply-to %q", d.To, d.ReplyTo)
	}
	if strings.ReplaceAll(d.Text, "\r\n", "\n") != sample.Text {
		t.Errorf("body %q", d.Text)
	}
	if got := d.Attachments[sample.Attachments[0].Name]; string(got) != string(sample.Attachments[0].Body) {
		t.Errorf("attachment %q: %q (attachments %v)", sample.Attachments[0].Name, got, len(d.Attachments))
	}
}

func TestEML(t *testing.T) {
	b, err := mail.EML("Teleconsultoria SES-MG <avisos@saude.mg.gov.br>", sample, time.Date(2026, 11, 29, 10, 0, 0, 0, time.Local))
	if err != nil {
		t.Fatal(err)
	}
	checkDecoded(t, b)
}

// A real SMTP conversation: STARTTLS, PLAIN authentication, one refused
// recipient that does not stop the others.
func TestSendSMTP(t *testing.T) {
	srv := mailtest.Start(t)
	srv.Reject["inexistente@itabira.mg.gov.br"] = true
	bad := sample
	bad.To = []string{"inexistente@itabira.mg.gov.br"}
	s := mail.Sender{Config: srv.Settings(), TLS: srv.ClientTLS, Timeout: 5 * time.Second}
	results, err := s.Send(context.Background(), []mail.Message{sample, bad, sample}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if results[0] != nil || results[1] == nil || results[2] != nil {
		t.Fatalf("results %v, want ok, refused, ok", results)
	}
	got := srv.Messages()
	if len(got) != 2 {
		t.Fatalf("%d messages received, want 2", len(got))
	}
	if got[0].From != mailtest.User || len(got[0].To) != 1 || got[0].To[0] != sample.To[0] {
		t.Errorf("envelope %s → %v", got[0].From, got[0].To)
	}
	checkDecoded(t, got[0].Data)

	wrong := s
	wrong.Config.Password = "errada"
	if res, err := wrong.Send(context.Background(), []mail.Message{sample}, time.Now()); err == nil && res[0] == nil {
		t.Error("a wrong password was accepted")
	}
	if _, err := (mail.Sender{Config: settings.SMTP{}}).Send(context.Background(), []mail.Message{sample}, time.Now()); err == nil {
		t.Error("sent without a configured server")
	}
}
