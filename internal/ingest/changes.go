package ingest

import (
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/store"
)

// change compares a municipality's states before and after an import.
// Conditions are compared only while the municipality is contemplated on
// both sides (entering or leaving the stage is a change of situação).
func change(ibge, name string, old, now store.HistoryRow) (Change, bool) {
	ch := Change{IBGE: ibge, Name: name, From: old.Situacao, To: now.Situacao}
	out := string(conditions.NaoContemplado)
	if old.Situacao != out && now.Situacao != out {
		pairs := []struct {
			c        conditions.Condition
			from, to string
		}{
			{conditions.Formalizacao, old.Formalizacao, now.Formalizacao},
			{conditions.PontoFocal, old.PontoFocal, now.PontoFocal},
			{conditions.CapacitacaoAPS, old.CapacitacaoAPS, now.CapacitacaoAPS},
			{conditions.CapacitacaoAAE, old.CapacitacaoAAE, now.CapacitacaoAAE},
			{conditions.Planilha, old.Planilha, now.Planilha},
		}
		for _, p := range pairs {
			if p.from != p.to {
				ch.Conditions = append(ch.Conditions, ConditionChange{Condition: string(p.c), From: p.from, To: p.to})
			}
		}
	}
	return ch, ch.From != ch.To || len(ch.Conditions) > 0
}

// MergeChanges joins the changes of the files of a set, in order: a
// municipality changed by several files shows its state before the first
// and after the last, and is left out when that is no change at all.
func MergeChanges(reps []Report) []Change {
	var all []Change
	at := map[string]int{}
	for _, r := range reps {
		for _, ch := range r.Changes {
			i, seen := at[ch.IBGE]
			if !seen {
				at[ch.IBGE] = len(all)
				ch.Conditions = append([]ConditionChange(nil), ch.Conditions...)
				all = append(all, ch)
				continue
			}
			all[i] = mergeChange(all[i], ch)
		}
	}
	out := all[:0]
	for _, ch := range all {
		if ch.From != ch.To || len(ch.Conditions) > 0 {
			out = append(out, ch)
		}
	}
	return out
}

func mergeChange(first, next Change) Change {
	first.To = next.To
	for _, nc := range next.Conditions {
		found := false
		for k, fc := range first.Conditions {
			if fc.Condition == nc.Condition {
				first.Conditions[k].To, found = nc.To, true
			}
		}
		if !found {
			first.Conditions = append(first.Conditions, nc)
		}
	}
	out := string(conditions.NaoContemplado)
	kept := first.Conditions[:0]
	for _, c := range first.Conditions {
		if c.From != c.To && first.From != out && first.To != out {
			kept = append(kept, c)
		}
	}
	first.Conditions = kept
	return first
}
