package ingest

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
)

// File is one file of a set to import: its bytes, or how to open it. Open
// lets a set of large files be imported without holding them all: a file
// is read when it is prepared and, if it is long, again when it applies.
type File struct {
	Name string
	Data []byte
	Open func() (*os.File, error)
	// OffHeap lets a file of more than longBytes be read outside the Go
	// heap (readOffHeap), where the soft memory limit does not count it:
	// the one-shot import command's choice (a million requests in 76 MB
	// imported in 9 s instead of 15). The server keeps its uploads (up to
	// 64 MB each) in the heap, under its own limit, so that what it holds
	// for an import stays bounded by that limit.
	OffHeap bool
}

// errChanged is a file whose size changed while it was read.
var errChanged = errors.New("o arquivo mudou enquanto era lido")

// bytes returns the file's content, in the heap.
func (f File) bytes() ([]byte, error) {
	f.OffHeap = false
	data, _, err := f.content() // in the heap, release does nothing
	return data, err
}

// content returns the file's content and a func that lets it go: a file of
// more than longBytes that may be read off the heap is (see readOffHeap),
// and then nothing may keep a slice of it past release.
func (f File) content() (data []byte, release func(), err error) {
	if f.Data != nil || f.Open == nil {
		return f.Data, func() {}, nil
	}
	r, err := f.Open()
	if err != nil {
		return nil, func() {}, err
	}
	defer r.Close()
	size, err := fileSize(r)
	if err != nil {
		return nil, func() {}, err
	}
	if !f.offHeap(size) {
		data, err := readSized(r, size)
		return data, func() {}, err
	}
	return readOffHeap(r)
}

// offHeap reports whether content reads the file, of size bytes, outside
// the heap.
func (f File) offHeap(size int) bool {
	return f.OffHeap && f.Data == nil && f.Open != nil && size > longBytes
}

func fileSize(f *os.File) (int, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if fi.Size() > math.MaxInt32 {
		return 0, fmt.Errorf("arquivo grande demais (%d bytes)", fi.Size())
	}
	return int(fi.Size()), nil
}

// readSized reads exactly size bytes from f into a new slice.
func readSized(f *os.File, size int) ([]byte, error) {
	data := make([]byte, size)
	if err := readExactly(f, data); err != nil {
		return nil, err
	}
	return data, nil
}

// readExactly fills data from f and checks that f ends there.
func readExactly(f *os.File, data []byte) error {
	if _, err := io.ReadFull(f, data); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return errChanged
		}
		return err
	}
	var one [1]byte
	if n, _ := f.Read(one[:]); n > 0 {
		return errChanged
	}
	return nil
}
