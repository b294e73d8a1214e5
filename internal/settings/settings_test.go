package settings

import (
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	if err := Defaults().Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	tests := []struct {
		name string
		edit func(*Settings)
		want string
	}{
		{"bad URS e-mail", func(s *Settings) { s.URS["Itabira"] = URS{Email: "urs.itabira"} }, "URS Itabira: e-mail inválido"},
		{"link without scheme", func(s *Settings) { s.NominationForm = "forms.office.com/x" }, "Formulário de indicação"},
		{"javascript link", func(s *Settings) { s.Moodle = "javascript:alert(1)" }, "Plataforma Moodle"},
		{"host without sender", func(s *Settings) { s.SMTP.Host = "smtp.mg.gov.br" }, "remetente"},
		{"bad security", func(s *Settings) { s.SMTP.Security = "ssl3" }, "Segurança SMTP"},
		{"bad hour", func(s *Settings) { s.Digest.Hour = 24 }, "resumo semanal"},
		{"sender with name", func(s *Settings) { s.SMTP.From = "Teleconsultoria <avisos@saude.mg.gov.br>" }, ""},
	}
	for _, tc := range tests {
		s := Defaults()
		tc.edit(&s)
		err := s.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestChangesHidePassword(t *testing.T) {
	a := Defaults()
	b := Defaults()
	b.SMTP.Password = "segredo-123"
	b.URS["Ubá"] = URS{Phone: "(32) 3539-0000"}
	got := strings.Join(Changes(a, b), "; ")
	if strings.Contains(got, "segredo") || !strings.Contains(got, "SMTP senha alterada") || !strings.Contains(got, `URS Ubá telefone: "" → "(32) 3539-0000"`) {
		t.Errorf("changes: %s", got)
	}
	if c := Changes(a, Defaults()); len(c) != 0 {
		t.Errorf("no change reported %v", c)
	}
}

func TestDigestNext(t *testing.T) {
	d := Digest{Enabled: true, Weekday: time.Monday, Hour: 8}
	sun := time.Date(2026, 11, 29, 10, 0, 0, 0, time.Local) // a Sunday
	if got := d.Next(sun); !got.Equal(time.Date(2026, 11, 30, 8, 0, 0, 0, time.Local)) {
		t.Errorf("next after Sunday: %v", got)
	}
	mon := time.Date(2026, 11, 30, 8, 0, 0, 0, time.Local)
	if got := d.Next(mon); !got.Equal(mon.AddDate(0, 0, 7)) {
		t.Errorf("next at the very hour: %v", got)
	}
	if got := (Digest{}).Next(sun); !got.IsZero() {
		t.Errorf("disabled: %v", got)
	}
}
