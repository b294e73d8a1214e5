package monitor

import (
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/store"
)

// SituationOn answers "what was the municipality's situação on date d"
// from its history (oldest first): the last evaluation recorded up to the
// end of that day, or nao_contemplado before the first one.
func SituationOn(history []store.HistoryRow, d time.Time) conditions.Situation {
	end := time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, d.Location())
	sit := conditions.NaoContemplado
	for _, h := range history {
		if h.At.After(end) {
			break
		}
		sit = conditions.Situation(h.Situacao)
	}
	return sit
}

// AptoSince returns when the municipality's current run of apto began; ok
// is false when it is not apto now.
func AptoSince(history []store.HistoryRow) (time.Time, bool) {
	var since time.Time
	for _, h := range history {
		switch {
		case h.Situacao != string(conditions.Apto):
			since = time.Time{}
		case since.IsZero():
			since = h.At
		}
	}
	return since, !since.IsZero()
}

// Point is the number of apto municipalities at the end of a day.
type Point struct {
	Date  time.Time
	Aptos int
}

// AptosOverTime counts, for each day on which an evaluation was recorded,
// the municipalities (those keep accepts) that were apto at the end of that
// day. history is every municipality's history, oldest first.
func AptosOverTime(history []store.HistoryRow, keep func(ibge string) bool) []Point {
	state := map[string]bool{}
	var out []Point
	for i, h := range history {
		if keep(h.IBGE) {
			state[h.IBGE] = h.Situacao == string(conditions.Apto)
		}
		last := i == len(history)-1
		if !last && sameDay(history[i+1].At, h.At) {
			continue
		}
		n := 0
		for _, apto := range state {
			if apto {
				n++
			}
		}
		day := time.Date(h.At.Year(), h.At.Month(), h.At.Day(), 0, 0, 0, 0, h.At.Location())
		out = append(out, Point{Date: day, Aptos: n})
	}
	return out
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// Event is a change in a municipality's history, for its page.
type Event struct {
	At   time.Time
	What string // condition code, or "situacao"
	From string
	To   string
}

// Events lists what changed between consecutive evaluations of one
// municipality (oldest first): each condition's state and the situação.
func Events(history []store.HistoryRow) []Event {
	var out []Event
	var prev store.HistoryRow
	for i, h := range history {
		pairs := []struct{ what, from, to string }{
			{string(conditions.Formalizacao), prev.Formalizacao, h.Formalizacao},
			{string(conditions.PontoFocal), prev.PontoFocal, h.PontoFocal},
			{string(conditions.CapacitacaoAPS), prev.CapacitacaoAPS, h.CapacitacaoAPS},
			{string(conditions.CapacitacaoAAE), prev.CapacitacaoAAE, h.CapacitacaoAAE},
			{string(conditions.Planilha), prev.Planilha, h.Planilha},
			{"situacao", prev.Situacao, h.Situacao},
		}
		for _, p := range pairs {
			if p.from != p.to && (i > 0 || p.to != "") {
				out = append(out, Event{At: h.At, What: p.what, From: p.from, To: p.to})
			}
		}
		prev = h
	}
	return out
}
