package cli

import (
	"bufio"
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
	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/config"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/store"
)

func importCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) (int, error) {
	fs := newFlags("import", stderr)
	db := fs.String("db", cfg.DB, "arquivo do banco SQLite")
	kindFlag := fs.String("kind", "auto", "tipo do arquivo")
	course := fs.String("course", "", "nome breve do curso no Moodle")
	dry := fs.Bool("dry-run", false, "valida e mostra o que mudaria, sem gravar")
	confirm := fs.Bool("confirmar-remocao", false, "aplica uma lista de abrangência que tira mais de 10% dos municípios da etapa")
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
	paths, err := expand(fs.Args())
	if err != nil {
		return 2, fmt.Errorf("%w: %v", errUsage, err)
	}
	a, err := app.Open(ctx, *db, cfg.Engine())
	if err != nil {
		return 1, err
	}
	defer a.Close()
	opt := ingest.Options{Kind: kind, Course: *course, DryRun: *dry, By: whoAmI()}
	if *confirm {
		opt.ConfirmedRemoval = ingest.AnyRemoval
	}
	reports, err := importPaths(ctx, a, paths, opt, stderr)
	if err != nil {
		return 1, err
	}
	if !*dry {
		if err := auditImports(ctx, a, reports); err != nil {
			return 1, err
		}
	}
	code := 0
	for _, r := range reports {
		if r.Status == ingest.Failed || r.Status == ingest.Blocked {
			code = 1
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reports); err != nil {
			return 1, err
		}
		return code, nil
	}
	// The report of a set is thousands of short writes: buffered, they
	// are one.
	out := bufio.NewWriter(stdout)
	for _, r := range reports {
		writeReportText(out, r, len(reports) == 1)
	}
	writeSetSummary(out, reports, *dry)
	if err := out.Flush(); err != nil {
		return 1, err
	}
	return code, nil
}

// importPaths reads the files and imports them as one set (ingest.ImportSet),
// in the recommended order of their kinds, as the import centre does: a dry
// run previews the whole set in one rolled-back transaction, so each file
// sees the ones before it. Files that cannot be read from disk are reported
// as failed after the others.
func importPaths(ctx context.Context, a *app.App, paths []string, opt ingest.Options, stderr io.Writer) ([]ingest.Report, error) {
	files := make([]ingest.File, 0, len(paths))
	var unreadable []ingest.Report
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			unreadable = append(unreadable, ingest.Report{File: p, Status: ingest.Failed, Error: "não foi possível ler o arquivo: " + err.Error()})
			continue
		}
		// Read when needed: a set of large files is not held in memory;
		// a large one outside the heap, under batchMemoryLimit.
		files = append(files, ingest.File{Name: p, Open: func() (*os.File, error) { return os.Open(p) }, OffHeap: true})
	}
	var bar *progress
	if isTerminal(stderr) {
		opt.Progress = func(file string, rows int) {
			if bar == nil || bar.file != file {
				if bar != nil {
					bar.done()
				}
				bar = newProgress(stderr, file, time.Now)
			}
			bar.rows(rows)
		}
	}
	reports, err := a.Ingest.ImportSet(ctx, files, opt)
	if bar != nil {
		bar.done()
	}
	return append(reports, unreadable...), err
}

// auditImports records each file of a real import in the audit log (a
// refused file under its own action, with its checksum and reason), in
// one transaction.
func auditImports(ctx context.Context, a *app.App, reports []ingest.Report) error {
	actor := whoAmI()
	entries := make([]store.AuditEntry, 0, len(reports))
	for _, r := range reports {
		action, detail, outcome := r.AuditEntry(audit.ImportCLI)
		entries = append(entries, store.AuditEntry{Actor: actor, Action: action, Target: filepath.Base(r.File), Detail: detail, Outcome: outcome})
	}
	return a.Store.Audit(ctx, entries...)
}

// batchMemoryLimit asks the garbage collector to keep the Go heap near
// 100 MiB in a command that runs once and ends (import, status, export…;
// not serve), unless GOMEMLIMIT says otherwise. It is a soft limit: more
// data still loads, with more collections. Measured (docs/desempenho.md):
// the import of scale 100 peaks at 264 MB of RSS with it and 317 MB with
// 160 MiB; status at scale 100, 166 MB instead of 273 MB without. Under
// it, the heap may grow to five times what is live before a collection
// (GOGC=400, unless GOGC says otherwise) instead of twice: a set of small
// files collected a dozen times for a live heap of under 10 MB. From a
// live heap of 20 MiB the limit decides when to collect.
func batchMemoryLimit() { softMemoryLimit(100<<20, 400) }

// serveMemoryLimit is the server's soft heap limit: far above what serving
// pages takes (about 60 MB of RSS under load), it makes the collector work
// harder only while an import runs in the server (its live heap peaked at
// 87 MB for a 900k-row registration sheet); the preview of that sheet
// peaked at 200–247 MB of RSS with it and 260 MB without
// (docs/desempenho.md).
func serveMemoryLimit() { softMemoryLimit(128<<20, 0) }

// softMemoryLimit sets the Go heap's soft limit and, when gcPercent is not
// 0, how much the heap may grow between collections under it, unless the
// environment (GOMEMLIMIT, GOGC) says otherwise.
func softMemoryLimit(limit int64, gcPercent int) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(limit)
	if gcPercent != 0 && os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
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

// writeReportText writes one file's report; a set's changes are written
// once, net, by writeSetSummary.
func writeReportText(w io.Writer, r ingest.Report, changes bool) {
	fmt.Fprintf(w, "%s: %s", r.File, present.ImportStatus(string(r.Status)))
	if r.Kind != "" {
		fmt.Fprintf(w, " [%s]", r.Kind)
	}
	fmt.Fprintln(w)
	if r.Status == ingest.Failed {
		fmt.Fprintf(w, "  motivo: %s\n", r.Error)
		if r.RefusedID > 0 {
			fmt.Fprintf(w, "  registrado como arquivo recusado nº %d (sha256 %s, %dª tentativa)\n", r.RefusedID, r.SHA256, r.Attempts)
		}
		return
	}
	if r.Status == ingest.Blocked {
		fmt.Fprintf(w, "  motivo: %s\n", r.Error)
		if r.Removal != nil {
			fmt.Fprintf(w, "  para aplicar mesmo assim, repita com --confirmar-remocao (%s)\n", r.Removal.Message)
		}
		return
	}
	fmt.Fprintf(w, "  linhas lidas: %d, aceitas: %d, rejeitadas: %d, avisos: %d", r.RowsRead, r.Accepted, r.Rejected, r.Warnings)
	if n := sumMap(r.Ignored); n > 0 {
		fmt.Fprintf(w, ", ignoradas: %d", n)
	}
	fmt.Fprintln(w)
	if rm := r.Removal; rm != nil {
		fmt.Fprintf(w, "  abrangência: %s (de %d contemplados)", rm.Message, rm.Contemplated)
		switch {
		case rm.Confirmed:
			fmt.Fprint(w, "; remoção confirmada")
		case rm.NeedsConfirm:
			fmt.Fprint(w, "; a importação só aplicará esta lista com --confirmar-remocao")
		}
		fmt.Fprintln(w)
	}
	for _, i := range r.Issues {
		label := "rejeitada"
		if i.Severity == records.Warning {
			label = "aviso"
		}
		fmt.Fprintf(w, "  %s: %s, coluna %q: %s [%s]\n", label, issueLocation(i), i.Column, i.Message, i.Code)
	}
	if !changes {
		return
	}
	for _, c := range r.Changes {
		writeChange(w, c)
	}
}

func issueLocation(i records.Issue) string {
	loc := fmt.Sprintf("linha %d", i.Row)
	if i.Sheet != "" {
		loc = fmt.Sprintf("aba %q, %s", i.Sheet, loc)
	}
	return loc
}

// writeChange writes a municipality's situação and conditions before → after.
func writeChange(w io.Writer, c ingest.Change) {
	fmt.Fprintf(w, "  %s (%s): situação %s → %s", c.Name, c.IBGE, c.From, c.To)
	for _, cc := range c.Conditions {
		fmt.Fprintf(w, "; %s %s → %s", cc.Condition, cc.From, cc.To)
	}
	fmt.Fprintln(w)
}

// writeSetSummary closes the text report of several files with the net
// changes of the whole set.
func writeSetSummary(w io.Writer, reports []ingest.Report, dry bool) {
	if len(reports) < 2 {
		return
	}
	changes := ingest.MergeChanges(reports)
	verb := "mudaram"
	if dry {
		verb = "mudariam"
	}
	fmt.Fprintf(w, "conjunto: %d arquivos; %d municípios %s de situação ou de condição\n", len(reports), len(changes), verb)
	for _, c := range changes {
		writeChange(w, c)
	}
}

func sumMap(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
