package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// User is a person who logs in.
type User struct {
	ID                int64
	Email             string
	Role              string // admin, urs or municipio
	URS               string // the URS of a urs user
	IBGE              string // the municipality of a municipio user
	PasswordHash      string
	Disabled          bool
	CreatedAt         time.Time
	PasswordChangedAt time.Time
}

// ErrDuplicate is returned when a unique value already exists.
var ErrDuplicate = errors.New("store: already exists")

const userColumns = `id, email, role, urs, ibge, password_hash, disabled, created_at, password_changed_at`

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	var created, changed string
	err := sc.Scan(&u.ID, &u.Email, &u.Role, &u.URS, &u.IBGE, &u.PasswordHash, &u.Disabled, &created, &changed)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	u.CreatedAt, u.PasswordChangedAt = parseTime(created), parseTime(changed)
	return u, err
}

// AddUser creates a user; the e-mail is stored in lower case.
func (s *Store) AddUser(ctx context.Context, u User) (int64, error) {
	now := formatTime(time.Now())
	res, err := s.write.ExecContext(ctx, `INSERT INTO users (email, role, urs, ibge, password_hash, created_at, password_changed_at)
		VALUES (?,?,?,?,?,?,?)`, strings.ToLower(u.Email), u.Role, u.URS, u.IBGE, u.PasswordHash, now, now)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return 0, ErrDuplicate
		}
		return 0, fmt.Errorf("store: add user: %w", err)
	}
	return res.LastInsertId()
}

// UserByEmail finds a user by e-mail (any case).
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	return scanUser(s.read.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE email = ?", strings.ToLower(email)))
}

// Users lists every user by e-mail.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var out []User
	err := each(ctx, s.read, "SELECT "+userColumns+" FROM users ORDER BY email", func(scan func(...any) error) error {
		u, err := scanUser(scanFunc(scan))
		out = append(out, u)
		return err
	})
	return out, err
}

// scanFunc adapts a scan function to the Scan interface.
type scanFunc func(...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// SetUserDisabled disables or enables a user; disabling ends their sessions.
func (s *Store) SetUserDisabled(ctx context.Context, email string, disabled bool) error {
	return s.updateUser(ctx, email, "UPDATE users SET disabled = ? WHERE email = ?", boolInt(disabled), strings.ToLower(email))
}

// SetPassword replaces a user's password hash and ends their sessions.
func (s *Store) SetPassword(ctx context.Context, email, hash string) error {
	return s.updateUser(ctx, email, "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE email = ?",
		hash, formatTime(time.Now()), strings.ToLower(email))
}

func (s *Store) updateUser(ctx context.Context, email, query string, args ...any) error {
	return s.Update(ctx, func(t *Tx) error {
		res, err := t.q.ExecContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("store: update user: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		_, err = t.q.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = ?)", strings.ToLower(email))
		return err
	})
}
