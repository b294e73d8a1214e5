package auth

import (
	"context"
	"errors"
	"time"

	"github.com/ses-mg/telemonitor/internal/store"
)

// Session timeouts.
const (
	DefaultIdle     = 30 * time.Minute // without a request
	DefaultAbsolute = 8 * time.Hour    // since login, whatever the activity
)

// ErrBadCredentials is the one answer to an unknown e-mail, a wrong
// password or a disabled account (the page does not tell them apart).
var ErrBadCredentials = errors.New("e-mail ou senha incorretos")

// ErrNoSession means the cookie names no live session.
var ErrNoSession = errors.New("auth: no session")

// Sessions logs users in and resolves session cookies.
type Sessions struct {
	Store    *store.Store
	Idle     time.Duration
	Absolute time.Duration
	Now      func() time.Time
}

// NewSessions uses the default timeouts.
func NewSessions(st *store.Store) *Sessions {
	return &Sessions{Store: st, Idle: DefaultIdle, Absolute: DefaultAbsolute, Now: time.Now}
}

// Client is where a request comes from (kept with the session).
type Client struct {
	IP        string
	UserAgent string
}

// Login checks the password and opens a new session (a new token every
// time: the session id is renewed at login). It returns the cookie token.
func (s *Sessions) Login(ctx context.Context, email, password string, cl Client) (string, *Principal, error) {
	u, err := s.Store.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		CheckPassword(dummyHash(), password) // same time as a real check
		return "", nil, ErrBadCredentials
	}
	if err != nil {
		return "", nil, err
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	if err != nil || !ok || u.Disabled {
		return "", nil, ErrBadCredentials
	}
	token, now := NewToken(), s.Now()
	p := FromUser(u)
	p.CSRF = NewToken()
	err = s.Store.CreateSession(ctx, store.Session{TokenHash: HashToken(token), CSRF: p.CSRF, CreatedAt: now, LastSeenAt: now,
		IP: cl.IP, UserAgent: truncate(cl.UserAgent, 300), User: u})
	if err != nil {
		return "", nil, err
	}
	return token, p, nil
}

// Resolve returns the principal of a session token, ending the session
// when it is past a timeout or its user was disabled.
func (s *Sessions) Resolve(ctx context.Context, token string) (*Principal, error) {
	if token == "" {
		return nil, ErrNoSession
	}
	hash := HashToken(token)
	sess, err := s.Store.SessionByHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if sess.User.Disabled || now.Sub(sess.LastSeenAt) > s.Idle || now.Sub(sess.CreatedAt) > s.Absolute {
		if err := s.Store.DeleteSession(ctx, hash); err != nil {
			return nil, err
		}
		return nil, ErrNoSession
	}
	// Record activity at most once a minute (one write, not one per request).
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.Store.TouchSession(ctx, hash, now); err != nil {
			return nil, err
		}
	}
	p := FromUser(sess.User)
	p.CSRF = sess.CSRF
	return p, nil
}

// Logout ends the session of token.
func (s *Sessions) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.Store.DeleteSession(ctx, HashToken(token))
}

// Sweep deletes expired sessions.
func (s *Sessions) Sweep(ctx context.Context) error {
	now := s.Now()
	return s.Store.DeleteExpiredSessions(ctx, now.Add(-s.Idle), now.Add(-s.Absolute))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
