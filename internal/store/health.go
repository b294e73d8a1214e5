package store

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"time"
)

// MinFreeBytes is the free space below which the database's disk is
// reported full: an import writes its file twice (the batch's original
// and the WAL) before the checkpoint.
var MinFreeBytes uint64 = 256 << 20

// Health tells whether the database can take writes now.
type Health struct {
	Writable  bool
	FreeBytes uint64
	LowSpace  bool  // writable, but less than MinFreeBytes free
	Err       error // why it cannot, when it cannot
}

// OK reports a database that answers, takes a write and has room.
func (h Health) OK() bool { return h.Err == nil }

// CheckHealth commits a small write (a read-only file, a read-only mount
// or a full disk fail here, where a read would not) and measures the free
// space of the database's folder.
func (s *Store) CheckHealth(ctx context.Context) Health {
	var h Health
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(s.path), &st); err != nil {
		h.Err = fmt.Errorf("store: free space: %w", err)
		return h
	}
	h.FreeBytes = st.Bavail * uint64(st.Bsize)
	_, err := s.write.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('health_probe', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		h.Err = fmt.Errorf("store: write probe: %w", err)
		return h
	}
	h.Writable = true
	if h.LowSpace = h.FreeBytes < MinFreeBytes; h.LowSpace {
		h.Err = fmt.Errorf("store: %d MB free on the database's disk (minimum %d MB)", h.FreeBytes>>20, MinFreeBytes>>20)
	}
	return h
}
