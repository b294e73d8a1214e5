package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
)

// Decoded is a message as its reader sees it.
type Decoded struct {
	Subject     string
	From        string
	To          []string
	ReplyTo     string
	Text        string
	Attachments map[string][]byte // by file name
	// RawSubject is the header as sent (encoded words for non-ASCII).
	RawSubject string
}

// Decode parses a raw message: RFC 2047 headers, multipart bodies,
// quoted-printable and base64 parts.
func Decode(raw []byte) (Decoded, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Decoded{}, err
	}
	dec := new(mime.WordDecoder)
	d := Decoded{RawSubject: m.Header.Get("Subject"), Attachments: map[string][]byte{}}
	if d.Subject, err = dec.DecodeHeader(d.RawSubject); err != nil {
		return d, err
	}
	d.From, d.ReplyTo = m.Header.Get("From"), m.Header.Get("Reply-To")
	if to, err := m.Header.AddressList("To"); err == nil {
		for _, a := range to {
			d.To = append(d.To, a.Address)
		}
	}
	return d, d.part(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), "", m.Body)
}

func (d *Decoded) part(contentType, encoding, disposition string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content-type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := d.part(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"),
				p.Header.Get("Content-Disposition"), p); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if _, dp, err := mime.ParseMediaType(disposition); err == nil && dp["filename"] != "" {
		name, err := new(mime.WordDecoder).DecodeHeader(dp["filename"])
		if err != nil {
			return err
		}
		d.Attachments[name] = b
		return nil
	}
	if mt == "text/plain" && d.Text == "" {
		d.Text = string(b)
	}
	return nil
}
