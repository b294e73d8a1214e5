package store

import (
	"context"
	"math"
	"path/filepath"
	"testing"
)

func TestCheckHealth(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := s.CheckHealth(ctx)
	if !h.Writable || h.FreeBytes == 0 || (h.FreeBytes >= MinFreeBytes) != h.OK() {
		t.Errorf("healthy database: %+v", h)
	}
	version, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.CheckHealth(ctx)
	if v, _ := s.DataVersion(ctx); v != version {
		t.Errorf("the write probe changed the data version: %s → %s", version, v)
	}
	// Less room than the minimum: reported, though writable.
	old := MinFreeBytes
	MinFreeBytes = math.MaxUint64
	h = s.CheckHealth(ctx)
	MinFreeBytes = old
	if h.OK() || !h.LowSpace || !h.Writable {
		t.Errorf("full disk reported as %+v", h)
	}
	// A database that refuses writes (query_only stands in for a file or
	// mount turned read-only, which root's file modes cannot show): reads
	// still answer, the check fails.
	if _, err := s.write.ExecContext(ctx, "PRAGMA query_only = ON"); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if h := s.CheckHealth(ctx); h.OK() || h.Writable || h.LowSpace {
		t.Errorf("read-only database reported as %+v", h)
	}
}
