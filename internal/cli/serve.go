package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/config"
	"github.com/ses-mg/telemonitor/internal/server"
	"github.com/ses-mg/telemonitor/internal/store"
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
	srv, err := server.New(a, server.Options{ProxyHeader: cfg.ProxyHeader, InsecureCookies: cfg.InsecureCookies})
	if err != nil {
		return err
	}
	logger.Info("telemonitor listening", "addr", *addr, "db", path, "demo", *demo)
	return srv.Listen(ctx, *addr)
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
	if err != nil {
		return err
	}
	return demoUsers(ctx, a)
}

// demoUsers creates one user per role in the demo database, each with a
// random password printed once (there is no default password).
func demoUsers(ctx context.Context, a *app.App) error {
	users := []store.User{
		{Email: "admin@demo.telemonitor", Role: "admin"},
		{Email: "urs.itabira@demo.telemonitor", Role: "urs", URS: "Itabira"},
		{Email: "ponto.focal@demo.telemonitor", Role: "municipio", IBGE: "3131703"},
	}
	for _, u := range users {
		pw := auth.NewToken()[:16]
		hash, err := auth.HashPassword(pw)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		if _, err := a.Store.AddUser(ctx, u); err != nil {
			return err
		}
		slog.Info("demo user (password shown only now; change it with telemonitor user passwd)", "email", u.Email, "role", u.Role,
			"password", pw)
	}
	return nil
}
