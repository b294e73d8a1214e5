//go:build unix

package ingest

import (
	"os"
	"syscall"
)

// readOffHeap reads the whole of f into an anonymous private mapping,
// memory the Go heap does not hold: a long file's bytes (76 MB for a
// million teleconsultation requests) then do not count against the
// collector's soft limit while its blocks are read, which otherwise left
// the collector running nonstop. release unmaps them; the caller must not
// keep any slice of them past it (the importers copy what they keep into
// strings, and SQLite copies the batch's content).
func readOffHeap(f *os.File) (data []byte, release func(), err error) {
	size, err := fileSize(f)
	if err != nil || size == 0 {
		return nil, func() {}, err
	}
	data, err = syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil { // no mapping: the heap will do
		data, err = readSized(f, size)
		return data, func() {}, err
	}
	release = func() { syscall.Munmap(data) }
	if err := readExactly(f, data); err != nil {
		release()
		return nil, func() {}, err
	}
	return data, release, nil
}
