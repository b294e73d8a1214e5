package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Session is a login session with its user.
type Session struct {
	TokenHash  string
	CSRF       string
	CreatedAt  time.Time
	LastSeenAt time.Time
	IP         string
	UserAgent  string
	User       User
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, sess Session) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen_at, ip, user_agent)
		VALUES (?,?,?,?,?,?,?)`, sess.TokenHash, sess.User.ID, sess.CSRF, formatTime(sess.CreatedAt), formatTime(sess.LastSeenAt),
		sess.IP, sess.UserAgent)
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionByHash finds a session and its user.
func (s *Store) SessionByHash(ctx context.Context, hash string) (Session, error) {
	row := s.read.QueryRowContext(ctx, `SELECT s.token_hash, s.csrf, s.created_at, s.last_seen_at, s.ip, `+prefixed("u.", userColumns)+`
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, hash)
	var sess Session
	var created, seen string
	var u User
	var uCreated, uChanged string
	err := row.Scan(&sess.TokenHash, &sess.CSRF, &created, &seen, &sess.IP,
		&u.ID, &u.Email, &u.Role, &u.URS, &u.IBGE, &u.PasswordHash, &u.Disabled, &uCreated, &uChanged)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, ErrNotFound
	}
	if err != nil {
		return sess, fmt.Errorf("store: session: %w", err)
	}
	sess.CreatedAt, sess.LastSeenAt = parseTime(created), parseTime(seen)
	u.CreatedAt, u.PasswordChangedAt = parseTime(uCreated), parseTime(uChanged)
	sess.User = u
	return sess, nil
}

// TouchSession records activity (for the idle timeout).
func (s *Store) TouchSession(ctx context.Context, hash string, at time.Time) error {
	_, err := s.write.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", formatTime(at), hash)
	return err
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.write.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", hash)
	return err
}

// DeleteExpiredSessions removes sessions idle since before idle or created
// before absolute.
func (s *Store) DeleteExpiredSessions(ctx context.Context, idle, absolute time.Time) error {
	_, err := s.write.ExecContext(ctx, "DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?",
		formatTime(idle), formatTime(absolute))
	return err
}

// prefixed qualifies each column of a list with a table alias.
func prefixed(prefix, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}
