package table_test

import (
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/importers"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/records"
)

// specs are the specs of every kind of file.
func specs(t testing.TB) []table.Spec {
	var out []table.Spec
	for _, k := range append(records.Kinds, records.Teleconsultas) {
		imp, ok := importers.ByKind(k)
		if !ok {
			t.Fatalf("no importer for %s", k)
		}
		out = append(out, imp.Spec)
	}
	return out
}

// sameMatch checks that Match maps cells as MatchReference does, for
// every kind's spec (the Header of a row that does not match is not to
// be used: only whether it matched is compared).
func sameMatch(t *testing.T, specs []table.Spec, cells []string) {
	t.Helper()
	for i, s := range specs {
		got, gotOK := s.Match(cells)
		want, wantOK := table.MatchReference(s, cells)
		if gotOK != wantOK || wantOK && !maps.Equal(got.Index, want.Index) {
			t.Fatalf("spec %d, cells %q: %v %v, reference %v %v", i, cells, got.Index, gotOK, want.Index, wantOK)
		}
	}
}

// The first rows of every sheet of the samples (headers, titles and data)
// match every kind's spec as the reference does.
func TestMatchAsReferenceOnSamples(t *testing.T) {
	all := specs(t)
	files := 0
	seen := map[string]bool{} // the samples repeat their headers and titles
	err := filepath.WalkDir("../../data/samples", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(p, "expected") || !(strings.HasSuffix(p, ".xlsx") || strings.HasSuffix(p, ".csv")) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		wb, err := table.Open(filepath.Base(p), data)
		if err != nil {
			return err
		}
		defer wb.Close()
		for _, name := range wb.SheetNames() {
			sh, err := wb.Sheet(name)
			if err != nil {
				return err
			}
			for range table.HeaderSearchRows {
				r, err := sh.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					return err
				}
				if key := strings.Join(r.Cells, "\t"); !seen[key] {
					seen[key] = true
					sameMatch(t, all, r.Cells)
				}
			}
			sh.Close()
		}
		files++
		return nil
	})
	if err != nil || files < 100 {
		t.Fatalf("%d files: %v", files, err)
	}
}

func FuzzMatchAsReference(f *testing.F) {
	f.Add("Município\tCódigo IBGE\tNome do profissional\tCPF\tE-mail")
	f.Add("Nome\tNome\tCPF\tCPF do profissional\tUsuário: E-mail\tEmail")
	f.Add("Qual o nome completo do ponto focal?\tMunicípio:\t\tIBGE")
	all := specs(f)
	f.Fuzz(func(t *testing.T, row string) {
		cells := strings.Split(row, "\t")
		if len(cells) > table.MaxColumns {
			return
		}
		sameMatch(t, all, cells)
	})
}
