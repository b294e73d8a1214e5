package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/store"
)

// TestBatchContentRoundTrip: a file's bytes, stored in chunks of 1 MB,
// come back whole, for sizes around the chunk's.
func TestBatchContentRoundTrip(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i, size := range []int{0, 1, 1<<20 - 1, 1 << 20, 1<<20 + 1, 5<<20/2 + 7} {
		content := make([]byte, size)
		for j := range content {
			content[j] = byte(j*7 + j>>20)
		}
		var id int64
		err := st.Update(ctx, func(tx *store.Tx) error {
			id, err = tx.InsertBatch(ctx, store.Batch{FileName: fmt.Sprintf("f%d.csv", i), SHA256: fmt.Sprint(i), Size: int64(size),
				Kind: "moodle", ImportedAt: time.Now()}, content)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		b, got, err := st.Batch(ctx, id)
		if err != nil || b.FileName != fmt.Sprintf("f%d.csv", i) || !bytes.Equal(got, content) {
			t.Errorf("%d bytes: got %d bytes, %q, %v", size, len(got), b.FileName, err)
		}
	}
}

// TestBatchContentMigration: a database whose files' bytes were stored in
// import_batches (before migration 0010) gives them back after it.
func TestBatchContentMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	old := bytes.Repeat([]byte("nome;cpf\n"), 300_000) // 2.7 MB, stored as one value
	for _, q := range []string{"DROP TABLE batch_contents", "DELETE FROM schema_migrations WHERE version = 10",
		"ALTER TABLE import_batches ADD COLUMN content BLOB NOT NULL DEFAULT x''",
		`INSERT INTO import_batches (file_name, sha256, size, kind, imported_by, imported_at, sheets, rows_read, accepted,
			rejected, ignored, warnings, content) VALUES ('a.csv', 'aa', 2700000, 'moodle', '', '2026-11-01 10:00:00', '', 0, 0, 0, 0, 0, ?)`,
		`INSERT INTO import_batches (file_name, sha256, size, kind, imported_by, imported_at, sheets, rows_read, accepted,
			rejected, ignored, warnings, content) VALUES ('b.csv', 'bb', 0, 'moodle', '', '2026-11-01 10:00:00', '', 0, 0, 0, 0, 0, x'')`,
	} {
		var args []any
		if bytes.Contains([]byte(q), []byte("?")) {
			args = []any{old}
		}
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	db.Close()
	st, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, got, err := st.Batch(ctx, 1); err != nil || !bytes.Equal(got, old) {
		t.Errorf("batch 1 after 0010: %d bytes, %v", len(got), err)
	}
	if b, got, err := st.Batch(ctx, 2); err != nil || len(got) != 0 || b.FileName != "b.csv" {
		t.Errorf("batch 2 after 0010: %d bytes, %q, %v", len(got), b.FileName, err)
	}
}
