package store

import (
	"context"
	"testing"
	"time"
)

// insertAll stores every row, in order (a later row wins an ON CONFLICT
// against an earlier one, across the groups it is split into), whatever
// the count, with at most seven statement texts per INSERT.
func TestInsertAllGroups(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	const query = `INSERT INTO temp.seq (k, i) VALUES (?,?) ON CONFLICT(k) DO UPDATE SET i = excluded.i, n = n + 1`
	for _, n := range []int{0, 1, 2, 3, 7, 63, 64, 65, 127, 128, 129, 200, 1000} {
		err := st.Update(ctx, func(tx *Tx) error {
			if _, err := tx.q.ExecContext(ctx, "CREATE TEMP TABLE seq (k INTEGER PRIMARY KEY, i INTEGER, n INTEGER DEFAULT 1)"); err != nil {
				return err
			}
			defer tx.q.ExecContext(ctx, "DROP TABLE temp.seq")
			if err := tx.insertAll(ctx, "seq", query, n, func(i int) []any { return []any{i % 5, i} }); err != nil {
				return err
			}
			rows := 0
			err := eachArgs(ctx, tx.q, "SELECT k, i, n FROM temp.seq ORDER BY k", nil, func(scan func(...any) error) error {
				var k, i, times int
				if err := scan(&k, &i, &times); err != nil {
					return err
				}
				last := k + (n-1-k)/5*5 // the last i with i%5 == k
				if want := (n - k + 4) / 5; i != last || times != want {
					t.Errorf("n=%d key %d: i=%d (want %d), %d rows (want %d)", n, k, i, last, times, want)
				}
				rows++
				return nil
			})
			if rows != min(n, 5) {
				t.Errorf("n=%d: %d keys", n, rows)
			}
			return err
		})
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
	}
	texts := 0
	insertQueries.Range(func(k, _ any) bool {
		if k.(insertKey).query == query {
			texts++
		}
		return true
	})
	if texts > 7 {
		t.Errorf("%d statement texts for one INSERT", texts)
	}
}

// Several audit entries go in together (one transaction), in order, each
// stamped with the time it was given or now; none are written for none.
func TestAuditSeveral(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	if err := st.Audit(ctx); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 22, 10, 0, 0, 0, time.Local)
	err := st.Audit(ctx, AuditEntry{Actor: "cli:x", Action: "importacao", Target: "a.xlsx", Outcome: "ok"},
		AuditEntry{At: day, Actor: "cli:x", Action: "importacao", Target: "b.xlsx", Outcome: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.AuditEntries(ctx, AuditQuery{})
	if err != nil || len(got) != 2 {
		t.Fatalf("%d entries: %v", len(got), err)
	}
	targets := map[string]time.Time{}
	for _, e := range got {
		targets[e.Target] = e.At
	}
	if at := targets["b.xlsx"]; !at.Equal(day) {
		t.Errorf("b.xlsx at %v, want %v", at, day)
	}
	if at := targets["a.xlsx"]; time.Since(at) > time.Minute {
		t.Errorf("a.xlsx at %v, want now", at)
	}
}
