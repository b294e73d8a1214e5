package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/config"
	"github.com/ses-mg/telemonitor/internal/monitor"
)

// StatusHeader is the exact CSV header of `telemonitor status`.
func status(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("status", stderr)
	db := fs.String("db", cfg.DB, "arquivo do banco SQLite")
	format := fs.String("format", "csv", "csv ou json")
	all := fs.Bool("all", false, "inclui os 853 municípios (os não contemplados com situacao=nao_contemplado)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumento inesperado %q", errUsage, fs.Arg(0))
	}
	if *format != "csv" && *format != "json" {
		return fmt.Errorf("%w: --format deve ser csv ou json", errUsage)
	}
	a, err := app.Open(ctx, *db, cfg.Engine())
	if err != nil {
		return err
	}
	defer a.Close()
	snap, err := a.Snapshot(ctx)
	if err != nil {
		return err
	}
	rows := snap.Select(monitor.Filter{All: *all})
	if *format == "json" {
		return writeStatusJSON(stdout, rows)
	}
	return WriteStatusCSV(stdout, rows)
}

// WriteStatusCSV writes the status rows with the contract header.
func WriteStatusCSV(w io.Writer, rows []monitor.Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(monitor.StatusHeader); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r.Status().Record()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeStatusJSON(w io.Writer, rows []monitor.Row) error {
	out := make([]monitor.Status, len(rows))
	for i, r := range rows {
		out[i] = r.Status()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
