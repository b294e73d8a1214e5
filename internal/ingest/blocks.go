package ingest

import (
	"context"

	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/store"
)

// blockWriter stores a long file's blocks on its own goroutine while the
// importer reads the next one: reading (Go) and storing (SQLite, C) then
// use both processors instead of taking turns. It holds at most two
// blocks besides the one being read: the one being stored and one
// waiting. Only the writer touches the transaction until close returns.
type blockWriter struct {
	blocks chan *records.Result
	done   chan error
	err    error // the writer's failure, once seen
}

func newBlockWriter(ctx context.Context, tx *store.Tx, batchID int64) *blockWriter {
	w := &blockWriter{blocks: make(chan *records.Result, 1), done: make(chan error, 1)}
	go func() {
		var err error
		for b := range w.blocks {
			if err != nil {
				continue // drain: the reader learns of the failure at its next send
			}
			if err = tx.InsertRecords(ctx, batchID, b); err == nil {
				err = tx.InsertIssues(ctx, batchID, b.Issues)
			}
			if err != nil {
				w.done <- storeError{err}
			}
		}
		close(w.done)
	}()
	return w
}

// send hands a copy of the block r holds to the writer, or returns the
// failure of an earlier block.
func (w *blockWriter) send(r *records.Result) error {
	if err := w.failed(); err != nil {
		return err
	}
	w.blocks <- r.Block()
	return nil
}

// failed returns the writer's failure if it has reported one.
func (w *blockWriter) failed() error {
	if w.err == nil {
		select {
		case err, ok := <-w.done:
			if ok {
				w.err = err
			}
		default:
		}
	}
	return w.err
}

// close waits until every block sent is stored (or the writer failed) and
// returns the failure, if any.
func (w *blockWriter) close() error {
	close(w.blocks)
	for err := range w.done {
		if w.err == nil {
			w.err = err
		}
	}
	return w.err
}
