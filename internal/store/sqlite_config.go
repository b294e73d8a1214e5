//go:build cgo

package store

/*
#include <stddef.h>
#include <string.h>

// The parts of SQLite's public VFS interface (sqlite3.h, "OS Interface
// Object" and "OS Interface Open File Handle") this file uses, declared as
// that header does: the layout is SQLite's stable ABI.
typedef long long sqlite3_int64;
typedef struct sqlite3_file sqlite3_file;
typedef struct sqlite3_io_methods sqlite3_io_methods;
struct sqlite3_file { const sqlite3_io_methods *pMethods; };
struct sqlite3_io_methods {
	int iVersion;
	int (*xClose)(sqlite3_file*);
	int (*xRead)(sqlite3_file*, void*, int, sqlite3_int64);
	int (*xWrite)(sqlite3_file*, const void*, int, sqlite3_int64);
	int (*xTruncate)(sqlite3_file*, sqlite3_int64);
	int (*xSync)(sqlite3_file*, int);
	int (*xFileSize)(sqlite3_file*, sqlite3_int64*);
	int (*xLock)(sqlite3_file*, int);
	int (*xUnlock)(sqlite3_file*, int);
	int (*xCheckReservedLock)(sqlite3_file*, int*);
	int (*xFileControl)(sqlite3_file*, int, void*);
	int (*xSectorSize)(sqlite3_file*);
	int (*xDeviceCharacteristics)(sqlite3_file*);
	// Version 2 and 3 methods follow in SQLite's struct; a version 1
	// object, as the one below, is never asked for them.
};
typedef struct sqlite3_vfs sqlite3_vfs;
struct sqlite3_vfs {
	int iVersion;
	int szOsFile;
	int mxPathname;
	sqlite3_vfs *pNext;
	const char *zName;
	void *pAppData;
	int (*xOpen)(sqlite3_vfs*, const char*, sqlite3_file*, int, int*);
	void *v1[11];  // xDelete … xGetLastError, used as they are
	void *v2[1];   // xCurrentTimeInt64
	void *v3[3];   // xSetSystemCall, xGetSystemCall, xNextSystemCall
};
extern int sqlite3_config(int, ...);
extern sqlite3_vfs *sqlite3_vfs_find(const char*);
extern int sqlite3_vfs_register(sqlite3_vfs*, int);
extern int sqlite3_shutdown(void);

#define SQLITE_OPEN_TEMP_JOURNAL 0x00001000
#define SQLITE_OPEN_SUBJOURNAL 0x00002000

// A statement journal that outgrows memory is written to its temp file in
// one call, of up to the spill threshold, but the unix VFS writes (and
// reads) at most 128 KiB − 1 bytes per call: seekAndWriteFd keeps 17 bits
// of the length, so 4 MB is a write of nothing and SQLITE_FULL. The
// "telemonitor" VFS is the default one ("unix") with the files of
// statement journals wrapped so that their reads and writes go in pieces
// of 64 KiB, and those of the journals of temp databases, which SQLite
// keeps in memory up to the same threshold. Every other file is the
// default VFS's own, untouched.
enum { piece = 64 << 10 };

typedef struct { sqlite3_file base; sqlite3_file *real; } pieceFile;

static sqlite3_vfs *unixVfs;
static sqlite3_vfs pieceVfs;

static int pieceClose(sqlite3_file *f) { sqlite3_file *r = ((pieceFile*)f)->real; return r->pMethods->xClose(r); }
static int pieceRead(sqlite3_file *f, void *buf, int n, sqlite3_int64 off) {
	sqlite3_file *r = ((pieceFile*)f)->real;
	while (n > 0) {
		int k = n < piece ? n : piece;
		int rc = r->pMethods->xRead(r, buf, k, off);
		if (rc != 0) {
			// A short read zero-fills the rest of its piece; so must
			// the pieces after it.
			if (n > k) memset((char*)buf + k, 0, n - k);
			return rc;
		}
		buf = (char*)buf + k; off += k; n -= k;
	}
	return 0;
}
static int pieceWrite(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off) {
	sqlite3_file *r = ((pieceFile*)f)->real;
	while (n > 0) {
		int k = n < piece ? n : piece;
		int rc = r->pMethods->xWrite(r, buf, k, off);
		if (rc != 0) return rc;
		buf = (const char*)buf + k; off += k; n -= k;
	}
	return 0;
}
static int pieceTruncate(sqlite3_file *f, sqlite3_int64 n) { sqlite3_file *r = ((pieceFile*)f)->real; return r->pMethods->xTruncate(r, n); }
static int pieceSync(sqlite3_file *f, int fl) { sqlite3_file *r = ((pieceFile*)f)->real; return r->pMethods->xSync(r, fl); }
static int pieceFileSize(sqlite3_file *f, sqlite3_int64 *n) { sqlite3_file *r = ((pieceFile*)f)->real; return r->pMethods->xFileSize(r, n); }
static int pieceLock(sqlite3_file *f, int l) { sqlite3_file *r = ((pieceFile*)f)->real; return r->pMethods->xLock(r, l); }
static int pieceUnlock(sqlite3_file *f, int l) { sqlite3_file *r = ((pieceFile*)f)->real; return r->pMethods->xUnlock(r, l); }
static int pieceReserved(sqlite3_file *f, int *o) { sqlite3_file *r = ((pieceFile*)f)->real; return r->pMethods->xCheckReservedLock(r, o); }
static int pieceControl(sqlite3_file *f, int op, void *a) { sqlite3_file *r = ((pieceFile*)f)->real; return r->pMethods->xFileControl(r, op, a); }
static int pieceSector(sqlite3_file *f) { sqlite3_file *r = ((pieceFile*)f)->real; return r->pMethods->xSectorSize(r); }
static int pieceDevice(sqlite3_file *f) { sqlite3_file *r = ((pieceFile*)f)->real; return r->pMethods->xDeviceCharacteristics(r); }

static const sqlite3_io_methods pieceMethods = {
	1, pieceClose, pieceRead, pieceWrite, pieceTruncate, pieceSync, pieceFileSize, pieceLock, pieceUnlock,
	pieceReserved, pieceControl, pieceSector, pieceDevice,
};

static int pieceOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out) {
	if (!(flags & (SQLITE_OPEN_SUBJOURNAL | SQLITE_OPEN_TEMP_JOURNAL))) {
		return unixVfs->xOpen(unixVfs, name, f, flags, out);
	}
	pieceFile *p = (pieceFile*)f;
	p->base.pMethods = 0;
	p->real = (sqlite3_file*)(p + 1);
	memset(p->real, 0, unixVfs->szOsFile);
	int rc = unixVfs->xOpen(unixVfs, name, p->real, flags, out);
	if (p->real->pMethods) {
		p->base.pMethods = &pieceMethods; // SQLite closes it, even after a failure
	}
	return rc;
}

// registerPieceVFS makes the "telemonitor" VFS the default: 0, or 1 when
// there is no "unix" VFS, or SQLite's error.
static int registerPieceVFS(void) {
	unixVfs = sqlite3_vfs_find("unix");
	if (unixVfs == 0 || unixVfs->iVersion < 3) return 1;
	pieceVfs = *unixVfs;
	pieceVfs.iVersion = 3;
	pieceVfs.szOsFile = (int)sizeof(pieceFile) + unixVfs->szOsFile;
	pieceVfs.pNext = 0;
	pieceVfs.zName = "telemonitor";
	pieceVfs.xOpen = pieceOpen;
	return sqlite3_vfs_register(&pieceVfs, 1);
}

// setupJournals sets SQLITE_CONFIG_STMTJRNL_SPILL (26): statement
// journals, and the journal of a savepoint, stay in memory up to big bytes
// before they go to a temp file, through the "telemonitor" VFS; without
// it, small bytes, which the unix VFS writes in one call. It returns the
// threshold set, or -1 if SQLite was already initialised (nothing set).
static int setupJournals(int big, int small) {
	if (sqlite3_config(26, big) != 0) return -1;
	if (registerPieceVFS() == 0) return big;
	sqlite3_shutdown();
	sqlite3_config(26, small);
	return small;
}
*/
import "C"

import "log/slog"

// stmtJournalMemory is how much of a statement's (or a savepoint's)
// journal the writer keeps in memory before it goes to a temp file. Inside
// a transaction every multi-row INSERT keeps the pages it changes in a
// journal, to undo itself alone if it fails; past SQLite's default of
// 64 KB that journal is a temp file, and a scale-20 import wrote 256
// thousand pages to two of them (strace), a third of its system time.
// 4 MB keeps every one of them in memory there and for a 900k-row sheet,
// and bounds what a larger one can take (docs/desempenho.md).
//
// A journal that passes the threshold is written out in one call of that
// size, which the unix VFS cannot do past 128 KiB (see the C above): with
// 4 MB and no "telemonitor" VFS, until 29/11/2026, it failed with
// "database or disk is full", and re-importing a cumulative export of a
// million requests did (TestLargeSavepointJournal). Should that VFS not
// register, the threshold is stmtJournalSmall, which works but spills on
// the scale-20 import.
const (
	stmtJournalMemory = 4 << 20
	stmtJournalSmall  = 120 << 10
)

// journalSpill is the threshold set at start (-1: none, SQLite's own).
var journalSpill int

// sqlite3_config works only before SQLite initialises itself, which it
// does on the first open: package initialisation comes before any Open.
func init() {
	if journalSpill = int(C.setupJournals(stmtJournalMemory, stmtJournalSmall)); journalSpill != stmtJournalMemory {
		slog.Warn("SQLite statement journals not set to 4 MB in memory", "threshold", journalSpill)
	}
}
