package store_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/store"
)

// TestBulkLoad: a long file that may hold more rows than its table has
// loads without the table's secondary indexes, which end builds again as
// the migrations wrote them; a smaller file, another kind, or a savepoint
// taken back leave the indexes as they were.
func TestBulkLoad(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	before, err := st.IndexDefinitions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(before, func(d string) bool {
		return d == "CREATE INDEX teleconsultations_ibge ON teleconsultations(ibge, sent_at)"
	}) {
		t.Fatalf("the teleconsultations index is not among %q", before)
	}
	for _, c := range []struct {
		name    string
		kind    records.Kind
		size    int64 // the table is empty: any size over 0 may hold more rows
		undo    bool
		dropped []string
	}{
		{"requests, larger than the table", records.Teleconsultas, 1, false, []string{"teleconsultations_ibge"}},
		{"requests, no larger than the table", records.Teleconsultas, 0, false, nil},
		{"professionals keep theirs", records.Cadastro, 1 << 30, false, nil},
		{"completions keep theirs", records.Moodle, 1 << 30, false, nil},
		{"savepoint taken back before end", records.Teleconsultas, 1, true, []string{"teleconsultations_ibge"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := st.Update(ctx, func(tx *store.Tx) error {
				if err := tx.Savepoint(ctx); err != nil {
					return err
				}
				end, err := tx.BulkLoad(ctx, c.kind, c.size)
				if err != nil {
					return err
				}
				during, err := tx.IndexDefinitions(ctx)
				if err != nil {
					return err
				}
				var gone []string
				for _, d := range before {
					if !slices.Contains(during, d) {
						gone = append(gone, d)
					}
				}
				if len(gone) != len(c.dropped) {
					t.Errorf("indexes dropped: %q, want %q", gone, c.dropped)
				}
				for _, name := range c.dropped {
					if !slices.ContainsFunc(gone, func(d string) bool { return strings.HasPrefix(d, "CREATE INDEX "+name+" ") }) {
						t.Errorf("%s was not dropped (dropped: %q)", name, gone)
					}
				}
				if c.undo {
					return tx.Undo(ctx)
				}
				if err := end(ctx); err != nil {
					return err
				}
				return tx.Keep(ctx)
			})
			if err != nil {
				t.Fatal(err)
			}
			after, err := st.IndexDefinitions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(after, before) {
				t.Errorf("indexes after the load:\n%q\nwant\n%q", after, before)
			}
		})
	}
}
