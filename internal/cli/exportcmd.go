package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/config"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/people"
	"github.com/ses-mg/telemonitor/internal/store"
)

func exportCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	db := fs.String("db", cfg.DB, "arquivo do banco SQLite")
	format := fs.String("format", "xlsx", "xlsx ou csv")
	var f monitor.Filter
	regionFlags(fs, &f)
	fs.StringVar(&f.Situacao, "situacao", "", "apto, pendente ou nao_contemplado")
	fs.IntVar(&f.Missing, "faltam", 0, "só os municípios a que faltam exatamente N condições (1: falta 1 condição)")
	out := fs.String("out", "", "arquivo de saída (padrão: nome com a abrangência e a data, na pasta atual)")
	withPeople := fs.Bool("profissionais", false, "inclui a aba Profissionais (dados pessoais, CPF completo; fica no registro de auditoria)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumento inesperado %q", errUsage, fs.Arg(0))
	}
	if *format != "xlsx" && *format != "csv" {
		return fmt.Errorf("%w: --format deve ser xlsx ou csv", errUsage)
	}
	if *withPeople && *format != "xlsx" {
		return fmt.Errorf("%w: --profissionais só vale para --format xlsx", errUsage)
	}
	f.All = f.Situacao == "nao_contemplado"
	a, snap, err := openScope(ctx, cfg, *db, f)
	if err != nil {
		return err
	}
	defer a.Close()
	now := time.Now()
	scope := export.Scope{Filter: f}
	path := *out
	if path == "" {
		path = export.FileName(scope, now, *format)
	}
	rows := snap.Select(f)
	var pros []people.Professional
	if *withPeople {
		// Whoever runs the CLI on the server holds the database: the admin's view.
		rv := (&auth.Principal{Role: auth.Admin}).Reveal()
		if pros, err = people.Professionals(ctx, a.Store, snap, rows, rv); err != nil {
			return err
		}
		if scope.Focal, err = export.FocalContacts(ctx, a.Store, rows, rv); err != nil {
			return err
		}
	}
	// Every report names focal points; the one with professionals has CPFs.
	if err := writeFileAtomically(path, privateFile, func(w io.Writer) error {
		switch {
		case *format == "csv":
			return export.WriteCSV(w, rows)
		case *withPeople:
			return export.WriteXLSXProfessionals(w, scope, rows, now, pros)
		}
		return export.WriteXLSX(w, scope, rows, now)
	}); err != nil {
		return err
	}
	detail := fmt.Sprintf("sem dados pessoais: %s, %d municípios", scope.Describe(), len(rows))
	if *withPeople {
		detail = fmt.Sprintf("planilha com profissionais: %s, %d municípios, %d profissionais, CPF completo", scope.Describe(), len(rows), len(pros))
	}
	if err := a.Store.Audit(ctx, store.AuditEntry{Actor: whoAmI(), Action: audit.Export, Target: filepath.Base(path), Detail: detail,
		IP: "local", Outcome: audit.OK}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d municípios (%s)\n", path, len(rows), scope.Describe())
	return nil
}

// privateFile is the mode of files with personal data: their owner's only.
const privateFile os.FileMode = 0o600

// writeFileAtomically writes to a temporary file beside path and renames
// it, so a failed export never leaves half a file under the final name.
// The file gets mode (whatever the umask).
func writeFileAtomically(path string, mode os.FileMode, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// regionFlags are the scope flags export and mudancas share.
func regionFlags(fs *flag.FlagSet, f *monitor.Filter) {
	fs.StringVar(&f.Macro, "macro", "", "macrorregião (nome ou código)")
	fs.StringVar(&f.Micro, "micro", "", "microrregião (nome ou código)")
	fs.StringVar(&f.URS, "urs", "", "URS")
	fs.StringVar(&f.Nucleo, "nucleo", "", "núcleo (FM-UFMG, Feluma, HC-UFMG)")
}

// openScope opens the database and evaluates it for a report of the rows
// f selects (an invalid filter is a usage error); the caller closes the
// app.
func openScope(ctx context.Context, cfg config.Config, db string, f monitor.Filter) (*app.App, *monitor.Snapshot, error) {
	a, err := app.Open(ctx, db, cfg.Engine())
	if err != nil {
		return nil, nil, err
	}
	if err := f.Validate(a.Territory); err != nil {
		a.Close()
		return nil, nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	snap, err := a.Snapshot(ctx)
	if err != nil {
		a.Close()
		return nil, nil, err
	}
	return a, snap, nil
}
