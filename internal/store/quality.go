package store

import (
	"context"
	"fmt"

	"github.com/ses-mg/telemonitor/internal/records"
)

// IssueCount is how many rows of a municipality's latest file of a kind
// had an issue with one code.
type IssueCount struct {
	IBGE     string
	Kind     records.Kind
	Severity records.Severity
	Code     string
	Count    int
}

// LatestIssueCounts counts, per municipality, the issues of the latest
// file of each kind that brought rows about it (as ReceivedFor shows one
// municipality's): an older file's problems are settled by a newer one.
func (s *Store) LatestIssueCounts(ctx context.Context) ([]IssueCount, error) {
	var out []IssueCount
	for _, k := range receivedKinds {
		err := eachArgs(ctx, s.read, `WITH touched AS (
				SELECT ibge, batch_id FROM `+k.table+`
				UNION SELECT i.ibge, i.batch_id FROM import_issues i WHERE i.ibge <> ''),
			latest AS (
				SELECT t.ibge, MAX(t.batch_id) AS batch_id FROM touched t JOIN import_batches b ON b.id = t.batch_id
				WHERE b.kind = ? GROUP BY t.ibge)
			SELECT l.ibge, i.severity, i.code, COUNT(*) FROM latest l
			JOIN import_issues i ON i.batch_id = l.batch_id AND i.ibge = l.ibge
			GROUP BY l.ibge, i.severity, i.code ORDER BY l.ibge`, []any{string(k.kind)},
			func(scan func(...any) error) error {
				c := IssueCount{Kind: k.kind}
				if err := scan(&c.IBGE, &c.Severity, &c.Code, &c.Count); err != nil {
					return err
				}
				out = append(out, c)
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("store: issue counts: %w", err)
		}
	}
	return out, nil
}

// SheetShrink is a municipality whose current registration sheet has
// fewer accepted professionals than the one it replaced.
type SheetShrink struct {
	IBGE            string
	Before, After   int
	BeforeID, NowID int64
}

// ShrunkSheets lists the municipalities whose latest sheet is emptier
// than the previous one.
func (s *Store) ShrunkSheets(ctx context.Context) ([]SheetShrink, error) {
	var out []SheetShrink
	err := each(ctx, s.read, `WITH per AS (
			SELECT ibge, batch_id, COUNT(*) AS n,
				ROW_NUMBER() OVER (PARTITION BY ibge ORDER BY batch_id DESC) AS k
			FROM professionals GROUP BY ibge, batch_id)
		SELECT cur.ibge, prev.n, cur.n, prev.batch_id, cur.batch_id FROM per cur
		JOIN per prev ON prev.ibge = cur.ibge AND prev.k = 2
		WHERE cur.k = 1 AND cur.n < prev.n ORDER BY cur.ibge`,
		func(scan func(...any) error) error {
			var x SheetShrink
			if err := scan(&x.IBGE, &x.Before, &x.After, &x.BeforeID, &x.NowID); err != nil {
				return err
			}
			out = append(out, x)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: shrunk sheets: %w", err)
	}
	return out, nil
}
