package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func TestAuditIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	day := time.Date(2026, 11, 22, 10, 0, 0, 0, time.Local)
	entries := []AuditEntry{
		{At: day, Actor: "a@x.br", Action: "login", IP: "1.1.1.1", Outcome: "ok"},
		{At: day.Add(time.Hour), Actor: "b@x.br", Action: "login.falha", IP: "2.2.2.2", Outcome: "falha"},
		{At: day.AddDate(0, 0, 1), Actor: "A@x.br", Action: "exportacao", Target: "x.xlsx", IP: "1.1.1.1", Outcome: "ok"},
	}
	for _, e := range entries {
		if err := st.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.write.ExecContext(ctx, "UPDATE audit_log SET actor = 'x'"); err == nil {
		t.Error("an audit entry was updated")
	}
	if _, err := st.write.ExecContext(ctx, "DELETE FROM audit_log"); err == nil {
		t.Error("audit entries were deleted")
	}
	tests := []struct {
		q    AuditQuery
		want int
	}{
		{AuditQuery{}, 3},
		{AuditQuery{Actor: "a@X"}, 2},
		{AuditQuery{Action: "login"}, 1},
		{AuditQuery{IP: "2.2.2.2"}, 1},
		{AuditQuery{From: day.AddDate(0, 0, 1)}, 1},
		{AuditQuery{To: day.AddDate(0, 0, 1)}, 2},
		{AuditQuery{Limit: 2}, 2},
		{AuditQuery{BeforeID: 2}, 1},
		{AuditQuery{Actor: "' OR 1=1 --"}, 0},
	}
	for _, tc := range tests {
		got, err := st.AuditEntries(ctx, tc.q)
		if err != nil || len(got) != tc.want {
			t.Errorf("%+v: %d entries (%v), want %d", tc.q, len(got), err, tc.want)
		}
	}
}
