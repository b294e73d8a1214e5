// Package store keeps the programme's data in SQLite: the reference
// territory, every imported file with its rows and issues, and the
// evaluation history. It is the only package that speaks SQL.
//
// Writes go through a single connection (SQLite has one writer); reads use a
// separate pool, so pages keep answering while an import commits (WAL).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/ses-mg/telemonitor/internal/records"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = records.ErrNotFound

// TimeLayout is how times are stored: local wall-clock time, to the second.
const TimeLayout = "2006-01-02T15:04:05"

// Store is the SQLite database.
type Store struct {
	write *sql.DB
	read  *sql.DB
	path  string

	checkpoint chan struct{} // asks the checkpointer to run now
	stop       chan struct{}
	stopped    sync.WaitGroup
}

// writerDriver is SQLite with automatic checkpoints turned off: copying a
// large import from the WAL into the database file would otherwise happen
// inside the commit and hold the import's caller (a quarter of a second
// for 100k rows). The Store's checkpointer does it right after instead.
const writerDriver = "sqlite3-telemonitor-writer"

// checkpointEvery bounds the WAL's growth from small writes (sessions,
// audit) between imports.
const checkpointEvery = time.Minute

func init() {
	sql.Register(writerDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA wal_autocheckpoint = 0", nil)
		return err
	}})
}

// writerStatements and readerStatements are how many prepared statements
// a connection keeps (least recently used dropped first): the writer runs
// the INSERTs of every kind (up to seven texts each, see insertAll) and
// the queries of an import; a reader, the queries of the pages.
const (
	writerStatements = 128
	readerStatements = 32
)

// The database holds personal data: its files are readable by their owner
// only, whatever the umask, and a folder created for it too.
const (
	fileMode   os.FileMode = 0o600
	folderMode os.FileMode = 0o700
)

// Open opens (creating it and its folder if needed) the database at path
// and applies pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	// The one writer gets a 16 MB page cache (SQLite's default is 2 MB):
	// a large import rewrites more pages than that; readers keep the
	// default, eight of them would multiply the memory. 64 MB was no
	// faster and took the peak RSS of a 900k-row import from 203 to 291 MB
	// (docs/desempenho.md). Each connection keeps its statements prepared
	// (the driver's statement cache, keyed by the SQL text): the same
	// queries and INSERTs run for every file of a set and every page, and
	// preparing them again cost as much as running them.
	w, err := sql.Open(writerDriver, dsn+"&_cache_size=-16384&_stmt_cache_size="+strconv.Itoa(writerStatements))
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite3", dsn+"&mode=ro&_stmt_cache_size="+strconv.Itoa(readerStatements))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open: %w", err)
	}
	r.SetMaxOpenConns(8)
	s := &Store{write: w, read: r, path: path, checkpoint: make(chan struct{}, 1), stop: make(chan struct{})}
	s.stopped.Add(1)
	go s.checkpointer()
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	// SQLite gives the -wal and -shm files the database file's mode; a
	// database created 0644 by an older version keeps its mode, but its
	// companions are made private here all the same.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Chmod(path+suffix, fileMode); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.Close()
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	return s, nil
}

// createPrivate creates the database file (and its folder) readable by
// its owner only, before SQLite opens it, when it does not exist yet.
func createPrivate(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), folderMode); err != nil {
		return fmt.Errorf("store: create folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, fileMode)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: create: %w", err)
	}
	// OpenFile's mode goes through the umask; Chmod does not.
	if err := f.Chmod(fileMode); err != nil {
		f.Close()
		return fmt.Errorf("store: create: %w", err)
	}
	return f.Close()
}

// checkpointer copies committed pages from the WAL into the database file
// after each import and every checkpointEvery, without waiting for
// readers (PASSIVE); closing the database does a last full one.
// checkpointQuiet is how long commits must pause before a checkpoint.
const checkpointQuiet = 150 * time.Millisecond

// quiet waits until no commit has asked for a checkpoint for
// checkpointQuiet; false when the store is stopping.
func (s *Store) quiet() bool {
	t := time.NewTimer(checkpointQuiet)
	defer t.Stop()
	for {
		select {
		case <-s.checkpoint:
			t.Reset(checkpointQuiet)
		case <-t.C:
			return true
		case <-s.stop:
			return false
		}
	}
}

func (s *Store) checkpointer() {
	defer s.stopped.Done()
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-s.checkpoint:
			// A set of files commits one after another on the one
			// writer connection, which the checkpoint would hold: wait
			// until the commits pause, then copy once.
			if !s.quiet() {
				return
			}
		case <-tick.C:
		}
		if _, err := s.write.Exec("PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
			slog.Warn("checkpoint", "err", err)
		}
	}
}

// checkpointSoon asks the checkpointer to run (it is already asked when
// the request is pending).
func (s *Store) checkpointSoon() {
	select {
	case s.checkpoint <- struct{}{}:
	default:
	}
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close stops the checkpointer and closes both pools (SQLite checkpoints
// the WAL into the database file when its last connection closes).
func (s *Store) Close() error {
	close(s.stop)
	s.stopped.Wait()
	return errors.Join(s.read.Close(), s.write.Close())
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(TimeLayout)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(TimeLayout, s, time.Local)
	if err != nil {
		return time.Time{}
	}
	return t
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Backup writes a consistent copy of the database to path (which must not
// exist) with VACUUM INTO, from a read connection: imports and pages go on
// while it runs, and the copy is one point in time. The copy is created
// readable by its owner only (VACUUM INTO fills an empty file).
func (s *Store) Backup(ctx context.Context, path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, fileMode)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("store: backup: %s already exists", path)
	}
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	err = f.Chmod(fileMode)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("store: backup: %w", err)
	}
	if _, err := s.read.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// IntegrityCheck runs PRAGMA integrity_check and returns its answer ("ok"
// when the file is sound).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	err := s.read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res)
	return res, err
}

// CorruptError reports a database file that SQLite finds damaged.
type CorruptError struct {
	Path     string
	Problems []string // what quick_check said (its first lines), or the error that stopped it
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("store: %s is corrupt: %s", e.Path, strings.Join(e.Problems, "; "))
}

// quickCheckLines bounds what a CorruptError keeps of quick_check's answer.
const quickCheckLines = 10

// QuickCheck runs PRAGMA quick_check on the database at path, before Open
// (which writes: migrations, territory) touches it. A file that does not
// exist yet passes. It returns a *CorruptError when SQLite finds damage,
// and other errors (permissions, I/O) as they are.
func QuickCheck(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=rw&_busy_timeout=10000")
	if err != nil {
		return fmt.Errorf("store: quick check: %w", err)
	}
	defer db.Close()
	var problems []string
	err = eachArgs(ctx, db, fmt.Sprintf("PRAGMA quick_check(%d)", quickCheckLines), nil, func(scan func(...any) error) error {
		var line string
		if err := scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
		return nil
	})
	var sqErr sqlite3.Error
	if errors.As(err, &sqErr) && (sqErr.Code == sqlite3.ErrCorrupt || sqErr.Code == sqlite3.ErrNotADB) {
		problems = append(problems, err.Error())
	} else if err != nil {
		return fmt.Errorf("store: quick check: %w", err)
	}
	if len(problems) > 0 {
		return &CorruptError{Path: path, Problems: problems}
	}
	return nil
}
