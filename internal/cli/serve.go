package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"time"

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
	if err := config.CheckAddr(*addr); err != nil {
		return fmt.Errorf("%w: --addr: %v", errUsage, err)
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
	if err := checkDatabase(ctx, path); err != nil {
		return err
	}
	a, err := app.Open(ctx, path, cfg.Engine())
	if err != nil {
		return err
	}
	defer a.Close()
	if *demo {
		if err := loadDemo(ctx, a, path); err != nil {
			return err
		}
	}
	proxies, err := config.TrustedProxyPrefixes(cfg.TrustedProxies)
	if err != nil {
		return err
	}
	srv, err := server.New(a, server.Options{ProxyHeader: cfg.ProxyHeader, TrustedProxies: proxies})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return listenError(*addr, err)
	}
	logger.Info("telemonitor listening", "addr", *addr, "db", path, "demo", *demo)
	if now := time.Now(); !inBrasiliaZone(now) {
		name, off := now.Zone()
		logger.Warn("the process's time zone is not Brasília's (UTC-3): set TZ=America/Sao_Paulo; the files' times and "+
			"\"now\" (today, overdue requests) are counted in the process's zone", "zone", name, "offset_hours", float64(off)/3600)
	}
	return srv.Serve(ctx, ln)
}

// inBrasiliaZone reports whether t is in Brasília's time (UTC−3 all year
// since 2019), the zone the files' times are in.
func inBrasiliaZone(t time.Time) bool {
	_, off := t.Zone()
	return off == -3*60*60
}

// listenError says in Portuguese why the server could not listen on addr.
func listenError(addr string, err error) error {
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return fmt.Errorf("o endereço %s já está em uso (outro telemonitor ou outro programa já escuta nessa porta): "+
			"pare o outro processo ou escolha outra porta, por exemplo --addr :8081", addr)
	case errors.Is(err, syscall.EACCES):
		return fmt.Errorf("sem permissão para escutar em %s (portas abaixo de 1024 pedem privilégios): use, por exemplo, --addr :8080", addr)
	}
	return fmt.Errorf("não foi possível escutar em %s: %w", addr, err)
}

// loadDemo imports the embedded sample files into an empty database (path).
func loadDemo(ctx context.Context, a *app.App, path string) error {
	batches, err := a.Store.Batches(ctx)
	if err != nil {
		return err
	}
	if len(batches) > 0 {
		slog.Info("demo users were created at the first start; to set a new password",
			"command", "telemonitor user passwd --db "+path+" --email admin@demo.telemonitor")
		return nil
	}
	reps, err := a.ImportDemo(ctx, "demo")
	for _, rep := range reps {
		slog.Info("demo import", "file", rep.File, "status", rep.Status, "rows", rep.RowsRead, "accepted", rep.Accepted)
	}
	if err != nil {
		return err
	}
	return demoUsers(ctx, a, path)
}

// demoUsers creates one user per role in the demo database, each with a
// random password printed once (there is no default password).
func demoUsers(ctx context.Context, a *app.App, path string) error {
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
		slog.Info("demo user (password shown only now)", "email", u.Email, "role", u.Role, "password", pw,
			"change_with", "telemonitor user passwd --db "+path+" --email "+u.Email)
	}
	return nil
}

// checkDatabase refuses to serve a damaged database (PRAGMA quick_check),
// saying how to put the latest backup in its place.
func checkDatabase(ctx context.Context, path string) error {
	err := store.QuickCheck(ctx, path)
	var ce *store.CorruptError
	if !errors.As(err, &ce) {
		return err
	}
	return fmt.Errorf(`o banco de dados %[1]s está corrompido e o servidor não foi iniciado.
Resultado da verificação (PRAGMA quick_check): %[2]s
Restaure a cópia de segurança mais recente (feita com telemonitor backup), como descrito em docs/confiabilidade.md, seção "Restaurar":
  1. guarde o arquivo danificado: mv %[1]s %[1]s.corrompido, e remova %[1]s-wal e %[1]s-shm, se existirem;
  2. copie a cópia para o lugar: cp COPIA.db %[1]s;
  3. confira com telemonitor status --db %[1]s e inicie o servidor de novo`, path, strings.Join(ce.Problems, "; "))
}
