package app_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/export"
)

// Current keeps answering with the evaluation it has while the data
// changes, and moves to the new evaluation once it is built.
func TestCurrentServesPreviousStateUntilRebuilt(t *testing.T) {
	ctx := context.Background()
	a, err := app.Open(ctx, filepath.Join(t.TempDir(), "t.db"), conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	old, err := a.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportSamples(ctx, "test"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // past the version check interval
	if s, err := a.Current(ctx); err != nil || s != old {
		t.Fatalf("the first call after the change should get the previous evaluation at once: %v", err)
	}
	fresh, err := a.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Version == old.Version {
		t.Fatal("the import did not change the data version")
	}
	var s = old
	for deadline := time.Now().Add(10 * time.Second); s.Version != fresh.Version && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		if s, err = a.Current(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if s != fresh {
		t.Errorf("Current still serves version %s, want the rebuilt %s", s.Version, fresh.Version)
	}
}

// TestTempFolderIsPrivateAndEmptiedAtStart: what a killed export left in
// the application's temporary folder is gone at the next start.
func TestTempFolderIsPrivateAndEmptiedAtStart(t *testing.T) {
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	os.MkdirAll(tmp, 0o755)
	left := filepath.Join(tmp, "excelize-123")
	if err := os.WriteFile(left, []byte("CPF"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), filepath.Join(dir, "t.db"), conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("a leftover spill file survived the start: %v", err)
	}
	info, err := os.Stat(tmp)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("temporary folder: %v %v", info.Mode(), err)
	}
	if export.TempDir != tmp {
		t.Errorf("exports spill to %q, want %q", export.TempDir, tmp)
	}
}
