package importers_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/cli"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/statustest"
)

// The shared sample set re-saved by other software (testdata/variants.tar.gz,
// made by testdata/make_fixtures.py): LibreOffice .xlsx and .ods, openpyxl
// .xlsx, and Excel pt-BR CSVs (every sheet, ';', Windows-1252). Imported
// as one set, in the documented order, each gives exactly
// expected_status.csv.
var variants = []string{"libreoffice", "libreoffice-ods", "openpyxl", "csv-ptbr"}

type variantFile struct {
	name string
	data []byte
}

func readVariants(t *testing.T) map[string][]variantFile {
	t.Helper()
	f, err := os.Open("testdata/variants.tar.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	out := map[string][]variantFile{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		variant, rel, _ := strings.Cut(h.Name, "/")
		out[variant] = append(out[variant], variantFile{rel, data})
	}
}

// importRank is the documented import order: abrangência, formalização
// (older first), ponto focal, cadastro, Moodle, envio.
func importRank(rel string) int {
	for i, prefix := range []string{"abrangencia", "formalizacao", "Indicacao", "cadastro/", "moodle/", "envio"} {
		if strings.HasPrefix(rel, prefix) {
			return i
		}
	}
	return 99
}

func TestVariantsGiveExpectedStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the sample set four times")
	}
	all := readVariants(t)
	want, err := os.ReadFile("../data/samples/expected/expected_status.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range variants {
		t.Run(v, func(t *testing.T) {
			files := all[v]
			if len(files) < 160 {
				t.Fatalf("%d files", len(files))
			}
			slices.SortStableFunc(files, func(a, b variantFile) int {
				if ra, rb := importRank(a.name), importRank(b.name); ra != rb {
					return ra - rb
				}
				return strings.Compare(a.name, b.name)
			})
			a, err := app.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), conditions.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			// One set, as a folder is imported (the set applies the
			// files in the same order), each file in its transaction.
			set := make([]ingest.File, len(files))
			for i, f := range files {
				set[i] = ingest.File{Name: path.Base(f.name), Data: f.data}
			}
			reps, err := a.Ingest.ImportSet(context.Background(), set, ingest.Options{By: "test"})
			if err != nil || len(reps) != len(set) {
				t.Fatalf("%d reports for %d files: %v", len(reps), len(set), err)
			}
			for _, rep := range reps {
				// The instructions sheet of a workbook, saved on its own,
				// is no kind of file: refused, as it should be.
				if rep.Status != ingest.Imported && !strings.Contains(rep.File, "Instru") {
					t.Errorf("%s: %s (%s)", rep.File, rep.Status, rep.Error)
				}
			}
			snap, err := a.Snapshot(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := cli.WriteStatusCSV(&buf, snap.Select(monitor.Filter{})); err != nil {
				t.Fatal(err)
			}
			statustest.Compare(t, buf.Bytes(), want)
		})
	}
}
