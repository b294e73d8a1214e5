package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ses-mg/telemonitor/internal/audit"
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID      int64
	At      time.Time // when it happened (the first time, for a counted entry)
	Actor   string    // user e-mail, audit.Anonymous, or "cli:<os user>"
	Action  string
	Target  string // of the first time, for a counted entry
	Detail  string // of the first time, for a counted entry
	IP      string
	Outcome string // ok, falha or negado
	// Count is how many times the action happened (more than 1 only for
	// anonymous entries, see AuditAnonymous); LastAt is the last time (At
	// when Count is 1). Both are read, not written, by Audit.
	Count  int
	LastAt time.Time
}

// AuditQuery selects audit entries; empty fields match everything.
type AuditQuery struct {
	Actor    string // substring, any case
	Action   string
	IP       string
	From, To time.Time // To is exclusive
	BeforeID int64     // page backwards from this id
	Limit    int
}

// Audit appends entries to the audit log: all of them or none, in one
// transaction (an import of a set records an entry per file, and a commit
// each cost more than the entries).
func (s *Store) Audit(ctx context.Context, entries ...AuditEntry) error {
	now := time.Now()
	add := func(q querier) error {
		for _, e := range entries {
			if e.At.IsZero() {
				e.At = now
			}
			if err := insertAudit(ctx, q, e); err != nil {
				return fmt.Errorf("store: audit: %w", err)
			}
		}
		return nil
	}
	switch len(entries) {
	case 0:
		return nil
	case 1:
		return add(s.write)
	}
	return s.Update(ctx, func(t *Tx) error { return add(t.q) })
}

func insertAudit(ctx context.Context, q querier, e AuditEntry) error {
	at := formatTime(e.At)
	_, err := q.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, target, detail, ip, outcome, last_at) VALUES (?,?,?,?,?,?,?,?)`,
		at, e.Actor, e.Action, e.Target, e.Detail, e.IP, e.Outcome, at)
	return err
}

// AuditAnonymous records an action done without logging in (the actor is
// set to audit.Anonymous). When the log already has an anonymous entry of
// the same action, IP and outcome that began less than window before e.At
// (and not after it), that entry's Count grows by one and its LastAt
// becomes e.At; its target and detail stay those of the first time.
// Otherwise a new entry is appended. A client flooding one action thus adds
// one entry per window (audit.AnonymousWindow is the usual one).
func (s *Store) AuditAnonymous(ctx context.Context, e AuditEntry, window time.Duration) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.Actor = audit.Anonymous
	at := formatTime(e.At)
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	defer tx.Rollback()
	// The literal actor lets SQLite use the partial index audit_log_anonymous.
	res, err := tx.ExecContext(ctx, `UPDATE audit_log SET count = count + 1, last_at = max(last_at, ?)
		WHERE id = (SELECT id FROM audit_log WHERE actor = 'anônimo' AND ip = ? AND action = ? AND outcome = ?
			AND at > ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1)`,
		at, e.IP, e.Action, e.Outcome, formatTime(e.At.Add(-window)), at)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: audit: %w", err)
	} else if n == 0 {
		if err := insertAudit(ctx, tx, e); err != nil {
			return fmt.Errorf("store: audit: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}

// AuditEntries lists matching entries, newest first.
func (s *Store) AuditEntries(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if q.Actor != "" {
		add("instr(lower(actor), lower(?)) > 0", q.Actor)
	}
	if q.Action != "" {
		add("action = ?", q.Action)
	}
	if q.IP != "" {
		add("ip = ?", q.IP)
	}
	if !q.From.IsZero() {
		add("at >= ?", formatTime(q.From))
	}
	if !q.To.IsZero() {
		add("at < ?", formatTime(q.To))
	}
	if q.BeforeID > 0 {
		add("id < ?", q.BeforeID)
	}
	query := "SELECT id, at, actor, action, target, detail, ip, outcome, count, last_at FROM audit_log"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC"
	if q.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	var out []AuditEntry
	err := eachArgs(ctx, s.read, query, args, func(scan func(...any) error) error {
		var e AuditEntry
		var at, last string
		if err := scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.IP, &e.Outcome, &e.Count, &last); err != nil {
			return err
		}
		e.At = parseTime(at)
		e.LastAt = e.At
		if last != "" {
			e.LastAt = parseTime(last)
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: audit entries: %w", err)
	}
	return out, nil
}

// AuditActions lists the distinct actions recorded (for the filter).
func (s *Store) AuditActions(ctx context.Context) ([]string, error) {
	var out []string
	err := each(ctx, s.read, "SELECT DISTINCT action FROM audit_log ORDER BY action", func(scan func(...any) error) error {
		var a string
		err := scan(&a)
		out = append(out, a)
		return err
	})
	return out, err
}
