package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
)

// HistoryRow is one recorded evaluation of a municipality.
type HistoryRow struct {
	IBGE           string
	At             time.Time
	BatchID        int64
	Formalizacao   string
	PontoFocal     string
	CapacitacaoAPS string
	CapacitacaoAAE string
	Planilha       string
	Situacao       string
}

// Same reports whether two rows record the same states.
func (h HistoryRow) Same(o HistoryRow) bool {
	return h.Formalizacao == o.Formalizacao && h.PontoFocal == o.PontoFocal && h.CapacitacaoAPS == o.CapacitacaoAPS &&
		h.CapacitacaoAAE == o.CapacitacaoAAE && h.Planilha == o.Planilha && h.Situacao == o.Situacao
}

const historyColumns = `ibge, at, COALESCE(batch_id, 0), formalizacao, ponto_focal, capacitacao_aps, capacitacao_aae, planilha, situacao`

func scanHistory(scan func(...any) error) (HistoryRow, error) {
	var h HistoryRow
	var at string
	err := scan(&h.IBGE, &at, &h.BatchID, &h.Formalizacao, &h.PontoFocal, &h.CapacitacaoAPS, &h.CapacitacaoAAE, &h.Planilha, &h.Situacao)
	h.At = parseTime(at)
	return h, err
}

// LatestHistory returns each municipality's latest recorded evaluation.
func (t *Tx) LatestHistory(ctx context.Context) (map[string]HistoryRow, error) {
	out := map[string]HistoryRow{}
	err := each(ctx, t.q, `SELECT `+historyColumns+` FROM evaluation_history
		WHERE id IN (SELECT MAX(id) FROM evaluation_history GROUP BY ibge)`,
		func(scan func(...any) error) error {
			h, err := scanHistory(scan)
			out[h.IBGE] = h
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("store: latest history: %w", err)
	}
	return out, nil
}

// InsertHistory appends evaluation rows.
func (t *Tx) InsertHistory(ctx context.Context, rows []HistoryRow) error {
	return t.insertAll(ctx, "history", `INSERT INTO evaluation_history
		(ibge, at, batch_id, formalizacao, ponto_focal, capacitacao_aps, capacitacao_aae, planilha, situacao)
		VALUES (?,?,?,?,?,?,?,?,?)`, len(rows), func(i int) []any {
		h := rows[i]
		var batch any
		if h.BatchID != 0 {
			batch = h.BatchID
		}
		return []any{h.IBGE, formatTime(h.At), batch, h.Formalizacao, h.PontoFocal, h.CapacitacaoAPS, h.CapacitacaoAAE, h.Planilha, h.Situacao}
	})
}

// AllHistory returns every recorded evaluation (one row per import that
// changed a municipality's states), oldest first.
func (s *Store) AllHistory(ctx context.Context) ([]HistoryRow, error) {
	var out []HistoryRow
	err := each(ctx, s.read, `SELECT `+historyColumns+` FROM evaluation_history ORDER BY id`,
		func(scan func(...any) error) error {
			h, err := scanHistory(scan)
			out = append(out, h)
			return err
		})
	return out, err
}

func eachArgs(ctx context.Context, q querier, query string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// HistoryOf is the row an evaluation is recorded as in the history.
func HistoryOf(e conditions.Evaluation) HistoryRow {
	return HistoryRow{
		IBGE:           e.IBGE,
		Formalizacao:   string(e.State(conditions.Formalizacao)),
		PontoFocal:     string(e.State(conditions.PontoFocal)),
		CapacitacaoAPS: string(e.State(conditions.CapacitacaoAPS)),
		CapacitacaoAAE: string(e.State(conditions.CapacitacaoAAE)),
		Planilha:       string(e.State(conditions.Planilha)),
		Situacao:       string(e.Situation),
	}
}
