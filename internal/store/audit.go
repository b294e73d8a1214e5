package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID      int64
	At      time.Time
	Actor   string // user e-mail, "anônimo", or "cli:<os user>"
	Action  string
	Target  string
	Detail  string
	IP      string
	Outcome string // ok, falha or negado
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

// Audit appends an entry to the audit log.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, target, detail, ip, outcome) VALUES (?,?,?,?,?,?,?)`,
		formatTime(e.At), e.Actor, e.Action, e.Target, e.Detail, e.IP, e.Outcome)
	if err != nil {
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
	query := "SELECT id, at, actor, action, target, detail, ip, outcome FROM audit_log"
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
		var at string
		if err := scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.IP, &e.Outcome); err != nil {
			return err
		}
		e.At = parseTime(at)
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
