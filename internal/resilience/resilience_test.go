package resilience

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/scale"
	"github.com/ses-mg/telemonitor/internal/server"
)

// testScale keeps the tests short: 50,000 Moodle rows, 25,000 registrations.
const testScale = 10

var (
	filesOnce sync.Once
	filesDir  string
	filesErr  error
)

// scaleFiles generates the scale files once for the package's tests.
func scaleFiles(t *testing.T) string {
	t.Helper()
	filesOnce.Do(func() {
		filesDir, filesErr = os.MkdirTemp("", "telemonitor-resilience-")
		if filesErr != nil {
			return
		}
		tr, _, err := app.LoadTerritory()
		if err != nil {
			filesErr = err
			return
		}
		filesErr = scale.Generate(tr, testScale, filesDir)
	})
	if filesErr != nil {
		t.Fatal(filesErr)
	}
	return filesDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if filesDir != "" {
		os.RemoveAll(filesDir)
	}
	os.Exit(code)
}

var (
	baseOnce sync.Once
	basePath string
	baseErr  error
)

// openWithBase opens a new database at path with every kind but Moodle
// imported: a copy of one imported once for the package's tests.
func openWithBase(t *testing.T, path string) *app.App {
	t.Helper()
	dir := scaleFiles(t)
	baseOnce.Do(func() { basePath, baseErr = importBase(dir) })
	if baseErr != nil {
		t.Fatal(baseErr)
	}
	raw, err := os.ReadFile(basePath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), path, conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// importBase imports the scale files of every kind but Moodle into a new
// database in dir, closed (its write-ahead log folded in) so that a copy
// of the file is the whole database.
func importBase(dir string) (string, error) {
	path := filepath.Join(dir, "base.db")
	a, err := app.Open(context.Background(), path, conditions.DefaultConfig())
	if err != nil {
		return "", err
	}
	for _, name := range scale.Files[:4] {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			a.Close()
			return "", err
		}
		if rep, err := a.Ingest.Import(context.Background(), name, data, ingest.Options{}); err != nil || rep.Status != ingest.Imported {
			a.Close()
			return "", fmt.Errorf("%s: %s %v", name, rep.Status, err)
		}
	}
	if err := a.Close(); err != nil {
		return "", err
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return "", fmt.Errorf("the base database kept a write-ahead log of %d bytes after closing", fi.Size())
	}
	return path, nil
}

type summary struct {
	Estado struct {
		PorCondicao map[string]map[string]int `json:"por_condicao"`
	} `json:"estado"`
}

func apsMet(body []byte) (int, error) {
	var s summary
	if err := json.Unmarshal(body, &s); err != nil {
		return 0, err
	}
	return s.Estado.PorCondicao["capacitacao_aps"]["cumprida"], nil
}

// Readers keep getting answers while a large import commits, and every
// answer is the state before or after it, never a mix.
func TestReadersDuringImport(t *testing.T) {
	a := openWithBase(t, filepath.Join(t.TempDir(), "t.db"))
	defer a.Close()
	s, err := server.New(a, server.Options{StagingDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Handler().Listener(ln)
	defer ln.Close()
	base := "http://" + ln.Addr().String()
	fetch := func(client *http.Client) (int, error) {
		resp, err := client.Get(base + "/api/v1/resumo")
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("status %d", resp.StatusCode)
		}
		return apsMet(buf.Bytes())
	}
	before, err := fetch(http.DefaultClient)
	if err != nil {
		t.Fatal(err)
	}
	moodle, err := os.ReadFile(filepath.Join(scaleFiles(t), scale.FileMoodle))
	if err != nil {
		t.Fatal(err)
	}
	var done atomic.Bool
	var mu sync.Mutex
	seen := map[int]int{}
	var failures []string
	var wg sync.WaitGroup
	// stopReaders ends the readers on every way out, t.Fatal included.
	stopReaders := sync.OnceFunc(func() {
		done.Store(true)
		wg.Wait()
	})
	defer stopReaders()
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 30 * time.Second}
			for !done.Load() {
				n, err := fetch(client)
				mu.Lock()
				if err != nil {
					failures = append(failures, err.Error())
				} else {
					seen[n]++
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(100 * time.Millisecond) // readers running before the import starts
	rep, err := a.Ingest.Import(context.Background(), scale.FileMoodle, moodle, ingest.Options{})
	if err != nil || rep.Status != ingest.Imported {
		t.Fatalf("import: %s %v", rep.Status, err)
	}
	// Readers may be served the previous snapshot for a moment while the
	// new one is built; keep them reading until the new state shows.
	after := before
	for deadline := time.Now().Add(10 * time.Second); after == before && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		if after, err = fetch(http.DefaultClient); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(100 * time.Millisecond) // readers running after the new state shows
	stopReaders()
	if after == before {
		t.Fatalf("the import changed nothing the readers could see within 10 s (%d)", before)
	}
	if len(failures) > 0 {
		t.Errorf("%d failed requests, first: %s", len(failures), failures[0])
	}
	total := 0
	for n, count := range seen {
		total += count
		if n != before && n != after {
			t.Errorf("a reader saw %d municipalities with APS training (%d times): neither before (%d) nor after (%d)", n, count, before, after)
		}
	}
	if seen[before] == 0 || seen[after] == 0 {
		t.Errorf("readers did not overlap the import: %v", seen)
	}
	t.Logf("%d reads during the import: %v (before %d, after %d)", total, seen, before, after)
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// buildBinary compiles the program once for the package's tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	dir := scaleFiles(t)
	binOnce.Do(func() {
		bin := filepath.Join(dir, "telemonitor")
		if out, err := exec.Command("go", "build", "-o", bin, "github.com/ses-mg/telemonitor/cmd/telemonitor").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		binPath = bin
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func run(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("%v: %v\n%s", args, err, ee.Stderr)
		}
		t.Fatal(err)
	}
	return string(out)
}

// kill -9 in the middle of a large import: the database stays sound and
// as it was, and the import then succeeds.
func TestKillDuringImport(t *testing.T) {
	bin := buildBinary(t)
	dir := scaleFiles(t)
	db := filepath.Join(t.TempDir(), "t.db")
	a := openWithBase(t, db)
	a.Close()
	before := run(t, bin, "status", "--db", db, "--all")
	moodle := filepath.Join(dir, scale.FileMoodle)
	wal := db + "-wal"
	walSize := func() int64 {
		if fi, err := os.Stat(wal); err == nil {
			return fi.Size()
		}
		return 0
	}
	start := walSize()
	cmd := exec.Command(bin, "import", "--db", db, moodle)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the import's transaction is writing (the WAL grows), then kill.
	deadline := time.Now().Add(60 * time.Second)
	for walSize() < start+(1<<20) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the import never started writing")
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the import ended before it was killed (%v): kill earlier or use a larger scale", err)
	}
	a, err = app.Open(context.Background(), db, conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	check, err := a.Store.IntegrityCheck(context.Background())
	batches, _ := a.Store.Batches(context.Background())
	a.Close()
	if err != nil || check != "ok" {
		t.Fatalf("integrity_check after the kill: %q %v", check, err)
	}
	if len(batches) != 4 {
		t.Errorf("%d batches after the kill, want the 4 from before", len(batches))
	}
	if after := run(t, bin, "status", "--db", db, "--all"); after != before {
		t.Error("the status changed although the import was killed before committing")
	}
	out := run(t, bin, "import", "--db", db, moodle)
	if !strings.Contains(out, "importado") {
		t.Errorf("import after the crash:\n%s", out)
	}
	if run(t, bin, "status", "--db", db, "--all") == before {
		t.Error("the import after the crash changed nothing")
	}
}

// A backup taken while the server answers and an import commits is a
// sound database with the data of one moment; restoring it is copying the
// file into place (docs/confiabilidade.md).
func TestBackupWhileServing(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	a := openWithBase(t, db)
	a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	srv := exec.Command(bin, "serve", "--db", db, "--addr", addr)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() }()
	for i := 0; ; i++ {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil && resp.StatusCode == 200 {
			break
		}
		if i > 200 {
			t.Fatal("server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	imp := exec.Command(bin, "import", "--db", db, filepath.Join(scaleFiles(t), scale.FileMoodle))
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "copia.db")
	out := run(t, bin, "backup", "--db", db, "--out", copyPath)
	if err := imp.Wait(); err != nil {
		t.Fatalf("import during the backup: %v", err)
	}
	if !strings.Contains(out, "cópia consistente") {
		t.Errorf("backup said: %s", out)
	}
	resp, err := http.Get("http://" + addr + "/api/v1/resumo")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("server during/after the backup: %v", err)
	}
	// Restore: the copy opens, is sound, and holds 4 or 5 whole batches.
	restored := filepath.Join(dir, "restaurado.db")
	raw, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(restored, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := app.Open(context.Background(), restored, conditions.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	check, err := r.Store.IntegrityCheck(context.Background())
	batches, _ := r.Store.Batches(context.Background())
	if err != nil || check != "ok" || (len(batches) != 4 && len(batches) != 5) {
		t.Fatalf("restored copy: %q %v, %d batches", check, err, len(batches))
	}
	status := run(t, bin, "status", "--db", restored)
	if !strings.HasPrefix(status, "ibge,municipio") || strings.Count(status, "\n") != scale.StageSize+1 {
		t.Errorf("status of the restored copy: %d lines", strings.Count(status, "\n"))
	}
	if _, err := os.Stat(copyPath); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "backup", "--db", db, "--out", copyPath).CombinedOutput(); err == nil {
		t.Errorf("a backup over an existing file was allowed: %s", out)
	}
}
