// Package ingest imports one file end to end: it checks whether the same
// bytes were imported before, parses the file with the importers, stores
// the batch and its records in one transaction, lists Block-1 completions
// that match no registered professional, re-evaluates every municipality
// and records what changed in the history. A dry run does all of that in a
// transaction that is rolled back.
package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"time"

	"github.com/ses-mg/telemonitor/importers"
	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/store"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// Status of one file's import.
type Status string

// The statuses (part of the CLI's JSON contract).
const (
	Imported  Status = "imported"
	Unchanged Status = "unchanged"
	Failed    Status = "failed"
	DryRun    Status = "dry-run"
	// Blocked: not applied because a coverage list of the set would remove
	// too many municipalities without confirmation (see guard.go).
	Blocked Status = "blocked"
)

// Options of an import.
type Options struct {
	Kind   records.Kind // "" detects
	Course string       // Moodle course short name
	DryRun bool
	By     string // who imports (user e-mail, or the OS user for the CLI)
	// ConfirmedRemoval confirms a coverage list that removes more than
	// RemovalLimit of the contemplated municipalities: the number of
	// municipalities the user agreed would leave the stage (the count the
	// preview named), or AnyRemoval. Zero confirms nothing.
	ConfirmedRemoval int
	// Progress, when set, is told now and then how many rows of which
	// file were read.
	Progress func(file string, rows int)
}

// Change is a municipality whose situação or any condition changes. From
// and To are the situação (equal when only conditions change); Conditions
// lists each condition that changes, for a municipality contemplated
// before and after (one entering or leaving the stage has only From/To).
type Change struct {
	IBGE       string            `json:"ibge"`
	Name       string            `json:"municipio"`
	From       string            `json:"de"`
	To         string            `json:"para"`
	Conditions []ConditionChange `json:"condicoes,omitempty"`
}

// ConditionChange is one condition's state before and after.
type ConditionChange struct {
	Condition string `json:"condicao"`
	From      string `json:"de"`
	To        string `json:"para"`
}

// Report is the outcome of one file.
type Report struct {
	File     string          `json:"file"`
	Kind     records.Kind    `json:"kind"`
	Status   Status          `json:"status"`
	Error    string          `json:"error,omitempty"`
	RowsRead int             `json:"rows_read"`
	Accepted int             `json:"accepted"`
	Rejected int             `json:"rejected"`
	Warnings int             `json:"warnings"`
	Ignored  map[string]int  `json:"ignored"`
	Issues   []records.Issue `json:"issues"`
	// IssuesOmitted counts the issues of a long file beyond the first
	// records.ReportIssues, which Issues lists; all are stored with the
	// batch.
	IssuesOmitted int      `json:"issues_omitted,omitempty"`
	Changes       []Change `json:"changes"`
	BatchID       int64    `json:"batch_id,omitempty"`
	SHA256        string   `json:"sha256,omitempty"`
	// RefusedID and Attempts: a file that could not be read is on record
	// (store.RefusedFile) after a real import; Attempts counts the times
	// these bytes were sent and refused.
	RefusedID int64 `json:"refused_id,omitempty"`
	Attempts  int   `json:"attempts,omitempty"`
	// Removal is set for a coverage list that removes municipalities
	// from the stage.
	Removal *Removal `json:"removal,omitempty"`
}

// Service imports files.
type Service struct {
	Store     *store.Store
	Territory *territory.Territory
	Config    conditions.Config
	Now       func() time.Time
}

// Import imports one file's bytes. The report says why a file failed; the
// error is for failures of the system itself (database).
func (s *Service) Import(ctx context.Context, name string, data []byte, opt Options) (Report, error) {
	reps, err := s.ImportSet(ctx, []File{{Name: name, Data: data}}, opt)
	if len(reps) == 0 {
		return Report{File: name}, err
	}
	return reps[0], err
}

// pending is a parsed file waiting to be applied.
type pending struct {
	rep   *Report
	file  File
	opt   Options
	kind  records.Kind
	batch store.Batch
	data  []byte
	// res holds the file's records; nil for a long file (more than
	// blockRows records and issues), which is read again, block by block,
	// inside its transaction (see applyLong).
	res *records.Result
}

// blockRows bounds the records and issues an import holds in memory: a
// file with more is stored in blocks of that many as it is read, so that
// the memory of an import does not grow with the file.
var blockRows = 32 << 10

// longBytes: a file of more bytes is read in blocks whatever its number of
// records (a 100k-row Moodle CSV has 11 MB; the largest sample file,
// 0.4 MB).
var longBytes = 4 << 20

// errLong stops the first reading of a long file.
var errLong = errors.New("ingest: file longer than a block")

// ImportSet imports several files in the recommended order of their kinds
// (abrangência, formalização, ponto focal, cadastro, Moodle, envio), each in
// its own transaction. A dry run applies them all in one transaction that
// is rolled back, so each file sees the ones before it as the real import
// would. A coverage list that needs a confirmation it did not get blocks
// the whole set (see guard.go); otherwise a real import keeps each file
// that could not be read on record (store.RecordRefusal). Reports come in
// the order the files were applied.
func (s *Service) ImportSet(ctx context.Context, files []File, opt Options) ([]Report, error) {
	reps := make([]Report, len(files))
	parsed, err := s.prepareAll(ctx, files, opt, reps)
	if err != nil {
		return reps, err
	}
	var todo []pending
	seen := map[string]int{}
	for i, p := range parsed {
		if p == nil {
			continue
		}
		if first, dup := seen[p.batch.SHA256]; dup {
			reps[i].Status, reps[i].Kind = Unchanged, p.kind
			reps[i].Error = fmt.Sprintf("mesmo conteúdo de %s, enviado junto", files[first].Name)
			continue
		}
		seen[p.batch.SHA256] = i
		todo = append(todo, *p)
	}
	// Within a kind, files go in name order, so the result does not depend
	// on the order they were sent in (dated names sort chronologically).
	sort.SliceStable(todo, func(a, b int) bool {
		ra, rb := todo[a].kind.Rank(), todo[b].kind.Rank()
		if ra != rb {
			return ra < rb
		}
		return todo[a].rep.File < todo[b].rep.File
	})
	held, err := s.guard(ctx, todo, opt)
	if err != nil {
		return reps, err
	}
	if held != nil && !opt.DryRun {
		block(todo, held)
		return ordered(reps, todo), nil
	}
	if !opt.DryRun {
		for i := range reps {
			if reps[i].Status == Failed {
				if err := s.recordRefusal(ctx, files[i], opt, &reps[i]); err != nil {
					return reps, err
				}
			}
		}
	}
	st := &setState{t: s.Territory, cfg: s.Config}
	if opt.DryRun {
		err := s.Store.DryRun(ctx, func(tx *store.Tx) error {
			for i := range todo {
				if err := s.apply(ctx, tx, st, todo[i], true); err != nil {
					return err
				}
				release(&todo[i], true)
			}
			return nil
		})
		if err != nil {
			return reps, fmt.Errorf("ingest: dry run: %w", err)
		}
	} else {
		for i, p := range todo {
			err := s.Store.Update(ctx, func(tx *store.Tx) error { return s.apply(ctx, tx, st, p, false) })
			if err != nil {
				return reps, fmt.Errorf("ingest: %s: %w", p.rep.File, err)
			}
			if err := st.committed(ctx, s.Store); err != nil {
				return reps, err
			}
			if p.rep.Status == Failed { // a long file whose end could not be read
				if err := s.recordRefusal(ctx, p.file, opt, p.rep); err != nil {
					return reps, err
				}
			}
			release(&todo[i], false)
		}
	}
	return ordered(reps, todo), nil
}

// prepare checks whether the bytes were imported before and parses them;
// it returns nil when there is nothing to apply (unchanged or failed).
func (s *Service) prepare(ctx context.Context, f File, opt Options, rep *Report) (*pending, error) {
	*rep = Report{File: f.Name, Ignored: map[string]int{}, Issues: []records.Issue{}, Changes: []Change{}}
	content, release, err := f.content()
	defer release()
	if err != nil {
		rep.Status, rep.Error = Failed, "não foi possível ler o arquivo: "+err.Error()
		return nil, nil
	}
	sum := sha256.Sum256(content)
	sha := hex.EncodeToString(sum[:])
	rep.SHA256 = sha
	if b, err := s.Store.BatchBySHA(ctx, sha); err == nil {
		rep.Kind, rep.Status, rep.BatchID = b.Kind, Unchanged, b.ID
		rep.RowsRead, rep.Accepted, rep.Rejected, rep.Warnings = b.RowsRead, b.Accepted, b.Rejected, b.Warnings
		return nil, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	pctx := s.parseContext(f.Name, opt)
	var kind records.Kind
	// A large file is long without counting: its first reading only tells
	// its kind (the first record stops it), instead of parsing a block that
	// would be parsed again.
	block := blockRows
	if len(content) > longBytes {
		block = 1
	}
	pctx.Flush, pctx.Block = func(r *records.Result) error { kind = r.Kind; return errLong }, block
	res, err := importers.Parse(pctx, content, opt.Kind)
	if errors.Is(err, errLong) {
		res, err = nil, nil
	}
	if err != nil {
		if !table.IsFileError(err) {
			err = &table.FileError{Msg: err.Error()}
		}
		rep.Status, rep.Error = Failed, err.Error()
		return nil, nil
	}
	if res != nil {
		kind = res.Kind
	}
	rep.Kind, rep.Status = kind, Imported
	if opt.DryRun {
		rep.Status = DryRun
	}
	batch := store.Batch{FileName: filepath.Base(f.Name), SHA256: sha, Size: int64(len(content)), Kind: kind, ImportedBy: opt.By,
		ImportedAt: s.now()}
	p := &pending{rep: rep, file: f, opt: opt, kind: kind, batch: batch, data: content, res: res}
	switch {
	case res != nil:
		batch.Sheets, batch.RowsRead, batch.Accepted, batch.Rejected, batch.Ignored = res.Sheets, res.RowsRead, res.Accepted,
			res.Rejected, res.IgnoredTotal()
		p.batch = batch
		if f.offHeap(len(content)) {
			p.data = bytes.Clone(content) // a large file without records: kept past release
		}
	case f.Data == nil && f.Open != nil:
		p.data = nil // a long file is read again when it applies
	}
	return p, nil
}

// parseContext is what the importers need to read a file of the set.
func (s *Service) parseContext(name string, opt Options) *common.Context {
	pctx := &common.Context{Territory: s.Territory, Config: s.Config, FileName: filepath.Base(name), Course: opt.Course}
	if opt.Progress != nil {
		pctx.Progress = func(rows int) { opt.Progress(name, rows) }
	}
	return pctx
}

// finish copies the parse results into the report (res is nil for a long
// file that was not applied).
func finish(rep *Report, res *records.Result, dry bool) {
	if res != nil {
		rep.Kind, rep.RowsRead, rep.Accepted, rep.Rejected = res.Kind, res.RowsRead, res.Accepted, res.Rejected
		rep.Ignored, rep.Issues, rep.Warnings = res.Ignored, res.ReportedIssues(), res.Warnings()
		rep.IssuesOmitted = res.IssueCount() - len(rep.Issues)
	}
	if rep.Issues == nil {
		rep.Issues = []records.Issue{}
	}
	if dry {
		rep.BatchID = 0
	}
}

// release fills an applied file's report and lets its records and bytes
// go: the later files of a large set do not keep them in memory. A long
// file's report was filled as it applied.
func release(p *pending, dry bool) {
	if p.res != nil {
		finish(p.rep, p.res, dry)
	}
	p.res, p.data, p.file.Data = nil, nil, nil
}

// ordered lists the applied files in the order they were applied, then the
// files that were not (unchanged or failed) in their given order.
func ordered(reps []Report, applied []pending) []Report {
	out := make([]Report, 0, len(reps))
	done := map[*Report]bool{}
	for _, p := range applied {
		out = append(out, *p.rep)
		done[p.rep] = true
	}
	for i := range reps {
		if !done[&reps[i]] {
			out = append(out, reps[i])
		}
	}
	return out
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// apply stores one file in tx: its batch and records, the warnings about
// completions that match nobody, and a history row for each municipality
// whose states it changed (st keeps the programme current across files).
func (s *Service) apply(ctx context.Context, tx *store.Tx, st *setState, p pending, dry bool) (err error) {
	defer func() {
		if err != nil {
			st.prog = nil // the transaction is lost: read everything again
		} else if afterApply != nil && st.prog != nil {
			afterApply(ctx, tx, st.prog)
		}
	}()
	if p.res == nil {
		return s.applyLong(ctx, tx, st, p, dry)
	}
	batch, res := p.batch, p.res
	if batch.ID, err = tx.InsertBatch(ctx, batch, p.data); err != nil {
		return err
	}
	p.rep.BatchID = batch.ID
	if mirrored(res.Kind) {
		err = st.begin(ctx, s, tx, dry)
	} else {
		err = st.check(ctx, s, dry) // refresh reads what changed, or everything
	}
	if err != nil {
		return err
	}
	if err := tx.InsertRecords(ctx, batch.ID, res); err != nil {
		return err
	}
	if !mirrored(res.Kind) {
		if err := st.refresh(ctx, tx, res.Kind); err != nil {
			return err
		}
	}
	if len(res.Completions) > 0 {
		warnUnmatched(res, registry(st.prog))
	}
	if err := tx.InsertIssues(ctx, batch.ID, res.Issues); err != nil {
		return err
	}
	batch.Warnings = res.Warnings()
	if err := tx.SetBatchCounts(ctx, batch); err != nil {
		return err
	}
	if mirrored(res.Kind) {
		advance(st.prog, batch, res)
	}
	rows, changes := st.evaluate(res, batch)
	p.rep.Changes = changes
	if err := tx.InsertHistory(ctx, rows); err != nil {
		return err
	}
	st.commit(rows)
	return nil
}

// registry is the programme's registered professionals with the confirmed
// links, as the reconciliation of completions sees them.
func registry(prog *store.Programme) *conditions.Registry {
	lists := make([][]conditions.Professional, 0, len(prog.Inputs))
	for _, in := range prog.Inputs {
		lists = append(lists, in.Professionals)
	}
	return conditions.NewRegistry(lists...).WithLinks(prog.Links)
}

// warnUnmatched warns about Block-1 completions of this file that match no
// accepted professional (they count for nothing until one registers).
func warnUnmatched(res *records.Result, reg *conditions.Registry) {
	for _, c := range res.Completions {
		if !reg.Has(conditions.Completion{CPF: c.CPF, Email: c.Email}) {
			res.Warn(c.Where, "", records.ConclusaoSemProfissional,
				"Conclusão do 1º bloco de %q sem profissional correspondente nas planilhas de cadastro (por CPF ou e-mail): fica listada para conciliação.",
				c.Name)
		}
	}
}
