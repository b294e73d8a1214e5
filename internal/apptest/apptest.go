// Package apptest gives tests a database built once per test binary,
// through the real code (most often: the embedded samples imported), and
// a private copy of it for each test, instead of every package importing
// the samples again in its own way.
package apptest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/conditions"
)

// Fixture is a database made once by build, on first use.
type Fixture struct {
	build func(*app.App) error
	once  sync.Once
	image []byte // the closed database file
	err   error
}

// NewFixture returns a fixture made by build over a new database.
func NewFixture(build func(*app.App) error) *Fixture { return &Fixture{build: build} }

// Samples is the embedded sample set imported (app.ImportSamples).
var Samples = NewFixture(func(a *app.App) error {
	_, err := a.ImportSamples(context.Background(), "test")
	return err
})

// Open opens the test's own copy of the fixture (removed with the test)
// and returns the app, closed at the end of the test, and its path.
func (f *Fixture) Open(t testing.TB) (*app.App, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fixture.db")
	a, err := f.OpenAt(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, path
}

// OpenAt writes a copy of the fixture at path and opens it, for a
// database that outlives one test (the caller closes and removes it).
func (f *Fixture) OpenAt(path string) (*app.App, error) {
	f.once.Do(func() { f.image, f.err = f.make() })
	if f.err != nil {
		return nil, f.err
	}
	if err := os.WriteFile(path, f.image, 0o600); err != nil {
		return nil, err
	}
	return app.Open(context.Background(), path, conditions.DefaultConfig())
}

// make builds the fixture in a temporary folder and returns the database
// file, closed (so that the write-ahead log is folded into it).
func (f *Fixture) make() ([]byte, error) {
	dir, err := os.MkdirTemp("", "telemonitor-apptest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "fixture.db")
	a, err := app.Open(context.Background(), path, conditions.DefaultConfig())
	if err != nil {
		return nil, err
	}
	err = f.build(a)
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("apptest: build the fixture: %w", err)
	}
	return os.ReadFile(path)
}
