package store

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// withUmask runs the test under a permissive umask, so the modes checked
// come from the code and not from the umask.
func withUmask(t *testing.T, mask int) {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestDatabaseAndBackupArePrivate(t *testing.T) {
	withUmask(t, 0)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "dados")
	path := filepath.Join(dir, "t.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Audit(ctx, AuditEntry{Actor: "a@x.br", Action: "login", IP: "1.1.1.1", Outcome: "ok"}); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("folder mode %o, want 700", m)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := mode(t, p); m != 0o600 {
			t.Errorf("%s mode %o, want 600", filepath.Base(p), m)
		}
	}
	backup := filepath.Join(t.TempDir(), "copia.db")
	if err := st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, backup); m != 0o600 {
		t.Errorf("backup mode %o, want 600", m)
	}
	copied, err := Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	defer copied.Close()
	if got, err := copied.AuditEntries(ctx, AuditQuery{}); err != nil || len(got) != 1 {
		t.Errorf("backup holds %d audit entries (%v), want 1", len(got), err)
	}
	if err := st.Backup(ctx, backup); err == nil {
		t.Error("a backup overwrote an existing file")
	}
}

// A database created 0644 by an older version gets private companions.
func TestExistingDatabaseCompanionsArePrivate(t *testing.T) {
	withUmask(t, 0)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, p := range []string{path + "-wal", path + "-shm"} {
		if m := mode(t, p); m != 0o600 {
			t.Errorf("%s mode %o, want 600", filepath.Base(p), m)
		}
	}
}
