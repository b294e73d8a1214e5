package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ses-mg/telemonitor/internal/records"
)

// Batch is one imported file.
type Batch struct {
	ID         int64
	FileName   string
	SHA256     string
	Size       int64
	Kind       records.Kind
	ImportedBy string
	ImportedAt time.Time
	Sheets     []string
	RowsRead   int
	Accepted   int
	Rejected   int
	Ignored    int
	Warnings   int
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

const batchColumns = `id, file_name, sha256, size, kind, imported_by, imported_at, sheets, rows_read, accepted, rejected, ignored, warnings`

// scanBatch reads batchColumns, then any extra columns into extra.
func scanBatch(sc interface{ Scan(...any) error }, extra ...any) (Batch, error) {
	var b Batch
	var at, sheets string
	dest := append([]any{&b.ID, &b.FileName, &b.SHA256, &b.Size, &b.Kind, &b.ImportedBy, &at, &sheets,
		&b.RowsRead, &b.Accepted, &b.Rejected, &b.Ignored, &b.Warnings}, extra...)
	err := sc.Scan(dest...)
	b.ImportedAt = parseTime(at)
	if sheets != "" {
		b.Sheets = strings.Split(sheets, "|")
	}
	return b, err
}

// BatchBySHA finds the batch that imported these exact bytes.
func (s *Store) BatchBySHA(ctx context.Context, sha string) (Batch, error) {
	b, err := scanBatch(s.read.QueryRowContext(ctx, "SELECT "+batchColumns+" FROM import_batches WHERE sha256 = ?", sha))
	if errors.Is(err, sql.ErrNoRows) {
		return b, ErrNotFound
	}
	return b, err
}

// Batches lists every import, newest first.
func (s *Store) Batches(ctx context.Context) ([]Batch, error) {
	return batches(ctx, s.read)
}

func batches(ctx context.Context, q querier) ([]Batch, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+batchColumns+" FROM import_batches ORDER BY id DESC")
	if err != nil {
		return nil, fmt.Errorf("store: batches: %w", err)
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// BatchIssues lists the issues recorded for a batch.
func (s *Store) BatchIssues(ctx context.Context, id int64) ([]records.Issue, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT sheet, row_num, column_name, severity, code, message, ibge
		FROM import_issues WHERE batch_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: issues: %w", err)
	}
	defer rows.Close()
	var out []records.Issue
	for rows.Next() {
		var i records.Issue
		if err := rows.Scan(&i.Sheet, &i.Row, &i.Column, &i.Severity, &i.Code, &i.Message, &i.IBGE); err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// DataVersion changes whenever programme data changes (the last batch id,
// the reconciliation links made and undone, and the territory version);
// caches and ETags key on it.
func (s *Store) DataVersion(ctx context.Context) (string, error) {
	return dataVersion(ctx, s.read)
}

func dataVersion(ctx context.Context, q querier) (string, error) {
	var id, links, undone, settingsRev int64
	var terr sql.NullString
	// The settings revision is part of it: pages show the contacts.
	err := q.QueryRowContext(ctx, `SELECT COALESCE((SELECT MAX(id) FROM import_batches), 0),
		COALESCE((SELECT MAX(id) FROM completion_links), 0), (SELECT COUNT(*) FROM completion_links WHERE undone_at <> ''),
		(SELECT value FROM meta WHERE key = 'territory_version'),
		COALESCE((SELECT MAX(id) FROM settings_revisions), 0)`).Scan(&id, &links, &undone, &terr, &settingsRev)
	if err != nil {
		return "", fmt.Errorf("store: data version: %w", err)
	}
	v := terr.String
	if len(v) > 12 {
		v = v[:12]
	}
	if links > 0 || settingsRev > 0 {
		return fmt.Sprintf("%d.%d.%d.%d-%s", id, links, undone, settingsRev, v), nil
	}
	return fmt.Sprintf("%d-%s", id, v), nil
}

// Batch returns one import with its original bytes.
func (s *Store) Batch(ctx context.Context, id int64) (Batch, []byte, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Batch{}, nil, fmt.Errorf("store: begin read: %w", err)
	}
	defer tx.Rollback()
	b, err := scanBatch(tx.QueryRowContext(ctx, "SELECT "+batchColumns+" FROM import_batches WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return b, nil, ErrNotFound
	}
	if err != nil {
		return b, nil, fmt.Errorf("store: batch: %w", err)
	}
	content := make([]byte, 0, b.Size)
	err = eachArgs(ctx, tx, "SELECT chunk FROM batch_contents WHERE batch_id = ? ORDER BY seq", []any{id},
		func(scan func(...any) error) error {
			var chunk sql.RawBytes
			if err := scan(&chunk); err != nil {
				return err
			}
			content = append(content, chunk...)
			return nil
		})
	if err != nil {
		return b, nil, fmt.Errorf("store: batch content: %w", err)
	}
	return b, content, nil
}
