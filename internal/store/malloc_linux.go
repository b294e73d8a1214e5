//go:build linux && cgo

package store

/*
#include <malloc.h>

// tuneMalloc bounds how much freed C memory (SQLite's page caches,
// statements and sorters) the C allocator keeps instead of returning it:
// by default glibc gives each thread that calls into SQLite its own arena
// (up to eight per core), and raises its mmap threshold after each large
// free, so blocks once mapped and unmapped end up in arenas that are
// never trimmed. Confirming a 900k-row registration sheet in the import
// centre held 130 MB of arenas for 33 MB in use (docs/desempenho.md).
static void tuneMalloc(void) {
#ifdef M_ARENA_MAX
	mallopt(M_ARENA_MAX, 2);
#endif
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
#ifdef M_TRIM_THRESHOLD
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);
#endif
}
*/
import "C"

import (
	"os"
	"strings"
)

// The tuning runs before any database is opened, and not at all when the
// environment sets glibc's own MALLOC_* tunables (an operator's choice).
func init() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "MALLOC_") || strings.HasPrefix(kv, "GLIBC_TUNABLES=") {
			return
		}
	}
	C.tuneMalloc()
}
