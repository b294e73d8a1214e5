package ingest

// SetBlockRows makes files longer than n records and issues long (stored
// block by block) for one test; the returned func restores the size.
func SetBlockRows(n int) (restore func()) {
	old := blockRows
	blockRows = n
	return func() { blockRows = old }
}
