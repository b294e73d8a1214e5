// Package mail writes and sends the notices and digests: a message is
// built once (UTF-8 subject, plain-text Portuguese body, attachments) and
// either sent through the SMTP server of the settings or written as an
// .eml file for the user's own mail client.
//
// It uses github.com/wneessen/go-mail, a maintained library that does the
// MIME encoding (RFC 2047 subjects, quoted-printable bodies, base64
// attachments), STARTTLS/implicit TLS and SMTP authentication, instead of
// net/smtp by hand.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/ses-mg/telemonitor/internal/settings"
)

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string
	ContentType string
	Body        []byte
}

// Message is one e-mail.
type Message struct {
	To          []string
	ReplyTo     string // where answers go ("": the sender)
	Subject     string
	Text        string
	Attachments []Attachment
}

// build turns m into a go-mail message from the sender from.
func build(from string, m Message, at time.Time) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("mail: remetente %q inválido: %w", from, err)
	}
	if len(m.To) > 0 { // an .eml may leave the recipient to the user
		if err := msg.To(m.To...); err != nil {
			return nil, fmt.Errorf("mail: destinatário inválido: %w", err)
		}
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("mail: endereço de resposta inválido: %w", err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(at)
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	for _, a := range m.Attachments {
		ct := gomail.ContentType(a.ContentType)
		if ct == "" {
			ct = gomail.TypeAppOctetStream
		}
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Body), gomail.WithFileContentType(ct)); err != nil {
			return nil, fmt.Errorf("mail: anexo %s: %w", a.Name, err)
		}
	}
	return msg, nil
}

// EML writes m as an .eml file (RFC 5322), ready for a mail client.
func EML(from string, m Message, at time.Time) ([]byte, error) {
	msg, err := build(from, m, at)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := msg.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("mail: write .eml: %w", err)
	}
	return b.Bytes(), nil
}

// Sender sends through an SMTP server.
type Sender struct {
	Config settings.SMTP
	// TLS overrides the TLS configuration (tests trust their own CA).
	TLS *tls.Config
	// Timeout of the connection (default 30 s).
	Timeout time.Duration
}

func (s Sender) client() (*gomail.Client, error) {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	opts := []gomail.Option{gomail.WithPort(s.Config.Port), gomail.WithTimeout(timeout)}
	switch s.Config.Security {
	case settings.TLS:
		opts = append(opts, gomail.WithSSL())
	case settings.NoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.TLS != nil {
		opts = append(opts, gomail.WithTLSConfig(s.TLS))
	}
	if s.Config.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.Config.User),
			gomail.WithPassword(s.Config.Password))
	}
	return gomail.NewClient(s.Config.Host, opts...)
}

// Send sends the messages over one connection and returns one result per
// message (nil: accepted by the server). The error is for the connection
// itself (nothing was sent).
func (s Sender) Send(ctx context.Context, msgs []Message, at time.Time) ([]error, error) {
	if !s.Config.Configured() {
		return nil, fmt.Errorf("mail: servidor SMTP não configurado")
	}
	c, err := s.client()
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	results := make([]error, len(msgs))
	built := make([]*gomail.Msg, len(msgs))
	for i, m := range msgs {
		if len(m.To) == 0 {
			results[i] = fmt.Errorf("mail: mensagem sem destinatário")
			continue
		}
		built[i], results[i] = build(s.Config.From, m, at)
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, fmt.Errorf("mail: conexão com %s:%d: %w", s.Config.Host, s.Config.Port, err)
	}
	defer c.Close()
	for i, m := range built {
		if m == nil {
			continue
		}
		if err := c.Send(m); err != nil {
			results[i] = err
			_ = c.Reset() // the next message starts a clean transaction
		}
	}
	return results, nil
}
