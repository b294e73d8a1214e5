package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/config"
	"github.com/ses-mg/telemonitor/internal/server"
)

func serve(ctx context.Context, cfg config.Config, args []string, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", cfg.Addr, "endereço de escuta")
	db := fs.String("db", "", "arquivo do banco SQLite (padrão "+config.DefaultDB+")")
	demo := fs.Bool("demo", false, "usa um banco de demonstração com os arquivos de exemplo")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumento inesperado %q", errUsage, fs.Arg(0))
	}
	path := cfg.DB
	if *demo {
		path = cfg.DemoDB
	}
	if *db != "" {
		path = *db
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	slog.SetDefault(logger)
	a, err := app.Open(ctx, path, cfg.Engine())
	if err != nil {
		return err
	}
	defer a.Close()
	if *demo {
		if err := loadDemo(ctx, a); err != nil {
			return err
		}
	}
	logger.Info("telemonitor listening", "addr", *addr, "db", path, "demo", *demo)
	return server.New(a, server.Options{ProxyHeader: cfg.ProxyHeader}).Listen(ctx, *addr)
}

// loadDemo imports the embedded sample files into an empty database.
func loadDemo(ctx context.Context, a *app.App) error {
	batches, err := a.Store.Batches(ctx)
	if err != nil || len(batches) > 0 {
		return err
	}
	reps, err := a.ImportSamples(ctx, "demo")
	for _, rep := range reps {
		slog.Info("demo import", "file", rep.File, "status", rep.Status, "rows", rep.RowsRead, "accepted", rep.Accepted)
	}
	return err
}
