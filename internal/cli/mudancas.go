package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/ses-mg/telemonitor/internal/config"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
)

// mudancasCmd lists the municipalities whose situação or any condition
// changed between two dates, by evidence time, as the /mudancas page does.
func mudancasCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("mudancas", stderr)
	db := fs.String("db", cfg.DB, "arquivo do banco SQLite")
	from := fs.String("de", "", "data inicial, dd/mm/aaaa (obrigatória)")
	to := fs.String("ate", "", "data final, dd/mm/aaaa (padrão: hoje)")
	format := fs.String("format", "csv", "csv (na saída padrão, ou em --out) ou xlsx (em --out ou num arquivo com a abrangência e as datas)")
	out := fs.String("out", "", "arquivo de saída")
	var f monitor.Filter
	regionFlags(fs, &f)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumento inesperado %q", errUsage, fs.Arg(0))
	}
	if *format != "csv" && *format != "xlsx" {
		return fmt.Errorf("%w: --format deve ser csv ou xlsx", errUsage)
	}
	start, ok := present.ParseDay(*from)
	if !ok {
		return fmt.Errorf("%w: --de deve ser uma data dd/mm/aaaa", errUsage)
	}
	end := time.Now()
	if *to != "" {
		if end, ok = present.ParseDay(*to); !ok {
			return fmt.Errorf("%w: --ate deve ser uma data dd/mm/aaaa", errUsage)
		}
	}
	a, snap, err := openScope(ctx, cfg, *db, f)
	if err != nil {
		return err
	}
	defer a.Close()
	diffs := monitor.Compare(snap.Select(f), start, end)
	scope := export.Scope{Filter: f}
	write := func(w io.Writer) error {
		if *format == "xlsx" {
			return export.WriteChangesXLSX(w, scope, diffs, start, end, time.Now())
		}
		return export.WriteChangesCSV(w, diffs, start, end)
	}
	path := *out
	if path == "" && *format == "xlsx" {
		path = export.ChangesFileName(scope, start, end, "xlsx")
	}
	if path == "" {
		return write(stdout)
	}
	// No personal data, but focal points' towns and dates: private anyway.
	if err := writeFileAtomically(path, privateFile, write); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d municípios mudaram entre %s e %s (%s)\n", path, len(diffs), present.Date(start), present.Date(end), scope.Describe())
	return nil
}
