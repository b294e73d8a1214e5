package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/config"
	"github.com/ses-mg/telemonitor/internal/store"
)

// passwordSource reads a new password: from the terminal (asked twice,
// not echoed) or, when stdin is not a terminal, its first line.
type passwordSource func(w io.Writer) (string, error)

func terminalPassword(stdin *os.File) passwordSource {
	return func(w io.Writer) (string, error) {
		fd := int(stdin.Fd())
		if !term.IsTerminal(fd) {
			line, err := bufio.NewReader(stdin).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return "", err
			}
			return strings.TrimRight(line, "\r\n"), nil
		}
		fmt.Fprint(w, "Nova senha: ")
		a, err := term.ReadPassword(fd)
		fmt.Fprintln(w)
		if err != nil {
			return "", err
		}
		fmt.Fprint(w, "Repita a senha: ")
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(w)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", fmt.Errorf("as senhas não conferem")
		}
		return string(a), nil
	}
}

const userUsage = `uso: telemonitor user <add|list|disable|enable|passwd> [opções]
  user add     --email E --role admin|urs|municipio [--urs NOME] [--municipio IBGE]   (senha pelo terminal ou stdin)
  user list
  user disable --email E
  user enable  --email E
  user passwd  --email E                                                          (senha pelo terminal ou stdin)
`

func userCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer, readPassword passwordSource) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: informe a ação\n%s", errUsage, userUsage)
	}
	fs := newFlags("user "+args[0], stderr)
	db := fs.String("db", cfg.DB, "arquivo do banco SQLite")
	email := fs.String("email", "", "e-mail do usuário")
	role := fs.String("role", "", "admin, urs ou municipio")
	urs := fs.String("urs", "", "URS do usuário (perfil urs)")
	ibge := fs.String("municipio", "", "código IBGE do município (perfil municipio)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumento inesperado %q", errUsage, fs.Arg(0))
	}
	if args[0] != "list" && !strings.Contains(*email, "@") {
		return fmt.Errorf("%w: informe --email", errUsage)
	}
	if err := dbExists(*db, args[0], cfg); err != nil {
		return err
	}
	a, err := app.Open(ctx, *db, cfg.Engine())
	if err != nil {
		return err
	}
	defer a.Close()
	logAudit := func(action, detail string) error {
		return a.Store.Audit(ctx, store.AuditEntry{Actor: whoAmI(), Action: action, Target: strings.ToLower(*email),
			Detail: detail, IP: "local", Outcome: audit.OK})
	}
	switch args[0] {
	case "add":
		code, err := auth.CheckScope(a.Territory, auth.Role(*role), *urs, *ibge)
		if err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		hash, err := newPasswordHash(readPassword, stderr)
		if err != nil {
			return err
		}
		u := store.User{Email: *email, Role: *role, URS: *urs, IBGE: code, PasswordHash: hash}
		if _, err := a.Store.AddUser(ctx, u); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return fmt.Errorf("já existe um usuário com o e-mail %s", *email)
			}
			return err
		}
		p := auth.FromUser(u)
		fmt.Fprintf(stdout, "usuário criado: %s (%s, %s)\n", strings.ToLower(*email), *role, p.ScopeLabel(a.Territory))
		return logAudit(audit.UserAdded, "perfil "+*role+", "+p.ScopeLabel(a.Territory))
	case "list":
		return listUsers(ctx, a, stdout)
	case "disable", "enable":
		disabled := args[0] == "disable"
		if err := a.Store.SetUserDisabled(ctx, *email, disabled); err != nil {
			return userError(err, *email)
		}
		action, word := audit.UserEnabled, "reativado"
		if disabled {
			action, word = audit.UserDisabled, "desativado (sessões encerradas)"
		}
		fmt.Fprintf(stdout, "usuário %s %s\n", strings.ToLower(*email), word)
		return logAudit(action, "")
	case "passwd":
		if _, err := a.Store.UserByEmail(ctx, *email); err != nil {
			return userError(err, *email)
		}
		hash, err := newPasswordHash(readPassword, stderr)
		if err != nil {
			return err
		}
		if err := a.Store.SetPassword(ctx, *email, hash); err != nil {
			return userError(err, *email)
		}
		fmt.Fprintf(stdout, "senha de %s alterada (sessões encerradas)\n", strings.ToLower(*email))
		return logAudit(audit.UserPassword, "")
	}
	return fmt.Errorf("%w: ação desconhecida %q\n%s", errUsage, args[0], userUsage)
}

// dbExists refuses to act on a database that is not there (a mistyped
// --db, or the demo's users looked up in the real database): only "add"
// may create one, as the first administrator of a new server is created
// before its first start.
func dbExists(path, action string, cfg config.Config) error {
	if action == "add" {
		return nil
	}
	if _, err := os.Stat(path); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return fmt.Errorf("o banco de dados %s não existe; informe o do servidor com --db ARQUIVO "+
		"(o painel de demonstração, serve --demo, usa %s)", path, cfg.DemoDB)
}

func newPasswordHash(read passwordSource, prompt io.Writer) (string, error) {
	pw, err := read(prompt)
	if err != nil {
		return "", err
	}
	return auth.HashPassword(pw)
}

func userError(err error, email string) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("usuário %s não encontrado", email)
	}
	return err
}

func listUsers(ctx context.Context, a *app.App, stdout io.Writer) error {
	users, err := a.Store.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "E-MAIL\tPERFIL\tABRANGÊNCIA\tSITUAÇÃO\tCRIADO EM")
	for _, u := range users {
		state := "ativo"
		if u.Disabled {
			state = "desativado"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Role, auth.FromUser(u).ScopeLabel(a.Territory), state,
			u.CreatedAt.Format("02/01/2006"))
	}
	return tw.Flush()
}
