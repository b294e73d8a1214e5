package scale

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ses-mg/telemonitor/importers"
	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/records"
)

func TestIdentifiersAreValid(t *testing.T) {
	for _, base := range []int{1, 12345678, 529982247, 999999998} {
		if c := CPF(base); !ident.CPF(c, false).Valid {
			t.Errorf("CPF(%d) = %s is not valid", base, c)
		}
	}
	for _, base := range []int64{0, 1, 70000000000000, 123456789} {
		if c := CNS(base); !ident.CNS(c, false).Valid || len(c) != 15 {
			t.Errorf("CNS(%d) = %s is not valid", base, c)
		}
	}
}

// TestGeneratedFilesImport generates scale 1 and parses every file with
// the real importers: each is recognised as its kind, and the counts are
// those the generator built in.
func TestGeneratedFilesImport(t *testing.T) {
	tr, _, err := app.LoadTerritory()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Generate(tr, 1, dir); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		kind     records.Kind
		read     int
		rejected int
	}{
		FileAbrangencia:  {records.Abrangencia, StageSize, 0},
		FileFormalizacao: {records.Formalizacao, StageSize, 0},
		FilePontoFocal:   {records.PontoFocal, StageSize * 11 / 10, 0},
		FileCadastro:     {records.Cadastro, ProfessionalsPerScale, ProfessionalsPerScale / 50},
		FileMoodle:       {records.Moodle, MoodleRowsPerScale, 0},
		FileEnvio:        {records.Envio, StageSize / 2, 0},
	}
	for _, name := range Files {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		ctx := &common.Context{Territory: tr, Config: conditions.DefaultConfig(), FileName: name}
		res, err := importers.Parse(ctx, data, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		w := want[name]
		if res.Kind != w.kind || res.RowsRead != w.read || res.Rejected != w.rejected {
			t.Errorf("%s: kind=%s read=%d rejected=%d (issues %v); want %s %d %d",
				name, res.Kind, res.RowsRead, res.Rejected, res.CodeCounts(records.Error), w.kind, w.read, w.rejected)
		}
	}
}
