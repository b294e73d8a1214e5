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
