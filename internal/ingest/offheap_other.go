//go:build !unix

package ingest

import "os"

// readOffHeap reads f into the heap where there are no anonymous mappings.
func readOffHeap(f *os.File) ([]byte, func(), error) {
	size, err := fileSize(f)
	if err != nil {
		return nil, func() {}, err
	}
	data, err := readSized(f, size)
	return data, func() {}, err
}
