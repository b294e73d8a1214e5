package cli

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Files with personal data come out readable by their owner only, even
// under a umask that would leave them open to everyone.
func TestPersonalDataFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := t.TempDir()
	db := filepath.Join(dir, "novo", "t.db")
	if code, _, errs := run("import", "--db", db, "../../data/samples/abrangencia.xlsx"); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	files := map[string][]string{
		filepath.Join(dir, "profissionais.xlsx"): {"export", "--db", db, "--profissionais", "--out"},
		filepath.Join(dir, "municipios.csv"):     {"export", "--db", db, "--format", "csv", "--out"},
		filepath.Join(dir, "copia.db"):           {"backup", "--db", db, "--out"},
	}
	for out, args := range files {
		if code, _, errs := run(append(args, out)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
	}
	files[db] = nil
	files[filepath.Dir(db)] = nil
	for path := range files {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o600)
		if fi.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %o, want %o", filepath.Base(path), fi.Mode().Perm(), want)
		}
	}
}
