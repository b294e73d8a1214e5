package ingest

import (
	"context"
	"slices"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/store"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// setState is what the files of one set share while they apply: the
// programme (read once, then kept current: see programme.go), the
// completions index built from it, and each municipality's latest
// recorded evaluation. The first file evaluates every municipality; the
// next ones only those their records touch (all of them for a coverage
// list or a Moodle file), so a set evaluates the 853 municipalities about
// once instead of once per file, and each file still reports and records
// its own changes.
type setState struct {
	t   *territory.Territory
	cfg conditions.Config

	prog    *store.Programme        // nil: read it at the next file
	ix      *conditions.Completions // nil: build it from prog
	latest  map[string]store.HistoryRow
	fresh   bool   // prog was just read: evaluate everything
	version string // the store's data version after our last commit ("" in a dry run)
}

// begin makes the state current for a file's transaction, which has just
// stored its batch: when another writer committed since our last file (the
// server's import centre, a confirmed reconciliation link), the programme
// and the history are read again.
func (st *setState) begin(ctx context.Context, s *Service, tx *store.Tx, dry bool) error {
	if err := st.check(ctx, s, dry); err != nil || st.prog != nil {
		return err
	}
	return st.reload(ctx, tx)
}

// check lets the programme go when another writer committed since our
// last file, to be read again.
func (st *setState) check(ctx context.Context, s *Service, dry bool) error {
	if st.prog == nil || dry {
		return nil
	}
	v, err := s.Store.DataVersion(ctx)
	if err != nil {
		return err
	}
	if v != st.version {
		st.prog = nil
	}
	return nil
}

// reload reads the programme and the latest history as tx sees them.
func (st *setState) reload(ctx context.Context, tx *store.Tx) error {
	st.prog, st.ix, st.latest = nil, nil, nil // collectable while the new one is read
	prog, err := tx.LoadProgramme(ctx)
	if err != nil {
		return err
	}
	latest, err := tx.LatestHistory(ctx)
	if err != nil {
		return err
	}
	st.prog, st.ix, st.latest, st.fresh = prog, nil, latest, true
	return nil
}

// forgetTraining lets the programme's training records go while the
// blocks of a long Moodle file are read: refresh reads them again from
// the transaction after the file, and nothing before needs them (the
// warnings about completions without a professional look up the
// professionals and the links). A scale-100 Moodle export over a
// scale-100 database peaked at 298 MB of RSS with them held.
func (st *setState) forgetTraining() {
	if st.prog != nil {
		st.prog.Completions, st.prog.Starts, st.ix = nil, nil, nil
	}
}

// afterApply, when set (by tests), sees the programme as it is kept after
// each file, in the file's transaction.
var afterApply func(ctx context.Context, tx *store.Tx, prog *store.Programme)

// refresh makes the programme current after a file of kind k that the
// in-memory mirror does not follow (see programme.go): a Moodle file has
// only its training records read again from tx; any other kind, all of
// the programme. Every municipality is evaluated next.
func (st *setState) refresh(ctx context.Context, tx *store.Tx, k records.Kind) error {
	if st.prog == nil || k != records.Moodle {
		return st.reload(ctx, tx)
	}
	st.ix = nil
	if err := tx.ReloadTraining(ctx, st.prog); err != nil {
		st.prog = nil
		return err
	}
	st.fresh = true
	return nil
}

// index returns the completions index of the current programme (as
// monitor.Evaluate builds it).
func (st *setState) index() *conditions.Completions {
	if st.ix == nil {
		st.ix = st.prog.Index(st.cfg)
	}
	return st.ix
}

// feedsProgramme reports whether a file of kind k can change what the
// conditions are evaluated from. Teleconsultation requests measure the
// service and feed no condition: their files need no reload of the
// programme nor evaluation (a million requests used to be followed by
// reading the programme again and evaluating the 853 municipalities).
func feedsProgramme(k records.Kind) bool { return k != records.Teleconsultas }

// evaluate re-evaluates the municipalities a file may have changed and
// returns the history rows (stamped with the batch) and the changes of
// those whose states differ from their latest recorded ones; a file that
// feeds no condition changes none.
func (st *setState) evaluate(res *records.Result, batch store.Batch) ([]store.HistoryRow, []Change) {
	if !feedsProgramme(res.Kind) {
		return nil, []Change{}
	}
	ibges, all := touched(res)
	if st.fresh || all || !mirrored(res.Kind) {
		ibges = nil
		for _, m := range st.t.Municipalities {
			ibges = append(ibges, m.IBGE)
		}
		st.fresh = false
	} else {
		slices.Sort(ibges)
	}
	ix := st.index()
	var rows []store.HistoryRow
	changes := []Change{}
	for _, ibge := range ibges {
		m, ok := st.t.ByCode(ibge)
		if !ok {
			continue
		}
		h := store.HistoryOf(conditions.Evaluate(st.prog.Input(m.IBGE), ix))
		h.At, h.BatchID = batch.ImportedAt, batch.ID
		old, had := st.latest[m.IBGE]
		if !had {
			old.Situacao = string(conditions.NaoContemplado)
		}
		if (had && old.Same(h)) || (!had && h.Situacao == string(conditions.NaoContemplado)) {
			continue
		}
		rows = append(rows, h)
		if ch, ok := change(m.IBGE, m.Name, old, h); ok {
			changes = append(changes, ch)
		}
	}
	return rows, changes
}

// commit takes a file's new history rows as the latest ones.
func (st *setState) commit(rows []store.HistoryRow) {
	for _, h := range rows {
		st.latest[h.IBGE] = h
	}
}

// committed notes the data version our last commit left, to tell a later
// write by someone else (see begin).
func (st *setState) committed(ctx context.Context, s *store.Store) error {
	if st.prog == nil {
		return nil
	}
	v, err := s.DataVersion(ctx)
	st.version = v
	return err
}
