package ingest

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
