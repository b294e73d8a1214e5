package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestLargeSavepointJournal: a savepoint (or statement) whose journal
// outgrows the part kept in memory goes on in a temp file, and what it
// wrote there undoes the changes. With the threshold at 4 MB on SQLite's
// unix VFS, the spill was one write of 4 MB, which that VFS cuts to 17
// bits of length (nothing), and the import failed with "database or disk
// is full": re-importing a cumulative export of a million requests did.
// Here a savepoint rewrites 16 MB of stored rows and is kept or taken
// back, and a statement that rewrites them fails at its last row.
func TestLargeSavepointJournal(t *testing.T) {
	if journalSpill != stmtJournalMemory {
		t.Fatalf("statement journals spill at %d bytes, want %d (the telemonitor VFS)", journalSpill, stmtJournalMemory)
	}
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
	digest := func() string {
		var d string
		if err := st.write.QueryRowContext(ctx, `SELECT group_concat(substr(v, 1, 7), ',') FROM (SELECT v FROM big ORDER BY id)`).Scan(&d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	original := digest()
	rewrite := func(keep bool) error {
		return st.Update(ctx, func(tx *Tx) error {
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
			if keep {
				return tx.Keep(ctx)
			}
			return tx.Undo(ctx)
		})
	}
	if err := rewrite(false); err != nil {
		t.Fatalf("savepoint over 16 MB of stored rows, taken back: %v", err)
	}
	if digest() != original {
		t.Fatal("the rows differ after the savepoint was taken back")
	}
	// A statement that fails at its last row undoes the 16 MB it changed.
	err = st.Update(ctx, func(tx *Tx) error {
		_, err := tx.q.ExecContext(ctx, `UPDATE big SET v = CASE WHEN id = 16000 THEN NULL ELSE 'z' || v END`)
		if err == nil || !strings.Contains(err.Error(), "NOT NULL") {
			t.Errorf("update that sets NULL at the last row: %v, want a NOT NULL failure", err)
		}
		return errKeepGoing
	})
	if !errors.Is(err, errKeepGoing) {
		t.Fatal(err)
	}
	if digest() != original {
		t.Fatal("the rows differ after the failed statement")
	}
	if err := rewrite(true); err != nil {
		t.Fatalf("savepoint over 16 MB of stored rows, kept: %v", err)
	}
	var n int
	if err := st.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM big WHERE v LIKE 'y%'`).Scan(&n); err != nil || n != 16000 {
		t.Fatalf("rows rewritten = %d (%v), want 16000", n, err)
	}
}

var errKeepGoing = errors.New("roll back")

// TestLargeTempJournal: the journal of a temp database (TEMP tables) is
// kept in memory up to the same threshold and written out the same way;
// a transaction that rewrites 16 MB of a TEMP table commits, and one
// taken back leaves it as it was.
func TestLargeTempJournal(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// The writer has one connection, which holds the TEMP table.
	if _, err := st.write.ExecContext(ctx, `CREATE TEMP TABLE scratch (id INTEGER PRIMARY KEY, v TEXT NOT NULL);
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 16000)
		INSERT INTO scratch SELECT i, i || ? FROM n`, strings.Repeat("x", 1000)); err != nil {
		t.Fatal(err)
	}
	count := func(prefix string) (n int) {
		if err := st.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM scratch WHERE v LIKE ? || '%'`, prefix).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	err = st.Update(ctx, func(tx *Tx) error {
		if _, err := tx.q.ExecContext(ctx, `UPDATE scratch SET v = 'y' || v`); err != nil {
			t.Errorf("rewriting 16 MB of a TEMP table: %v", err)
		}
		return errKeepGoing
	})
	if !errors.Is(err, errKeepGoing) || count("y") != 0 {
		t.Fatalf("after the rollback: %v, %d rows rewritten", err, count("y"))
	}
	if err := st.Update(ctx, func(tx *Tx) error {
		_, err := tx.q.ExecContext(ctx, `UPDATE scratch SET v = 'z' || v`)
		return err
	}); err != nil || count("z") != 16000 {
		t.Fatalf("rewriting 16 MB of a TEMP table and committing: %v, %d rows rewritten", err, count("z"))
	}
}
