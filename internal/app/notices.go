package app

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"strings"
	"time"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/mail"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/notices"
	"github.com/ses-mg/telemonitor/internal/people"
	"github.com/ses-mg/telemonitor/internal/store"
)

// MailTLS, when set, is the TLS configuration of SMTP connections (tests
// trust their own server's certificate with it).
var MailTLS *tls.Config

// Outgoing is a notice ready to be sent or downloaded.
type Outgoing struct {
	Notice  notices.Notice
	Message mail.Message
}

// Notices builds the notices of rows on day at: the text, the
// municipality's workbook (no personal data) attached, addressed to the
// focal point's e-mail (personal data: only for callers whose user may
// see it), answers going to the URS.
func (a *App) Notices(ctx context.Context, snap *monitor.Snapshot, rows []monitor.Row, at time.Time) ([]Outgoing, error) {
	rev, err := a.Settings(ctx)
	if err != nil {
		return nil, err
	}
	ibges := make([]string, len(rows))
	for i, r := range rows {
		ibges[i] = r.Municipality.IBGE
	}
	log, err := a.Store.Followups(ctx, ibges)
	if err != nil {
		return nil, err
	}
	out := make([]Outgoing, 0, len(rows))
	for _, r := range rows {
		n := notices.Build(r, rev.Settings, log, at)
		m := mail.Message{Subject: n.Subject(), Text: n.Text(), ReplyTo: rev.URSContact(r.URS).Email}
		if fp, ok, err := people.FocalPoint(ctx, a.Store, r); err != nil {
			return nil, err
		} else if ok && fp.Email != "" {
			m.To = []string{fp.Email}
		}
		att, err := workbook(export.Scope{Filter: monitor.Filter{IBGE: r.Municipality.IBGE}, Name: r.Name}, []monitor.Row{r}, at)
		if err != nil {
			return nil, err
		}
		m.Attachments = []mail.Attachment{att}
		out = append(out, Outgoing{Notice: n, Message: m})
	}
	return out, nil
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func workbook(scope export.Scope, rows []monitor.Row, at time.Time) (mail.Attachment, error) {
	var b bytes.Buffer
	if err := export.WriteXLSX(&b, scope, rows, at); err != nil {
		return mail.Attachment{}, err
	}
	return mail.Attachment{Name: export.FileName(scope, at, "xlsx"), ContentType: xlsxType, Body: b.Bytes()}, nil
}

// Sent is the result of one message.
type Sent struct {
	Outgoing
	Err error
}

// SendNotices sends the notices through the SMTP server of the settings,
// recording each message (with its audit entry) and, for a message the
// server accepted, a follow-up entry "e-mail" for the municipality.
func (a *App) SendNotices(ctx context.Context, list []Outgoing, actor, ip string, at time.Time) ([]Sent, error) {
	rev, err := a.Settings(ctx)
	if err != nil {
		return nil, err
	}
	msgs := make([]mail.Message, len(list))
	for i, o := range list {
		msgs[i] = o.Message
	}
	results, err := mail.Sender{Config: rev.SMTP, TLS: MailTLS}.Send(ctx, msgs, at)
	if err != nil {
		return nil, err
	}
	out := make([]Sent, len(list))
	for i, o := range list {
		out[i] = Sent{Outgoing: o, Err: results[i]}
		m := store.SentMessage{At: at, Actor: actor, Kind: store.MessageNotice, IBGE: o.Notice.IBGE, URS: o.Notice.URS,
			Recipients: o.Message.To, Subject: o.Message.Subject, Outcome: store.MessageSent}
		e := store.AuditEntry{At: at, Actor: actor, Action: audit.NoticeSent, Target: o.Notice.IBGE, IP: ip, Outcome: audit.OK,
			Detail: fmt.Sprintf("aviso de %s para %s: %s", o.Notice.Municipality, strings.Join(o.Message.To, ", "), o.Message.Subject)}
		if results[i] != nil {
			m.Outcome, m.Error = store.MessageFailed, results[i].Error()
			e.Outcome, e.Detail = audit.Failed, e.Detail+" – "+results[i].Error()
		}
		if err := a.Store.RecordMessage(ctx, m, e); err != nil {
			return out, err
		}
		if results[i] == nil {
			f := store.Followup{IBGE: o.Notice.IBGE, ContactedOn: at, Channel: "email", Actor: actor,
				Note: "Aviso de pendências enviado por e-mail para " + strings.Join(o.Message.To, ", ") + "."}
			if _, err := a.Store.AddFollowup(ctx, f); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// Digest builds the weekly digest of an URS: the text and the URS's
// workbook (no personal data), to the URS's e-mail of the settings.
func (a *App) Digest(ctx context.Context, urs string, at time.Time) (notices.Digest, mail.Message, error) {
	rev, err := a.Settings(ctx)
	if err != nil {
		return notices.Digest{}, mail.Message{}, err
	}
	snap, err := a.Snapshot(ctx)
	if err != nil {
		return notices.Digest{}, mail.Message{}, err
	}
	f := monitor.Filter{URS: urs}
	rows := snap.Select(f)
	ibges := make([]string, len(rows))
	for i, r := range rows {
		ibges[i] = r.Municipality.IBGE
	}
	log, err := a.Store.Followups(ctx, ibges)
	if err != nil {
		return notices.Digest{}, mail.Message{}, err
	}
	since, err := a.Store.LastDigest(ctx, urs)
	if err != nil {
		return notices.Digest{}, mail.Message{}, err
	}
	d := notices.BuildDigest(urs, rows, log, since, at)
	m := mail.Message{Subject: d.Subject(), Text: d.Text(), ReplyTo: rev.SESMailbox}
	if e := rev.URSContact(urs).Email; e != "" {
		m.To = []string{e}
	}
	att, err := workbook(export.Scope{Filter: f}, rows, at)
	if err != nil {
		return d, m, err
	}
	m.Attachments = []mail.Attachment{att}
	return d, m, nil
}

// SendDigest sends (and records) the digest of an URS.
func (a *App) SendDigest(ctx context.Context, urs, actor, ip string, at time.Time) (mail.Message, error) {
	_, m, err := a.Digest(ctx, urs, at)
	if err != nil {
		return m, err
	}
	rev, err := a.Settings(ctx)
	if err != nil {
		return m, err
	}
	if len(m.To) == 0 {
		return m, fmt.Errorf("a URS %s não tem e-mail nas configurações", urs)
	}
	results, err := mail.Sender{Config: rev.SMTP, TLS: MailTLS}.Send(ctx, []mail.Message{m}, at)
	if err != nil {
		return m, err
	}
	rec := store.SentMessage{At: at, Actor: actor, Kind: store.MessageDigest, URS: urs, Recipients: m.To, Subject: m.Subject,
		Outcome: store.MessageSent}
	e := store.AuditEntry{At: at, Actor: actor, Action: audit.DigestSent, Target: "URS " + urs, IP: ip, Outcome: audit.OK,
		Detail: "resumo semanal para " + strings.Join(m.To, ", ")}
	if results[0] != nil {
		rec.Outcome, rec.Error = store.MessageFailed, results[0].Error()
		e.Outcome, e.Detail = audit.Failed, e.Detail+" – "+results[0].Error()
	}
	if err := a.Store.RecordMessage(ctx, rec, e); err != nil {
		return m, err
	}
	return m, results[0]
}

// DigestsDue sends the digest of every URS with contemplated
// municipalities when the schedule says one is due: the last digest of
// the URS is older than the last scheduled time before now.
func (a *App) DigestsDue(ctx context.Context, now time.Time) (int, error) {
	rev, err := a.Settings(ctx)
	if err != nil || !rev.Digest.Enabled || !rev.SMTP.Configured() {
		return 0, err
	}
	due := rev.Digest.Next(now.AddDate(0, 0, -7))
	if due.After(now) {
		return 0, nil
	}
	snap, err := a.Snapshot(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, urs := range stageURS(snap) {
		if rev.URSContact(urs).Email == "" {
			continue
		}
		last, err := a.Store.LastDigest(ctx, urs)
		if err != nil {
			return sent, err
		}
		if !last.Before(due) {
			continue
		}
		if _, err := a.SendDigest(ctx, urs, "agenda:resumo_semanal", "", now); err == nil {
			sent++
		}
	}
	return sent, nil
}

// stageURS lists the URSs with contemplated municipalities.
func stageURS(snap *monitor.Snapshot) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range snap.Rows {
		if r.Coverage != nil && !seen[r.URS] {
			seen[r.URS] = true
			out = append(out, r.URS)
		}
	}
	return out
}

// SMTPConfigured reports whether notices can be sent by e-mail.
func (a *App) SMTPConfigured(ctx context.Context) (bool, error) {
	rev, err := a.Settings(ctx)
	return rev.SMTP.Configured(), err
}
