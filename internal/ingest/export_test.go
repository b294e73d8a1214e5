package ingest

import (
	"context"

	"github.com/ses-mg/telemonitor/internal/store"
)

// SetAfterApply makes fn see the programme kept in memory after each file
// applies, with the file's transaction, for one test.
func SetAfterApply(fn func(ctx context.Context, tx *store.Tx, prog *store.Programme)) (restore func()) {
	afterApply = fn
	return func() { afterApply = nil }
}

// SetBlockRows makes files longer than n records and issues long (stored
// block by block) for one test; the returned func restores the size.
func SetBlockRows(n int) (restore func()) {
	old := blockRows
	blockRows = n
	return func() { blockRows = old }
}

// SetLongBytes makes files of more than n bytes long for one test.
func SetLongBytes(n int) (restore func()) {
	old := longBytes
	longBytes = n
	return func() { longBytes = old }
}
