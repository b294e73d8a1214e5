package auth

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/store"
	"github.com/ses-mg/telemonitor/internal/territory"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash format: %s", h)
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of the same password are equal: no salt")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse battery", true}, {"correct horse batterY", false}, {"", false}} {
		ok, err := CheckPassword(h, tc.pw)
		if err != nil || ok != tc.want {
			t.Errorf("CheckPassword(%q) = %v, %v", tc.pw, ok, err)
		}
	}
	if _, err := HashPassword("curta"); err != ErrWeakPassword {
		t.Errorf("short password: %v", err)
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=0,t=1,p=1$AA$AA", "$bcrypt$x", "$argon2id$v=18$m=1,t=1,p=1$AA$AA"} {
		if ok, err := CheckPassword(bad, "x"); ok || err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

func TestThrottle(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	th := &Throttle{PerAccount: 3, PerIP: 5, Window: 15 * time.Minute, Now: func() time.Time { return now }}
	for i := 0; i < 3; i++ {
		if _, blocked := th.Blocked("a@x.br", "1.1.1.1"); blocked {
			t.Fatalf("blocked after %d failures", i)
		}
		th.Fail("A@x.br", "1.1.1.1")
	}
	wait, blocked := th.Blocked("a@x.br", "2.2.2.2")
	if !blocked || wait != 15*time.Minute {
		t.Errorf("account after 3 failures: blocked=%v wait=%v", blocked, wait)
	}
	if _, blocked := th.Blocked("b@x.br", "1.1.1.1"); blocked {
		t.Error("another account from the same address is blocked below the address limit")
	}
	th.Fail("b@x.br", "1.1.1.1")
	th.Fail("c@x.br", "1.1.1.1")
	if _, blocked := th.Blocked("d@x.br", "1.1.1.1"); !blocked {
		t.Error("address with 5 failures is not blocked")
	}
	now = now.Add(15*time.Minute + time.Second)
	if _, blocked := th.Blocked("a@x.br", "1.1.1.1"); blocked {
		t.Error("still blocked after the window")
	}
	th.Fail("e@x.br", "3.3.3.3")
	th.Succeed("e@x.br")
	if n := len(th.failures[accountKey("e@x.br")]); n != 0 {
		t.Errorf("success kept %d account failures", n)
	}
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestSessionsTimeouts(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	hash, _ := HashPassword("senha-de-teste-1")
	if _, err := st.AddUser(ctx, store.User{Email: "u@x.br", Role: "urs", URS: "Itabira", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 8, 0, 0, 0, time.Local)
	s := &Sessions{Store: st, Idle: 30 * time.Minute, Absolute: 8 * time.Hour, Now: func() time.Time { return now }}
	if _, _, err := s.Login(ctx, "u@x.br", "errada-errada", Client{}); err != ErrBadCredentials {
		t.Errorf("wrong password: %v", err)
	}
	if _, _, err := s.Login(ctx, "ninguem@x.br", "senha-de-teste-1", Client{}); err != ErrBadCredentials {
		t.Errorf("unknown user: %v", err)
	}
	tok1, _, err := s.Login(ctx, "U@X.BR", "senha-de-teste-1", Client{IP: "1.2.3.4"})
	if err != nil {
		t.Fatal(err)
	}
	tok2, _, _ := s.Login(ctx, "u@x.br", "senha-de-teste-1", Client{})
	if tok1 == tok2 {
		t.Error("a new login reused the session token")
	}
	p, err := s.Resolve(ctx, tok1)
	if err != nil || p.Email != "u@x.br" || p.Role != URS || p.URS != "Itabira" || p.CSRF == "" {
		t.Fatalf("resolve: %+v %v", p, err)
	}
	// Activity every 20 minutes keeps the session past the idle timeout...
	for i := 0; i < 5; i++ {
		now = now.Add(20 * time.Minute)
		if _, err := s.Resolve(ctx, tok1); err != nil {
			t.Fatalf("active session ended after %d×20 min: %v", i+1, err)
		}
	}
	// ...but 31 idle minutes end it.
	now = now.Add(31 * time.Minute)
	if _, err := s.Resolve(ctx, tok1); err != ErrNoSession {
		t.Errorf("idle session: %v", err)
	}
	// The absolute timeout ends an active session.
	tok3, _, _ := s.Login(ctx, "u@x.br", "senha-de-teste-1", Client{})
	for i := 0; i < 17; i++ {
		now = now.Add(29 * time.Minute)
		s.Resolve(ctx, tok3)
	}
	if _, err := s.Resolve(ctx, tok3); err != ErrNoSession {
		t.Errorf("session older than 8 h: %v", err)
	}
	// Disabling the user ends their sessions; so does a password change.
	tok4, _, _ := s.Login(ctx, "u@x.br", "senha-de-teste-1", Client{})
	if err := st.SetUserDisabled(ctx, "u@x.br", true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resolve(ctx, tok4); err != ErrNoSession {
		t.Errorf("disabled user's session: %v", err)
	}
	if _, _, err := s.Login(ctx, "u@x.br", "senha-de-teste-1", Client{}); err != ErrBadCredentials {
		t.Errorf("disabled user logged in: %v", err)
	}
	if err := s.Logout(ctx, "token-que-nao-existe"); err != nil {
		t.Error(err)
	}
}

func TestScope(t *testing.T) {
	itabira := territory.Municipality{IBGE: "3131703", URS: "Itabira"}
	bh := territory.Municipality{IBGE: "3106200", URS: "Belo Horizonte"}
	tests := []struct {
		p       *Principal
		m       territory.Municipality
		want    bool
		fullCPF bool
	}{
		{nil, itabira, false, false},
		{&Principal{Role: Admin}, bh, true, true},
		{&Principal{Role: URS, URS: "Itabira"}, itabira, true, false},
		{&Principal{Role: URS, URS: "Itabira"}, bh, false, false},
		{&Principal{Role: Municipio, IBGE: "3131703"}, itabira, true, false},
		{&Principal{Role: Municipio, IBGE: "3131703"}, territory.Municipality{IBGE: "3105400", URS: "Itabira"}, false, false},
		{&Principal{Role: "outro"}, itabira, false, false},
	}
	for _, tc := range tests {
		if got := tc.p.CanSee(tc.m); got != tc.want {
			t.Errorf("%+v CanSee(%s) = %v", tc.p, tc.m.IBGE, got)
		}
		if got := tc.p.Reveal().CPF; got != tc.fullCPF {
			t.Errorf("%+v Reveal().CPF = %v", tc.p, got)
		}
	}
}

func TestIsToken(t *testing.T) {
	if tok := NewToken(); !IsToken(tok) {
		t.Errorf("a new token %q is refused", tok)
	}
	for _, bad := range []string{"", "a", strings.Repeat("a", 42), strings.Repeat("a", 44), strings.Repeat("!", 43), strings.Repeat("a", 42) + "="} {
		if IsToken(bad) {
			t.Errorf("IsToken(%q) = true", bad)
		}
	}
}
