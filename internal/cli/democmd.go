package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/scale"
)

// demoCmd writes synthetic input files at a scale (for load tests and
// benchmarks): telemonitor demo --scale K --out DIR.
func demoCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	k := fs.Int("scale", 1, "tamanho: 1 ≈ 5.000 linhas do Moodle e 2.500 de cadastro; 20 ≈ 100.000 e 50.000")
	out := fs.String("out", "", "pasta de saída (criada se não existir)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: informe --out PASTA", errUsage)
	}
	if *k < 1 || *k > 1000 {
		return fmt.Errorf("%w: --scale deve estar entre 1 e 1000", errUsage)
	}
	t, _, err := app.LoadTerritory()
	if err != nil {
		return err
	}
	if err := scale.Generate(t, *k, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "arquivos de escala %d em %s, na ordem de importação:\n", *k, *out)
	for _, name := range scale.Files {
		fmt.Fprintf(stdout, "  %s\n", name)
	}
	return nil
}

// backupCmd copies the database while it may be in use (VACUUM INTO: a
// consistent snapshot, readers and the writer keep going).
func backupCmd(ctx context.Context, dbPath string, engine conditions.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	db := fs.String("db", dbPath, "arquivo do banco SQLite")
	out := fs.String("out", "", "arquivo da cópia (não pode existir)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: informe --out ARQUIVO", errUsage)
	}
	a, err := app.Open(ctx, *db, engine)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Store.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "cópia consistente de %s gravada em %s\n", *db, *out)
	return nil
}
