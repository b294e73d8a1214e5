package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RefusedFile is a file an import could not read at all, on record with
// its checksum (see migration 0004). The same bytes sent again are one
// row with more Attempts.
type RefusedFile struct {
	ID       int64
	FileName string // as first sent
	SHA256   string
	Size     int64
	Reason   string // the latest reason, in Portuguese
	FirstBy  string
	FirstAt  time.Time
	LastBy   string
	LastAt   time.Time
	Attempts int
}

// RecordRefusal records one attempt to import a refused file: a new row
// for bytes never refused before, otherwise one more attempt on the row of
// those bytes (last sender, time and reason updated). It returns the row
// as stored.
func (s *Store) RecordRefusal(ctx context.Context, f RefusedFile, content []byte) (RefusedFile, error) {
	at := formatTime(f.LastAt)
	var first string
	err := s.write.QueryRowContext(ctx, `INSERT INTO refused_files
		(sha256, file_name, size, reason, first_by, first_at, last_by, last_at, attempts, content)
		VALUES (?,?,?,?,?,?,?,?,1,?)
		ON CONFLICT(sha256) DO UPDATE SET attempts = attempts + 1, last_by = excluded.last_by,
			last_at = excluded.last_at, reason = excluded.reason
		RETURNING id, file_name, first_by, first_at, attempts`,
		f.SHA256, f.FileName, f.Size, f.Reason, f.LastBy, at, f.LastBy, at, content).
		Scan(&f.ID, &f.FileName, &f.FirstBy, &first, &f.Attempts)
	if err != nil {
		return f, fmt.Errorf("store: record refusal: %w", err)
	}
	f.FirstAt = parseTime(first)
	return f, nil
}

const refusedColumns = `id, file_name, sha256, size, reason, first_by, first_at, last_by, last_at, attempts`

func scanRefused(sc interface{ Scan(...any) error }, extra ...any) (RefusedFile, error) {
	var f RefusedFile
	var first, last string
	err := sc.Scan(append([]any{&f.ID, &f.FileName, &f.SHA256, &f.Size, &f.Reason, &f.FirstBy, &first, &f.LastBy, &last,
		&f.Attempts}, extra...)...)
	f.FirstAt, f.LastAt = parseTime(first), parseTime(last)
	return f, err
}

// RefusedFiles lists the refused files, the most recently sent first.
func (s *Store) RefusedFiles(ctx context.Context) ([]RefusedFile, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+refusedColumns+" FROM refused_files ORDER BY last_at DESC, id DESC")
	if err != nil {
		return nil, fmt.Errorf("store: refused files: %w", err)
	}
	defer rows.Close()
	var out []RefusedFile
	for rows.Next() {
		f, err := scanRefused(rows)
		if err != nil {
			return nil, fmt.Errorf("store: refused files: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// RefusedFileContent returns one refused file with its bytes.
func (s *Store) RefusedFileContent(ctx context.Context, id int64) (RefusedFile, []byte, error) {
	var content []byte
	f, err := scanRefused(s.read.QueryRowContext(ctx, "SELECT "+refusedColumns+", content FROM refused_files WHERE id = ?", id), &content)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil, ErrNotFound
	}
	if err != nil {
		return f, nil, fmt.Errorf("store: refused file: %w", err)
	}
	return f, content, nil
}

// Contemplated lists the municipalities of the current coverage list (the
// latest abrangência batch), by IBGE code.
func (s *Store) Contemplated(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	err := each(ctx, s.read, `SELECT DISTINCT ibge FROM coverage WHERE batch_id = `+currentCoverage,
		func(scan func(...any) error) error {
			var ibge string
			if err := scan(&ibge); err != nil {
				return err
			}
			out[ibge] = true
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: contemplated: %w", err)
	}
	return out, nil
}
