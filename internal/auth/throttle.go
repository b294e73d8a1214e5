package auth

import (
	"strings"
	"sync"
	"time"
)

// Throttle limits failed logins per account and per client address within
// a sliding window. It is kept in memory: one process serves the dashboard.
type Throttle struct {
	PerAccount int           // failures allowed per account per window
	PerIP      int           // failures allowed per address per window
	Window     time.Duration // how long a failure counts
	Now        func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
}

// NewThrottle returns the production limits: 5 failures per account and
// 20 per address in 15 minutes.
func NewThrottle() *Throttle {
	return &Throttle{PerAccount: 5, PerIP: 20, Window: 15 * time.Minute, Now: time.Now}
}

func accountKey(email string) string { return "conta:" + strings.ToLower(strings.TrimSpace(email)) }
func ipKey(ip string) string         { return "ip:" + ip }

// Blocked reports whether a login for this account from this address must
// be refused now, and for how long.
func (t *Throttle) Blocked(email, ip string) (time.Duration, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	wait := max(t.wait(accountKey(email), t.PerAccount, now), t.wait(ipKey(ip), t.PerIP, now))
	return wait, wait > 0
}

// wait is how long until key drops below limit failures (0 when it is
// below already).
func (t *Throttle) wait(key string, limit int, now time.Time) time.Duration {
	list := t.recent(key, now)
	if len(list) < limit {
		return 0
	}
	return list[len(list)-limit].Add(t.Window).Sub(now)
}

// recent drops failures older than the window and returns the rest.
func (t *Throttle) recent(key string, now time.Time) []time.Time {
	list := t.failures[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= t.Window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(t.failures, key)
	} else {
		t.failures[key] = list
	}
	return list
}

// Fail records a failed login.
func (t *Throttle) Fail(email, ip string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failures == nil {
		t.failures = map[string][]time.Time{}
	}
	now := t.Now()
	for _, k := range []string{accountKey(email), ipKey(ip)} {
		t.failures[k] = append(t.recent(k, now), now)
	}
}

// Succeed forgets the account's failures (the address keeps its own).
func (t *Throttle) Succeed(email string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, accountKey(email))
}
