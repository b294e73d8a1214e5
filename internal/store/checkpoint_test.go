package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Commits do not checkpoint (that would hold the importer); the
// checkpointer copies the pages into the database file right after, and
// the data is there after a reopen.
func TestCheckpointAfterCommit(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var auto int
	if err := st.write.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("writer wal_autocheckpoint = %d (%v), want 0", auto, err)
	}
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	// Let the checkpoint of the migrations settle first.
	before := size()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if s := size(); s == before && s > 0 {
			break
		} else {
			before = s
		}
	}
	content := bytes.Repeat([]byte("telemonitor "), 1<<18) // 3 MB
	err = st.Update(ctx, func(tx *Tx) error {
		_, err := tx.InsertBatch(ctx, Batch{FileName: "x.csv", SHA256: "abc", Kind: "moodle", ImportedAt: time.Now()}, content)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	grown := false
	for deadline := time.Now().Add(10 * time.Second); !grown && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		grown = size() >= before+int64(len(content))
	}
	if !grown {
		t.Errorf("database file %d bytes after the commit: the checkpointer did not copy the 3 MB from the WAL", size())
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, got, err := st.Batch(ctx, 1); err != nil || !bytes.Equal(got, content) {
		t.Errorf("after reopening: %d bytes, %v", len(got), err)
	}
}
