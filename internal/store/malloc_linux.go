//go:build linux && cgo

package store

/*
#include <malloc.h>

// tuneMalloc bounds how much freed C memory (SQLite's page caches,
// statements and sorters) the C allocator keeps instead of returning it:
// by default glibc gives each thread that calls into SQLite its own arena
// (up to eight per core), and what is freed in one stays there. Confirming
// a 900k-row registration sheet in the import centre held 130 MB of arenas
// for 33 MB in use (docs/desempenho.md). Two arenas are enough for the
// writer and the readers of a 2-core server. The mmap and trim thresholds
// keep glibc's dynamic defaults: fixing them (which also turns the dynamic
// threshold off) made every allocation over 128 KB a fresh mapping, 15 %
// of the sample set's import time, for no memory gained once a file's
// bytes went to the database in 1 MB chunks.
static void tuneMalloc(void) {
#ifdef M_ARENA_MAX
	mallopt(M_ARENA_MAX, 2);
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
