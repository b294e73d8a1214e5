package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// DayLayout is how a day without a time is stored.
const DayLayout = "2006-01-02"

// Followup is one contact an URS or SES made with a municipality.
type Followup struct {
	ID          int64
	IBGE        string
	ContactedOn time.Time // the day of the contact
	Channel     string    // email, telefone, reuniao, oficio, whatsapp, outro
	Note        string
	PromisedOn  time.Time // what the municipality promised for, zero when nothing
	Actor       string
	CreatedAt   time.Time
}

// AddFollowup records a contact.
func (s *Store) AddFollowup(ctx context.Context, f Followup) (int64, error) {
	promised := ""
	if !f.PromisedOn.IsZero() {
		promised = f.PromisedOn.Format(DayLayout)
	}
	res, err := s.write.ExecContext(ctx, `INSERT INTO followups (ibge, contacted_on, channel, note, promised_on, actor, created_at)
		VALUES (?,?,?,?,?,?,?)`, f.IBGE, f.ContactedOn.Format(DayLayout), f.Channel, f.Note, promised, f.Actor, formatTime(time.Now()))
	if err != nil {
		return 0, fmt.Errorf("store: add follow-up: %w", err)
	}
	return res.LastInsertId()
}

// Followups returns the contacts with the municipalities in ibges (all
// when ibges is nil), latest contact first.
func (s *Store) Followups(ctx context.Context, ibges []string) ([]Followup, error) {
	query := `SELECT id, ibge, contacted_on, channel, note, promised_on, actor, created_at FROM followups`
	var args []any
	if ibges != nil {
		query += ` WHERE ibge IN (SELECT value FROM json_each(?))`
		args = append(args, jsonList(ibges))
	}
	query += ` ORDER BY contacted_on DESC, id DESC`
	var out []Followup
	err := eachArgs(ctx, s.read, query, args, func(scan func(...any) error) error {
		var f Followup
		var contacted, promised, created string
		if err := scan(&f.ID, &f.IBGE, &contacted, &f.Channel, &f.Note, &promised, &f.Actor, &created); err != nil {
			return err
		}
		f.ContactedOn, f.PromisedOn, f.CreatedAt = parseDay(contacted), parseDay(promised), parseTime(created)
		out = append(out, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: follow-ups: %w", err)
	}
	return out, nil
}

func parseDay(s string) time.Time {
	t, err := time.ParseInLocation(DayLayout, s, time.Local)
	if err != nil {
		return time.Time{}
	}
	return t
}

// SentMessage is one notice or digest e-mailed (or attempted).
type SentMessage struct {
	ID         int64
	At         time.Time
	Actor      string
	Kind       string // aviso or resumo
	IBGE       string // the municipality of a notice
	URS        string
	Recipients []string
	Subject    string
	Outcome    string // enviado or falha
	Error      string
}

// The kinds of message and outcomes of SentMessage.
const (
	MessageNotice = "aviso"
	MessageDigest = "resumo"
	MessageSent   = "enviado"
	MessageFailed = "falha"
)

// RecordMessage records a message and its audit entry in one transaction.
func (s *Store) RecordMessage(ctx context.Context, m SentMessage, e AuditEntry) error {
	if m.At.IsZero() {
		m.At = time.Now()
	}
	if e.At.IsZero() {
		e.At = m.At
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO sent_messages (at, actor, kind, ibge, urs, recipients, subject, outcome, error)
		VALUES (?,?,?,?,?,?,?,?,?)`, formatTime(m.At), m.Actor, m.Kind, m.IBGE, m.URS, strings.Join(m.Recipients, ", "),
		m.Subject, m.Outcome, m.Error); err != nil {
		return fmt.Errorf("store: record message: %w", err)
	}
	if err := insertAudit(ctx, tx, e); err != nil {
		return fmt.Errorf("store: audit message: %w", err)
	}
	return tx.Commit()
}

// MessageQuery selects sent messages; empty fields match everything.
type MessageQuery struct {
	Kind  string
	URS   string
	IBGEs []string // nil: any
	Limit int
}

// Messages lists sent messages, latest first.
func (s *Store) Messages(ctx context.Context, q MessageQuery) ([]SentMessage, error) {
	query := `SELECT id, at, actor, kind, ibge, urs, recipients, subject, outcome, error FROM sent_messages
		WHERE (? = '' OR kind = ?) AND (? = '' OR urs = ?)`
	args := []any{q.Kind, q.Kind, q.URS, q.URS}
	if q.IBGEs != nil {
		query += ` AND ibge IN (SELECT value FROM json_each(?))`
		args = append(args, jsonList(q.IBGEs))
	}
	query += ` ORDER BY id DESC`
	if q.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	var out []SentMessage
	err := eachArgs(ctx, s.read, query, args, func(scan func(...any) error) error {
		var m SentMessage
		var at, to string
		if err := scan(&m.ID, &at, &m.Actor, &m.Kind, &m.IBGE, &m.URS, &to, &m.Subject, &m.Outcome, &m.Error); err != nil {
			return err
		}
		m.At = parseTime(at)
		if to != "" {
			m.Recipients = strings.Split(to, ", ")
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: messages: %w", err)
	}
	return out, nil
}

// LastDigest is when the URS's last digest was sent successfully (zero
// when never).
func (s *Store) LastDigest(ctx context.Context, urs string) (time.Time, error) {
	var at string
	err := s.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(at), '') FROM sent_messages
		WHERE kind = 'resumo' AND urs = ? AND outcome = 'enviado'`, urs).Scan(&at)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: last digest: %w", err)
	}
	return parseTime(at), nil
}
