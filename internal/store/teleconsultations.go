package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/sla"
)

// insertTeleconsultations writes a file's requests; a request already
// stored under the same núcleo and id is replaced (the later file wins).
func (t *Tx) insertTeleconsultations(ctx context.Context, id int64, r *records.Result) error {
	return t.insertAll(ctx, "teleconsultation", `INSERT INTO teleconsultations
		(nucleo, request_id, batch_id, row_num, sheet, ibge, sent_at, answered_at, status, specialty, requester_cpf,
		 requester_cbo, cnes, avoided, satisfaction) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(nucleo, request_id) DO UPDATE SET batch_id = excluded.batch_id, row_num = excluded.row_num,
			sheet = excluded.sheet, ibge = excluded.ibge, sent_at = excluded.sent_at, answered_at = excluded.answered_at,
			status = excluded.status, specialty = excluded.specialty, requester_cpf = excluded.requester_cpf,
			requester_cbo = excluded.requester_cbo, cnes = excluded.cnes, avoided = excluded.avoided,
			satisfaction = excluded.satisfaction`, len(r.Teleconsultations), func(i int) []any {
		c := r.Teleconsultations[i]
		return []any{c.Nucleo, c.ID, id, c.Row, c.Sheet, c.IBGE, formatTime(c.SentAt), formatTime(c.AnsweredAt), c.Status,
			c.Specialty, c.RequesterCPF, c.RequesterCBO, c.CNES, c.Avoided, c.Satisfaction}
	})
}

// RequestFilter narrows the requests read: by sent-at date (both days
// included, zero for open) and municipality ("" for all).
type RequestFilter struct {
	From, To time.Time
	IBGE     string
}

// Teleconsultations reads the stored requests as the measures see them
// (no personal data), in no particular order.
func (s *Store) Teleconsultations(ctx context.Context, f RequestFilter) ([]sla.Request, error) {
	q := `SELECT nucleo, specialty, ibge, sent_at, answered_at, status, avoided, satisfaction FROM teleconsultations WHERE 1=1`
	var args []any
	if !f.From.IsZero() {
		q += " AND sent_at >= ?"
		args = append(args, f.From.Format("2006-01-02"))
	}
	if !f.To.IsZero() {
		q += " AND sent_at < ?"
		args = append(args, f.To.AddDate(0, 0, 1).Format("2006-01-02"))
	}
	if f.IBGE != "" {
		q += " AND ibge = ?"
		args = append(args, f.IBGE)
	}
	var n int // the capacity to reserve: all the rows, for an unfiltered read
	if len(args) == 0 {
		if err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM teleconsultations").Scan(&n); err != nil {
			return nil, fmt.Errorf("store: teleconsultations: %w", err)
		}
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: teleconsultations: %w", err)
	}
	defer rows.Close()
	out := make([]sla.Request, 0, n)
	// Names repeat across a million rows: keep one copy of each.
	intern := map[string]string{}
	one := func(b []byte) string {
		if s, ok := intern[string(b)]; ok {
			return s
		}
		s := string(b)
		intern[s] = s
		return s
	}
	var nucleo, specialty, ibge, sent, answered, status, avoided []byte
	var sat int8
	for rows.Next() {
		if err := rows.Scan(&nucleo, &specialty, &ibge, &sent, &answered, &status, &avoided, &sat); err != nil {
			return nil, fmt.Errorf("store: teleconsultations: %w", err)
		}
		r := sla.Request{Nucleo: one(nucleo), Specialty: one(specialty), IBGE: one(ibge), SentAt: fastTime(sent),
			AnsweredAt: fastTime(answered), Cancelled: string(status) == records.StatusCancelada, Satisfaction: sat}
		switch string(avoided) {
		case "sim":
			r.Avoided = 1
		case "nao":
			r.Avoided = -1
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// fastTime reads TimeLayout ("2006-01-02T15:04:05") without the general
// parser, which dominates reading a million requests; anything else goes
// through parseTime.
func fastTime(b []byte) time.Time {
	if len(b) != len(TimeLayout) || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return parseTime(string(b))
	}
	num := func(i, n int) (v int) {
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, sec := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return parseTime(string(b))
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.Local)
}

// LastTeleconsultationTime is the latest sent-at or answered-at stored:
// the moment the núcleos' exports describe. ok is false with no request.
func (s *Store) LastTeleconsultationTime(ctx context.Context) (time.Time, bool, error) {
	var v string
	err := s.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(MAX(sent_at), MAX(answered_at)), '') FROM teleconsultations`).Scan(&v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: last teleconsultation: %w", err)
	}
	return parseTime(v), v != "", nil
}
