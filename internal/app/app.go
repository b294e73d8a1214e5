// Package app wires the parts together for the commands: it opens the
// store, loads the reference territory into it, and offers the import
// service and the evaluated snapshot (cached per data version).
package app

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/store"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// App is an opened database with its territory.
type App struct {
	Store     *store.Store
	Territory *territory.Territory
	Engine    conditions.Config
	Ingest    *ingest.Service

	mu         sync.Mutex // guards snap, checked, refreshing
	snap       *monitor.Snapshot
	checked    time.Time  // when the data version was last compared
	refreshing bool       // a goroutine is checking or rebuilding
	buildMu    sync.Mutex // one evaluation at a time
}

// versionCheckEvery is how often Current asks the database whether the
// data changed (an import by another process shows within this delay).
const versionCheckEvery = 250 * time.Millisecond

// LoadTerritory reads the embedded reference files and returns their
// version (a checksum).
func LoadTerritory() (*territory.Territory, string, error) { return territory.LoadFS(data.Territory) }

// Open opens the database at path and brings the territory up to date.
func Open(ctx context.Context, path string, engine conditions.Config) (*App, error) {
	t, version, err := LoadTerritory()
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if export.TempDir, err = privateTempDir(filepath.Join(filepath.Dir(path), "tmp")); err != nil {
		st.Close()
		return nil, err
	}
	if _, err := st.SyncTerritory(ctx, t, version); err != nil {
		st.Close()
		return nil, err
	}
	if err := applySettings(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	a := &App{Store: st, Territory: t, Engine: engine}
	a.Ingest = &ingest.Service{Store: st, Territory: t, Config: engine}
	return a, nil
}

// Close closes the database.
func (a *App) Close() error { return a.Store.Close() }

// Snapshot returns the evaluation of every municipality at the current
// data version, evaluating again when the data changed.
func (a *App) Snapshot(ctx context.Context) (*monitor.Snapshot, error) {
	version, err := a.Store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	if s := a.cachedAt(version); s != nil {
		return s, nil
	}
	a.buildMu.Lock()
	defer a.buildMu.Unlock()
	if s := a.cachedAt(version); s != nil { // built while we waited
		return s, nil
	}
	s, err := a.evaluate(ctx)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.snap, a.checked = s, time.Now()
	a.mu.Unlock()
	return s, nil
}

func (a *App) cachedAt(version string) *monitor.Snapshot {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.snap != nil && a.snap.Version == version {
		a.checked = time.Now()
		return a.snap
	}
	return nil
}

// Current is Snapshot for the pages under load: a request never waits on
// the database or an evaluation. At most every versionCheckEvery, one
// goroutine compares the data version and, when the data changed,
// evaluates again; meanwhile requests get the previous evaluation.
func (a *App) Current(ctx context.Context) (*monitor.Snapshot, error) {
	a.mu.Lock()
	snap := a.snap
	refresh := snap != nil && !a.refreshing && time.Since(a.checked) >= versionCheckEvery
	if refresh {
		a.refreshing = true
	}
	a.mu.Unlock()
	if snap == nil {
		return a.Snapshot(ctx)
	}
	if refresh {
		go func() {
			if _, err := a.Snapshot(context.Background()); err != nil {
				slog.Error("evaluate after a data change", "err", err)
			}
			a.mu.Lock()
			a.refreshing, a.checked = false, time.Now()
			a.mu.Unlock()
		}()
	}
	return snap, nil
}

// ImportSamples imports the embedded demo files, in SampleFiles order,
// through the importers; each report's File is the sample's path.
func (a *App) ImportSamples(ctx context.Context, by string) ([]ingest.Report, error) {
	files, err := SampleFiles()
	if err != nil {
		return nil, err
	}
	return a.importSamples(ctx, files, by, nil)
}

// importSamples imports the sample files one at a time, in the order
// given, calling before (if set) ahead of each.
func (a *App) importSamples(ctx context.Context, files []string, by string, before func(file string)) ([]ingest.Report, error) {
	reps := make([]ingest.Report, 0, len(files))
	for _, f := range files {
		if before != nil {
			before(f)
		}
		b, err := data.Samples.ReadFile(f)
		if err != nil {
			return reps, err
		}
		rep, err := a.Ingest.Import(ctx, path.Base(f), b, ingest.Options{By: by})
		if err != nil {
			return reps, err
		}
		rep.File = f
		reps = append(reps, rep)
	}
	return reps, nil
}

// SampleFiles lists the embedded demo files in the recommended import
// order: abrangência, formalização (older first), ponto focal, cadastro,
// Moodle, envio.
func SampleFiles() ([]string, error) {
	var files []string
	err := fs.WalkDir(data.Samples, "samples", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasSuffix(p, "expected") {
			return fs.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".xlsx") || strings.HasSuffix(p, ".csv")) {
			files = append(files, p)
		}
		return nil
	})
	sort.SliceStable(files, func(i, j int) bool {
		ri, rj := sampleRank(files[i]), sampleRank(files[j])
		if ri != rj {
			return ri < rj
		}
		return files[i] < files[j]
	})
	return files, err
}

// sampleRank is a sample's place in the import order: its kind's rank
// (records.Kind.Rank); a file of no known kind comes last.
func sampleRank(p string) int {
	for _, s := range sampleKinds {
		if strings.HasPrefix(p, s.prefix) {
			return s.kind.Rank()
		}
	}
	return len(records.Kinds) + 1
}

// sampleKinds says which kind of file each sample path holds (the
// layout of data/samples); the order comes from the kinds, not this list.
var sampleKinds = []struct {
	prefix string
	kind   records.Kind
}{
	{"samples/abrangencia", records.Abrangencia}, {"samples/formalizacao", records.Formalizacao},
	{"samples/Indicacao", records.PontoFocal}, {"samples/cadastro/", records.Cadastro}, {"samples/moodle/", records.Moodle},
	{"samples/envio", records.Envio}, {"samples/teleconsultas/", records.Teleconsultas},
}

// privateTempDir makes dir a folder only this user reads and removes what
// a previous run left in it (the spill files of a workbook being written
// when the process was killed).
func privateTempDir(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("app: temporary folder: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return "", fmt.Errorf("app: temporary folder: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("app: temporary folder: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return "", fmt.Errorf("app: temporary folder: %w", err)
		}
	}
	return dir, nil
}

// evaluate reads the programme and runs the engine over it.
func (a *App) evaluate(ctx context.Context) (*monitor.Snapshot, error) {
	p, err := a.Store.LoadProgramme(ctx)
	if err != nil {
		return nil, err
	}
	return monitor.Evaluate(a.Territory, p, a.Engine), nil
}
