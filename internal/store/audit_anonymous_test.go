package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/audit"
)

// openTemp opens a new database that is closed at the end of the test.
func openTemp(t *testing.T) *Store {
	t.Helper()
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Anonymous actions are counted on one entry per client, action and
// outcome within the window; everything else is still one entry each.
func TestAuditAnonymousAggregates(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	start := time.Date(2026, 11, 22, 10, 0, 0, 0, time.Local)
	window := 10 * time.Minute
	record := func(at time.Time, ip, action, outcome, target string) {
		t.Helper()
		if err := st.AuditAnonymous(ctx, AuditEntry{At: at, Actor: "ignored", Action: action, Target: target, IP: ip, Outcome: outcome}, window); err != nil {
			t.Fatal(err)
		}
	}
	// A flood: 2,000 exports from one client in about 8 minutes.
	for i := range 2000 {
		record(start.Add(time.Duration(i)*240*time.Millisecond), "10.0.0.1", audit.Export, audit.OK, fmt.Sprintf("f%d.xlsx", i))
	}
	record(start.Add(time.Minute), "10.0.0.2", audit.Export, audit.OK, "outro-cliente.xlsx")
	record(start.Add(time.Minute), "10.0.0.1", audit.Denied, audit.Refused, "/admin")
	record(start.Add(2*time.Minute), "10.0.0.1", audit.Denied, audit.Refused, "/admin/usuarios")
	record(start.Add(time.Minute), "10.0.0.1", audit.Export, audit.Failed, "falhou.xlsx")
	// The window is counted from the entry's first time.
	record(start.Add(window), "10.0.0.1", audit.Export, audit.OK, "depois.xlsx")
	record(start.Add(window+time.Second), "10.0.0.1", audit.Export, audit.OK, "depois2.xlsx")
	// Named actors are never counted together.
	for range 3 {
		if err := st.Audit(ctx, AuditEntry{At: start, Actor: "a@x.br", Action: audit.Export, IP: "10.0.0.1", Outcome: audit.OK}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.AuditEntries(ctx, AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := len(got) - 1; i >= 0; i-- {
		e := got[i]
		lines = append(lines, fmt.Sprintf("%s %s %s %s %s %d %s", e.Actor, e.IP, e.Action, e.Outcome, e.Target, e.Count,
			e.LastAt.Sub(e.At)))
	}
	want := []string{
		"anônimo 10.0.0.1 exportacao ok f0.xlsx 2000 7m59s",
		"anônimo 10.0.0.2 exportacao ok outro-cliente.xlsx 1 0s",
		"anônimo 10.0.0.1 acesso.negado negado /admin 2 1m0s",
		"anônimo 10.0.0.1 exportacao falha falhou.xlsx 1 0s",
		"anônimo 10.0.0.1 exportacao ok depois.xlsx 2 1s",
		"a@x.br 10.0.0.1 exportacao ok  1 0s",
		"a@x.br 10.0.0.1 exportacao ok  1 0s",
		"a@x.br 10.0.0.1 exportacao ok  1 0s",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// An entry whose time is after the new action's is not reused.
	record(start.Add(-time.Second), "10.0.0.2", audit.Export, audit.OK, "atrasado.xlsx")
	if n, _ := st.AuditEntries(ctx, AuditQuery{IP: "10.0.0.2"}); len(n) != 2 {
		t.Errorf("an action older than the entry was counted on it: %d entries", len(n))
	}
}

// The log stays append-only: only an anonymous entry's count grows, by one.
func TestAuditCountOnlyGrowsOnAnonymousEntries(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.Local)
	if err := st.Audit(ctx, AuditEntry{At: at, Actor: "a@x.br", Action: audit.Login, IP: "1.1.1.1", Outcome: audit.OK}); err != nil {
		t.Fatal(err)
	}
	if err := st.AuditAnonymous(ctx, AuditEntry{At: at, Action: audit.Export, IP: "1.1.1.1", Outcome: audit.OK}, time.Minute); err != nil {
		t.Fatal(err)
	}
	later := formatTime(at.Add(time.Second))
	for _, q := range []string{
		"UPDATE audit_log SET count = count + 1, last_at = '" + later + "' WHERE actor = 'a@x.br'",
		"UPDATE audit_log SET count = count + 5, last_at = '" + later + "' WHERE actor = 'anônimo'",
		"UPDATE audit_log SET count = 0 WHERE actor = 'anônimo'",
		"UPDATE audit_log SET last_at = '2000-01-01T00:00:00' WHERE actor = 'anônimo'",
		"UPDATE audit_log SET detail = 'x' WHERE actor = 'anônimo'",
		"UPDATE audit_log SET actor = 'anônimo' WHERE actor = 'a@x.br'",
		"DELETE FROM audit_log WHERE actor = 'anônimo'",
	} {
		if _, err := st.write.ExecContext(ctx, q); err == nil {
			t.Errorf("allowed: %s", q)
		}
	}
	if _, err := st.write.ExecContext(ctx, "UPDATE audit_log SET count = count + 1, last_at = ? WHERE actor = 'anônimo'", later); err != nil {
		t.Errorf("the count of an anonymous entry cannot grow: %v", err)
	}
}

// Finding the entry to count on uses the partial index, not a scan of
// the log.
func TestAuditAnonymousUsesIndex(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	rows, err := st.write.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT id FROM audit_log WHERE actor = 'anônimo' AND ip = ? AND action = ? AND outcome = ?
		AND at > ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1`, "1.1.1.1", "x", "ok", "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if p := strings.Join(plan, "; "); !strings.Contains(p, "audit_log_anonymous") || strings.Contains(p, "TEMP B-TREE") {
		t.Errorf("plan: %s", p)
	}
}

// Entries written before the count existed read as counted once, and an
// anonymous one can be counted on.
func TestAuditEntriesFromBeforeTheCount(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.Local)
	if _, err := st.write.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, target, detail, ip, outcome)
		VALUES (?, 'anônimo', 'exportacao', 'x.xlsx', '', '1.1.1.1', 'ok')`, formatTime(at)); err != nil {
		t.Fatal(err)
	}
	got, err := st.AuditEntries(ctx, AuditQuery{})
	if err != nil || len(got) != 1 || got[0].Count != 1 || !got[0].LastAt.Equal(at) {
		t.Fatalf("old entry read as %+v (%v)", got, err)
	}
	if err := st.AuditAnonymous(ctx, AuditEntry{At: at.Add(time.Minute), Action: audit.Export, IP: "1.1.1.1", Outcome: audit.OK},
		audit.AnonymousWindow); err != nil {
		t.Fatal(err)
	}
	got, err = st.AuditEntries(ctx, AuditQuery{})
	if err != nil || len(got) != 1 || got[0].Count != 2 || !got[0].LastAt.Equal(at.Add(time.Minute)) {
		t.Errorf("counted on the old entry: %+v (%v)", got, err)
	}
}
