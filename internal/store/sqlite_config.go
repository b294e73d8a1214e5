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
// journal the writer keeps in memory before it goes to a temp file. Inside
// a transaction every multi-row INSERT keeps the pages it changes in a
// journal, to undo itself alone if it fails; SQLite's default keeps 64 KB.
//
// It must stay under 128 KiB: on spilling, SQLite writes what it held in
// one call, and its unix VFS cuts every write's length to 17 bits
// (seekAndWriteFd), so 4 MB (this value until 29/11/2026) became a write of
// nothing and SQLITE_FULL, "database or disk is full", as soon as one
// journal passed 4 MB: re-importing a cumulative export of a million
// requests failed so (TestLargeSavepointJournal). 120 KiB measured the
// same as 4 MB on the scale-20 import (docs/desempenho.md).
const stmtJournalMemory = 120 << 10

// sqlite3_config works only before SQLite initialises itself, which it
// does on the first open: package initialisation comes before any Open.
func init() {
	if rc := C.stmtJournalSpill(stmtJournalMemory); rc != 0 {
		slog.Warn("sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL) refused", "rc", int(rc))
	}
}
