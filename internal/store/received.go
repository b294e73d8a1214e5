package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ses-mg/telemonitor/internal/records"
)

// Received is a file that brought rows about a municipality, with the
// issues of those rows: what was received and not (or not fully)
// accepted.
type Received struct {
	BatchID    int64
	Kind       records.Kind
	FileName   string
	ImportedAt time.Time
	Accepted   int // the municipality's rows taken from the file
	Issues     []records.Issue
}

// receivedKinds are the kinds whose rows belong to one municipality, with
// the table of their accepted rows.
var receivedKinds = []struct {
	kind  records.Kind
	table string
}{
	{records.Formalizacao, "formalisations"},
	{records.PontoFocal, "nominations"},
	{records.Cadastro, "professionals"},
	{records.Envio, "data_sent"},
}

// ReceivedFor returns, per kind, the latest file that brought rows about
// the municipality (accepted or not), when that file had issues with any
// of them: an older file's problems are settled by a newer one.
func (s *Store) ReceivedFor(ctx context.Context, ibge string) ([]Received, error) {
	var out []Received
	for _, k := range receivedKinds {
		var r Received
		var at string
		err := s.read.QueryRowContext(ctx, `SELECT b.id, b.file_name, b.imported_at,
				(SELECT COUNT(*) FROM `+k.table+` x WHERE x.batch_id = b.id AND x.ibge = ?)
			FROM import_batches b
			WHERE b.kind = ? AND (b.id IN (SELECT batch_id FROM `+k.table+` WHERE ibge = ?)
				OR b.id IN (SELECT batch_id FROM import_issues WHERE ibge = ?))
			ORDER BY b.id DESC LIMIT 1`, ibge, string(k.kind), ibge, ibge).Scan(&r.BatchID, &r.FileName, &at, &r.Accepted)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: received: %w", err)
		}
		r.Kind, r.ImportedAt = k.kind, parseTime(at)
		rows, err := s.read.QueryContext(ctx, `SELECT sheet, row_num, column_name, severity, code, message, ibge
			FROM import_issues WHERE batch_id = ? AND ibge = ? ORDER BY id`, r.BatchID, ibge)
		if err != nil {
			return nil, fmt.Errorf("store: received: %w", err)
		}
		for rows.Next() {
			var i records.Issue
			if err := rows.Scan(&i.Sheet, &i.Row, &i.Column, &i.Severity, &i.Code, &i.Message, &i.IBGE); err != nil {
				rows.Close()
				return nil, err
			}
			r.Issues = append(r.Issues, i)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(r.Issues) > 0 {
			out = append(out, r)
		}
	}
	return out, nil
}
