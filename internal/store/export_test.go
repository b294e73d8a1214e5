package store

import (
	"context"
	"fmt"
)

// IndexDefinitions are the definitions of every index the migrations
// wrote, in name order, as the transaction sees them.
func (t *Tx) IndexDefinitions(ctx context.Context) ([]string, error) {
	return indexDefinitions(ctx, t.q)
}

// IndexDefinitions is Tx.IndexDefinitions for the committed database.
func (s *Store) IndexDefinitions(ctx context.Context) ([]string, error) {
	return indexDefinitions(ctx, s.read)
}

func indexDefinitions(ctx context.Context, q querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("index definitions: %w", err)
	}
	defer rows.Close()
	var defs []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		defs = append(defs, d)
	}
	return defs, rows.Err()
}
