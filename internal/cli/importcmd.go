package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/ses-mg/telemonitor/importers"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/config"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/present"
)

func importCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) (int, error) {
	fs := newFlags("import", stderr)
	db := fs.String("db", cfg.DB, "arquivo do banco SQLite")
	kindFlag := fs.String("kind", "auto", "tipo do arquivo")
	course := fs.String("course", "", "nome breve do curso no Moodle")
	dry := fs.Bool("dry-run", false, "valida e mostra o que mudaria, sem gravar")
	format := fs.String("format", "text", "text ou json")
	if err := parseFlags(fs, args); err != nil {
		return 2, err
	}
	kind, err := importers.ParseKind(*kindFlag)
	if err != nil {
		return 2, fmt.Errorf("%w: %v", errUsage, err)
	}
	if *format != "text" && *format != "json" {
		return 2, fmt.Errorf("%w: --format deve ser text ou json", errUsage)
	}
	if fs.NArg() == 0 {
		return 2, fmt.Errorf("%w: informe ao menos um arquivo ou pasta", errUsage)
	}
	files, err := expand(fs.Args())
	if err != nil {
		return 2, fmt.Errorf("%w: %v", errUsage, err)
	}
	importMemoryLimit()
	a, err := app.Open(ctx, *db, cfg.Engine())
	if err != nil {
		return 1, err
	}
	defer a.Close()
	opt := ingest.Options{Kind: kind, Course: *course, DryRun: *dry, By: whoAmI()}
	reports := make([]ingest.Report, 0, len(files))
	code := 0
	tty := isTerminal(stderr)
	for _, f := range files {
		var bar *progress
		if tty {
			bar = newProgress(stderr, f, time.Now)
			opt.Progress = bar.rows
		}
		rep, err := importOne(ctx, a, f, opt)
		if bar != nil {
			bar.done()
		}
		if err != nil {
			return 1, err
		}
		if rep.Status == ingest.Failed {
			code = 1
		}
		reports = append(reports, rep)
		if *format == "text" {
			writeReportText(stdout, rep)
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reports); err != nil {
			return 1, err
		}
	}
	return code, nil
}

// importMemoryLimit asks the garbage collector to keep the Go heap near
// 100 MiB during a command-line import (unless GOMEMLIMIT says otherwise):
// a 100k-row Moodle file then peaks at about 195 MB of RSS instead of 225,
// at the same speed (docs/desempenho.md). It is a soft limit: larger
// files still import, with more collections.
func importMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(100 << 20)
	}
}

func importOne(ctx context.Context, a *app.App, path string, opt ingest.Options) (ingest.Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ingest.Report{File: path, Status: ingest.Failed, Error: "não foi possível ler o arquivo: " + err.Error()}, nil
	}
	rep, err := a.Ingest.Import(ctx, path, data, opt)
	rep.File = path
	return rep, err
}

// expand turns folders into their files (recursively, in name order).
func expand(args []string) ([]string, error) {
	var out []string
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil {
			out = append(out, arg) // reported as a failed file
			continue
		}
		if !info.IsDir() {
			out = append(out, arg)
			continue
		}
		var inDir []string
		err = filepath.WalkDir(arg, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
				inDir = append(inDir, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(inDir)
		out = append(out, inDir...)
	}
	return out, nil
}

func whoAmI() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}

func writeReportText(w io.Writer, r ingest.Report) {
	fmt.Fprintf(w, "%s: %s", r.File, present.ImportStatus(string(r.Status)))
	if r.Kind != "" {
		fmt.Fprintf(w, " [%s]", r.Kind)
	}
	fmt.Fprintln(w)
	if r.Status == ingest.Failed {
		fmt.Fprintf(w, "  motivo: %s\n", r.Error)
		return
	}
	fmt.Fprintf(w, "  linhas lidas: %d, aceitas: %d, rejeitadas: %d, avisos: %d", r.RowsRead, r.Accepted, r.Rejected, r.Warnings)
	if n := sumMap(r.Ignored); n > 0 {
		fmt.Fprintf(w, ", ignoradas: %d", n)
	}
	fmt.Fprintln(w)
	for _, i := range r.Issues {
		if i.Severity != "erro" {
			continue
		}
		loc := fmt.Sprintf("linha %d", i.Row)
		if i.Sheet != "" {
			loc = fmt.Sprintf("aba %q, %s", i.Sheet, loc)
		}
		fmt.Fprintf(w, "  rejeitada: %s, coluna %q: %s [%s]\n", loc, i.Column, i.Message, i.Code)
	}
	for _, c := range r.Changes {
		fmt.Fprintf(w, "  %s (%s): %s → %s\n", c.Name, c.IBGE, c.From, c.To)
	}
}

func sumMap(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
