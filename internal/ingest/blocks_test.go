package ingest

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/store"
)

// TestBlockWriterFailure: when the store refuses a block (here, a batch
// that does not exist), the reader hears of it as the store's failure,
// at a later send or at close, and never waits on a writer that stopped.
func TestBlockWriterFailure(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.Update(ctx, func(tx *store.Tx) error {
		w := newBlockWriter(ctx, tx, 424242)
		r := records.NewResult(records.Cadastro)
		for i := range 20 {
			r.Professionals = append(r.Professionals[:0], records.Professional{Where: records.Where{Row: i + 2, Sheet: "Plan1"}, IBGE: "3106200",
				CPF: "52998224725", Name: "Ana"})
			if err := w.send(r); err != nil && !errors.As(err, new(storeError)) {
				t.Fatalf("send %d: %v", i, err)
			}
		}
		return w.close()
	})
	if !errors.As(err, new(storeError)) {
		t.Fatalf("got %v, want the store's failure", err)
	}
}

// TestBlockIsACopy: the block handed to the writer stays as it was sent
// when the result goes on to the next block.
func TestBlockIsACopy(t *testing.T) {
	r := records.NewResult(records.Moodle)
	r.Completions = append(r.Completions, records.Completion{Where: records.Where{Row: 2}, CPF: "52998224725"})
	r.Issues = append(r.Issues, records.Issue{Row: 3, Code: records.SemDataConclusao})
	b := r.Block()
	if err := r.Flush(func(*records.Result) error { return nil }); err != nil {
		t.Fatal(err)
	}
	r.Completions = append(r.Completions, records.Completion{Where: records.Where{Row: 9}, CPF: "11144477735"})
	r.Issues = append(r.Issues, records.Issue{Row: 10, Code: records.CPFInvalido})
	if len(b.Completions) != 1 || b.Completions[0].Row != 2 || len(b.Issues) != 1 || b.Issues[0].Row != 3 || b.Kind != records.Moodle {
		t.Errorf("block changed with the result: %+v", b)
	}
}
