package store

import (
	"context"
	"fmt"

	"github.com/ses-mg/telemonitor/internal/records"
)

// bulkTable is the table a long file of a kind fills, with the fewest
// bytes one of its rows takes in a file (a CSV line of the required
// columns; a compressed sheet takes fewer, which only makes BulkLoad
// keep the indexes more often).
type bulkTable struct {
	name     string
	rowBytes int64
}

// bulkTables are the kinds whose long files load faster without the
// indexes. Requests are: a million of them went in 6.0–6.3 s instead of
// 8.2–9.5 s. Professionals are not: a 900k-row sheet confirmed in the import
// centre took 11.4 s and up to 243 MB instead of 10.5 s and 218 MB (their
// index by municipality grows in file order, and sorting costs memory).
var bulkTables = map[records.Kind]bulkTable{
	records.Teleconsultas: {"teleconsultations", 40},
}

// BulkLoad readies the transaction for a long file of kind, size bytes,
// whose rows go in block after block. When the file may hold more rows
// than the table already has, the table's secondary indexes are dropped,
// and end, called after the file's last block, builds them again: SQLite
// builds an index over a million rows by sorting in about a third of the
// time it takes to keep it up to date row by row, in random order (see
// docs/desempenho.md). Unique indexes stay (they are constraints), and so
// does the primary key, which the rows' updates search.
//
// Everything happens inside the transaction: a rollback, or the file's
// savepoint taken back, brings the indexes back as they were. end must be
// called before the transaction commits; it is never nil.
func (t *Tx) BulkLoad(ctx context.Context, kind records.Kind, size int64) (end func(context.Context) error, err error) {
	end = func(context.Context) error { return nil }
	tbl, ok := bulkTables[kind]
	if !ok {
		return end, nil
	}
	var rows int64
	if err := t.q.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+tbl.name).Scan(&rows); err != nil {
		return end, fmt.Errorf("store: bulk load %s: %w", tbl.name, err)
	}
	if rows*tbl.rowBytes >= size {
		return end, nil
	}
	names, defs, err := t.secondaryIndexes(ctx, tbl.name)
	if err != nil || len(names) == 0 {
		return end, err
	}
	for _, name := range names {
		if _, err := t.q.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return end, fmt.Errorf("store: bulk load %s: %w", tbl.name, err)
		}
	}
	return func(ctx context.Context) error {
		for _, def := range defs {
			if _, err := t.q.ExecContext(ctx, def); err != nil {
				return fmt.Errorf("store: bulk load %s: rebuild index: %w", tbl.name, err)
			}
		}
		return nil
	}, nil
}

// secondaryIndexes are the names and definitions, as the migrations wrote
// them, of table's indexes that are neither its key nor unique.
func (t *Tx) secondaryIndexes(ctx context.Context, table string) (names, defs []string, err error) {
	rows, err := t.q.QueryContext(ctx, `SELECT m.name, m.sql FROM sqlite_schema m
		JOIN pragma_index_list(?) l ON l.name = m.name
		WHERE m.type = 'index' AND m.sql IS NOT NULL AND l."unique" = 0 ORDER BY m.name`, table)
	if err != nil {
		return nil, nil, fmt.Errorf("store: indexes of %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return nil, nil, fmt.Errorf("store: indexes of %s: %w", table, err)
		}
		names, defs = append(names, name), append(defs, def)
	}
	return names, defs, rows.Err()
}
