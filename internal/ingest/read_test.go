package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestReadExactly: a file read into a buffer of the size Stat gave must
// end exactly there; shorter or longer (it changed in between) is
// errChanged.
func TestReadExactly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.csv")
	if err := os.WriteFile(path, []byte("nome;cpf\nAna;1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		size int
		want error
	}{{15, nil}, {10, errChanged}, {20, errChanged}} {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := readExactly(f, make([]byte, tt.size)); !errors.Is(err, tt.want) {
			t.Errorf("buffer of %d bytes: %v, want %v", tt.size, err, tt.want)
		}
		f.Close()
	}
	// Off the heap, the bytes come back whole and the release unmaps them.
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, release, err := readOffHeap(f)
	if err != nil || string(data) != "nome;cpf\nAna;1\n" {
		t.Fatalf("off the heap: %q %v", data, err)
	}
	release()
}
