package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestLargeSavepointJournal: a savepoint (or statement) whose journal
// outgrows the part kept in memory goes on in a temp file. With the spill
// threshold at 4 MB, SQLite wrote the 4 MB it held in one call, which its
// unix VFS cuts to 17 bits of length (nothing), and the import failed
// with "database or disk is full": re-importing a cumulative export of a
// million requests did. Here a savepoint rewrites 16 MB of stored rows,
// and a statement inside it does too.
func TestLargeSavepointJournal(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pad := strings.Repeat("x", 1000)
	if _, err := st.write.ExecContext(ctx, `CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE);
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 16000)
		INSERT INTO big SELECT i, i || ? FROM n`, pad); err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx *Tx) error {
		if err := tx.Savepoint(ctx); err != nil {
			return err
		}
		// UNIQUE makes the UPDATE keep a statement journal of its own.
		if _, err := tx.q.ExecContext(ctx, `UPDATE big SET v = 'y' || v`); err != nil {
			return err
		}
		if _, err := tx.q.ExecContext(ctx, `CREATE INDEX big_v ON big(substr(v, 1, 8), id)`); err != nil {
			return err
		}
		return tx.Keep(ctx)
	})
	if err != nil {
		t.Fatalf("savepoint over 16 MB of stored rows: %v", err)
	}
	var n int
	if err := st.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM big WHERE v LIKE 'y%'`).Scan(&n); err != nil || n != 16000 {
		t.Fatalf("rows rewritten = %d (%v), want 16000", n, err)
	}
}
