//go:build cgo

package store

/*
extern int sqlite3_config(int, ...);

// stmtJournalSpill sets SQLITE_CONFIG_STMTJRNL_SPILL (26): statement
// journals, and the journal of a savepoint, stay in memory up to n bytes
// before they go to a temp file (sqlite3_config is variadic: cgo calls it
// through this function).
static int stmtJournalSpill(int n) { return sqlite3_config(26, n); }
*/
import "C"

import "log/slog"

// stmtJournalMemory is how much of a statement's (or a savepoint's)
// journal the writer keeps in memory. Inside a transaction every
// multi-row INSERT keeps the pages it changes in a journal, to undo itself
// alone if it fails; past SQLite's default of 64 KB that journal is a temp
// file, and a scale-20 import wrote 265 thousand pages to two of them
// (strace), a third of its system time. 4 MB keeps every one of them in
// memory there and for a 900k-row sheet, and bounds what a larger one can
// take (docs/desempenho.md).
const stmtJournalMemory = 4 << 20

// sqlite3_config works only before SQLite initialises itself, which it
// does on the first open: package initialisation comes before any Open.
func init() {
	if rc := C.stmtJournalSpill(stmtJournalMemory); rc != 0 {
		slog.Warn("sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL) refused", "rc", int(rc))
	}
}
