// Package settings is the programme's editable settings: whom a municipality
// writes to (each URS's e-mail, phone and reference person, each núcleo's
// contacts and platform links, SES's central mailbox), the public links the
// pages and notices give (the focal point's nomination form, the Moodle
// training platform and its registration manual), the SMTP server the
// notices are sent through and the weekly digest's schedule.
//
// The values live in the database (store.Settings), edited by an admin on
// /admin/configuracoes; Defaults are the values published by SES-MG that
// apply until an admin changes them. The package is pure: no SQL, no HTTP.
package settings

import (
	"fmt"
	"net/mail"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/ses-mg/telemonitor/internal/territory"
)

// URS is an Unidade Regional de Saúde's contacts.
type URS struct {
	Email string `json:"email,omitempty"`
	Phone string `json:"telefone,omitempty"`
	// Reference is the URS's reference person for the programme (CRAS).
	Reference string `json:"referencia,omitempty"`
}

// Nucleo is a núcleo de telessaúde's support contacts and links.
type Nucleo struct {
	Phone    string `json:"telefone,omitempty"`
	Email    string `json:"email,omitempty"`
	Platform string `json:"plataforma,omitempty"` // the Telessaúde platform the professionals log into
	Manual   string `json:"manual,omitempty"`     // the platform's manual
}

// Security is how the SMTP connection is protected.
type Security string

// The SMTP security modes.
const (
	StartTLS Security = "starttls" // plain connection upgraded (port 587)
	TLS      Security = "tls"      // TLS from the start (port 465)
	NoTLS    Security = "nenhuma"  // an internal relay without TLS
)

// SMTP is the mail server notices and digests are sent through. An empty
// Host means no server: messages are downloaded as .eml files instead.
type SMTP struct {
	Host     string   `json:"host,omitempty"`
	Port     int      `json:"porta,omitempty"`
	Security Security `json:"seguranca,omitempty"`
	User     string   `json:"usuario,omitempty"`
	Password string   `json:"senha,omitempty"`
	From     string   `json:"remetente,omitempty"` // the sender address (may be "Name <addr>")
}

// Configured reports whether messages can be sent.
func (s SMTP) Configured() bool { return s.Host != "" && s.From != "" }

// Digest is the weekly digest's schedule.
type Digest struct {
	Enabled bool         `json:"ativo"`
	Weekday time.Weekday `json:"dia_semana"`
	Hour    int          `json:"hora"` // 0–23, Brasília time
}

// Settings are all the editable settings.
type Settings struct {
	URS            map[string]URS    `json:"urs,omitempty"` // by URS name, as in the territory
	Nucleos        map[string]Nucleo `json:"nucleos"`       // by núcleo code
	NominationForm string            `json:"formulario_indicacao,omitempty"`
	Moodle         string            `json:"moodle,omitempty"`
	MoodleManual   string            `json:"manual_moodle,omitempty"`
	SESMailbox     string            `json:"caixa_ses"`
	SMTP           SMTP              `json:"smtp"`
	Digest         Digest            `json:"resumo_semanal"`
}

// Defaults are the values published by SES-MG (DOMAIN.md): the núcleos'
// support contacts and the central mailbox. Links and URS contacts are
// not published in one place and start empty.
func Defaults() Settings {
	s := Settings{URS: map[string]URS{}, Nucleos: map[string]Nucleo{}, SESMailbox: territory.SESMailbox,
		SMTP:   SMTP{Port: 587, Security: StartTLS},
		Digest: Digest{Weekday: time.Monday, Hour: 8}}
	for _, n := range territory.Nucleos {
		s.Nucleos[n.Code] = Nucleo{Phone: n.Phone, Email: n.Email}
	}
	return s
}

// Normalise fills what an older stored revision lacks with the defaults
// (a núcleo never written keeps its published contacts) and trims spaces.
func (s Settings) Normalise() Settings {
	d := Defaults()
	if s.URS == nil {
		s.URS = map[string]URS{}
	}
	if s.Nucleos == nil {
		s.Nucleos = map[string]Nucleo{}
	}
	for code, n := range d.Nucleos {
		if _, ok := s.Nucleos[code]; !ok {
			s.Nucleos[code] = n
		}
	}
	if s.SESMailbox == "" {
		s.SESMailbox = d.SESMailbox
	}
	if s.SMTP.Security == "" {
		s.SMTP.Security = StartTLS
	}
	if s.SMTP.Port == 0 {
		s.SMTP.Port = d.SMTP.Port
	}
	return s
}

// URSContact returns the contacts of the URS named name (empty when none
// were set).
func (s Settings) URSContact(name string) URS { return s.URS[name] }

// NucleoContact returns a núcleo's contacts.
func (s Settings) NucleoContact(code string) (Nucleo, bool) {
	n, ok := s.Nucleos[code]
	return n, ok
}

// Validate checks e-mails, links, the SMTP port and the schedule; the
// error names the field in Portuguese.
func (s Settings) Validate() error {
	var errs []string
	email := func(label, v string) {
		if v == "" {
			return
		}
		if a, err := mail.ParseAddress(v); err != nil || a.Name != "" && !strings.Contains(v, "<") {
			errs = append(errs, fmt.Sprintf("%s: e-mail inválido (%q)", label, v))
		}
	}
	link := func(label, v string) {
		if v == "" {
			return
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Sprintf("%s: endereço inválido (%q); use https://…", label, v))
		}
	}
	email("Caixa central da SES", s.SESMailbox)
	link("Formulário de indicação do ponto focal", s.NominationForm)
	link("Plataforma Moodle", s.Moodle)
	link("Manual de cadastro no Moodle", s.MoodleManual)
	for _, name := range sortedKeys(s.URS) {
		email("URS "+name, s.URS[name].Email)
	}
	for _, code := range sortedKeys(s.Nucleos) {
		n := s.Nucleos[code]
		email("Núcleo "+code, n.Email)
		link("Plataforma do núcleo "+code, n.Platform)
		link("Manual do núcleo "+code, n.Manual)
	}
	email("Remetente (SMTP)", s.SMTP.From)
	if s.SMTP.Port < 0 || s.SMTP.Port > 65535 {
		errs = append(errs, fmt.Sprintf("Porta SMTP inválida: %d", s.SMTP.Port))
	}
	switch s.SMTP.Security {
	case StartTLS, TLS, NoTLS, "":
	default:
		errs = append(errs, fmt.Sprintf("Segurança SMTP desconhecida: %q", s.SMTP.Security))
	}
	if s.SMTP.Host != "" && s.SMTP.From == "" {
		errs = append(errs, "Informe o remetente das mensagens (SMTP)")
	}
	if s.Digest.Hour < 0 || s.Digest.Hour > 23 || s.Digest.Weekday < time.Sunday || s.Digest.Weekday > time.Saturday {
		errs = append(errs, "Horário do resumo semanal inválido")
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
