package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/ses-mg/telemonitor/importers"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/store"
)

// A long file (more than blockRows records and issues) is read a second
// time inside its transaction, and each block of records goes to the
// store as soon as it is read: the import then holds one block, not the
// file. Its batch's counts are written at the end, the programme is read
// again from the transaction (the in-memory mirror of programme.go needs
// the whole file) and every municipality is evaluated, unless the file
// feeds no condition (teleconsultas: see feedsProgramme). A file that turns
// out unreadable past its first block fails alone: a savepoint takes its
// blocks back, and in a real import it goes on record as refused.

// storeError marks a failure of the store while a block is written, which
// is the system's failure, not the file's.
type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

func (s *Service) applyLong(ctx context.Context, tx *store.Tx, st *setState, p pending, dry bool) error {
	if err := tx.Savepoint(ctx); err != nil {
		return err
	}
	res, err := s.storeLong(ctx, tx, st, p, dry)
	var failed *table.FileError
	switch {
	case errors.As(err, &failed) && !errors.As(err, new(storeError)):
		if err := tx.Undo(ctx); err != nil {
			return err
		}
		st.prog = nil
		*p.rep = Report{File: p.rep.File, Kind: p.kind, Status: Failed, Error: failed.Error(), SHA256: p.rep.SHA256,
			Ignored: map[string]int{}, Issues: []records.Issue{}, Changes: []Change{}}
		return nil
	case err != nil:
		return err
	}
	finish(p.rep, res, dry)
	return tx.Keep(ctx)
}

// storeLong stores the batch and its blocks, then the history.
func (s *Service) storeLong(ctx context.Context, tx *store.Tx, st *setState, p pending, dry bool) (*records.Result, error) {
	batch := p.batch
	content, release, err := p.content()
	if err != nil {
		return nil, err
	}
	// Nothing keeps a slice of content past this function: the batch
	// stores a copy, the importers copy what they keep, and the block
	// writer has stopped before any return below.
	defer release()
	if batch.ID, err = tx.InsertBatch(ctx, batch, content); err != nil {
		return nil, err
	}
	p.rep.BatchID = batch.ID
	if err := st.begin(ctx, s, tx, dry); err != nil {
		return nil, err
	}
	if p.kind == records.Moodle {
		st.forgetTraining()
	}
	endBulk, err := tx.BulkLoad(ctx, p.kind, int64(len(content)))
	if err != nil {
		return nil, err
	}
	var reg *conditions.Registry
	w := newBlockWriter(ctx, tx, batch.ID)
	sink := func(r *records.Result) error {
		if len(r.Completions) > 0 {
			if reg == nil {
				reg = registry(st.prog)
			}
			warnUnmatched(r, reg)
		}
		return w.send(r)
	}
	pctx := s.parseContext(p.file.Name, p.opt)
	pctx.Flush, pctx.Block = sink, blockRows
	res, err := importers.Parse(pctx, content, p.kind)
	if err == nil && res.Held() > 0 {
		err = res.Flush(sink)
	}
	if werr := w.close(); werr != nil {
		err = werr // the store's failure comes first
	}
	if err == nil {
		if berr := endBulk(ctx); berr != nil {
			err = storeError{berr}
		}
	}
	if res != nil {
		res.Seen = nil // the file is read: let its duplicate keys go before the programme is read again
	}
	if err != nil {
		if !table.IsFileError(err) && !errors.As(err, new(storeError)) {
			err = &table.FileError{Msg: err.Error()}
		}
		return nil, err
	}
	batch.Sheets, batch.RowsRead, batch.Accepted, batch.Rejected = res.Sheets, res.RowsRead, res.Accepted, res.Rejected
	batch.Ignored, batch.Warnings = res.IgnoredTotal(), res.Warnings()
	if err := tx.SetBatchCounts(ctx, batch); err != nil {
		return nil, err
	}
	if feedsProgramme(res.Kind) {
		if err := st.refresh(ctx, tx, res.Kind); err != nil {
			return nil, err
		}
	}
	rows, changes := st.evaluate(res, batch)
	p.rep.Changes = changes
	if err := tx.InsertHistory(ctx, rows); err != nil {
		return nil, err
	}
	st.commit(rows)
	return res, nil
}

// content is a long file's bytes, read again (outside the heap, see
// readOffHeap) if they were let go, with the func that lets them go; a
// file that changed since it was first read fails.
func (p pending) content() ([]byte, func(), error) {
	if p.data != nil {
		return p.data, func() {}, nil
	}
	b, release, err := p.file.content()
	if err != nil {
		return nil, nil, &table.FileError{Msg: "não foi possível ler o arquivo de novo: " + err.Error()}
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != p.batch.SHA256 {
		release()
		return nil, nil, &table.FileError{Msg: "o arquivo mudou durante a importação: envie-o de novo"}
	}
	return b, release, nil
}
