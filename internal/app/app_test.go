package app_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/conditions"
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
