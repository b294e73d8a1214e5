package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/sla"
)

// teleColumns are the columns a request is written with, in the order of
// teleShape.args.
const teleColumns = `(nucleo, request_id, batch_id, row_num, sheet, ibge, sent_at, answered_at, status, specialty,
	requester_cpf, requester_cbo, cnes, avoided, satisfaction)`

// teleOnConflict makes the INSERT of one request replace the one stored
// under the same núcleo and id.
const teleOnConflict = `
	ON CONFLICT(nucleo, request_id) DO UPDATE SET batch_id = excluded.batch_id, row_num = excluded.row_num,
		sheet = excluded.sheet, ibge = excluded.ibge, sent_at = excluded.sent_at, answered_at = excluded.answered_at,
		status = excluded.status, specialty = excluded.specialty, requester_cpf = excluded.requester_cpf,
		requester_cbo = excluded.requester_cbo, cnes = excluded.cnes, avoided = excluded.avoided,
		satisfaction = excluded.satisfaction`

// answeredArg is the stored answered-at: NULL while unanswered.
func answeredArg(c *records.Teleconsultation) any {
	if c.AnsweredAt.IsZero() {
		return nil
	}
	return sla.WallMinutes(c.AnsweredAt)
}

// lean reports whether a request has none of the optional fields (CPF,
// CBO, CNES, avoided referral, satisfaction), as most exports have none.
func lean(c *records.Teleconsultation) bool {
	return c.RequesterCPF == "" && c.RequesterCBO == "" && c.CNES == "" && c.Avoided == "" && c.Satisfaction == 0
}

// teleShape is the form of one statement of the writer: an INSERT OR
// IGNORE of rows requests, lean when they have no optional field and share
// their sheet (which then go as SQL constants and one parameter instead of
// six values each), or a DELETE of rows requests, or (rows 0) the upsert
// of one request, with the values of a one-row INSERT.
type teleShape struct {
	rows   int
	lean   bool
	delete bool
}

// query is the statement of the shape. In an INSERT, ?1 is the batch and,
// when lean, ?2 the sheet; each request then has its numbered values.
func (s teleShape) query() string {
	var b strings.Builder
	switch {
	case s.rows == 0:
		b.WriteString(`INSERT INTO teleconsultations ` + teleColumns + ` VALUES `)
		s.values(&b, 1)
		b.WriteString(teleOnConflict)
	case s.delete:
		// OR of primary keys (a search each), not a row-value IN list,
		// which SQLite answers by scanning the table.
		b.WriteString(`DELETE FROM teleconsultations WHERE `)
		for i := range s.rows {
			if i > 0 {
				b.WriteString(" OR ")
			}
			b.WriteString("(nucleo = ? AND request_id = ?)")
		}
	default:
		b.WriteString(`INSERT OR IGNORE INTO teleconsultations ` + teleColumns + ` VALUES `)
		s.values(&b, s.rows)
	}
	return b.String()
}

// values writes the VALUES tuples of n requests, in the order of
// teleColumns.
func (s teleShape) values(b *strings.Builder, n int) {
	p := 2
	if s.lean {
		p = 3
	}
	next := func() string { p++; return "?" + strconv.Itoa(p-1) }
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if s.lean {
			// nucleo, request_id, batch_id, row_num, sheet, ibge, sent_at, answered_at, status, specialty
			fmt.Fprintf(b, "(%s,%s,?1,%s,?2,%s,%s,%s,%s,%s,'','','','',0)", next(), next(), next(), next(), next(), next(), next(), next())
			continue
		}
		fmt.Fprintf(b, "(%s,%s,?1,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", next(), next(), next(), next(), next(), next(), next(),
			next(), next(), next(), next(), next(), next(), next())
	}
}

// args appends the values of rows for the shape's statement.
func (s teleShape) args(vals []any, batch int64, rows []records.Teleconsultation) []any {
	if s.delete {
		for i := range rows {
			vals = append(vals, rows[i].Nucleo, rows[i].ID)
		}
		return vals
	}
	vals = append(vals, batch)
	if s.lean {
		vals = append(vals, rows[0].Sheet)
	}
	for i := range rows {
		c := &rows[i]
		vals = append(vals, c.Nucleo, c.ID, int64(c.Row))
		if !s.lean {
			vals = append(vals, c.Sheet)
		}
		vals = append(vals, c.IBGE, sla.WallMinutes(c.SentAt), answeredArg(c), c.Status, c.Specialty)
		if !s.lean {
			vals = append(vals, c.RequesterCPF, c.RequesterCBO, c.CNES, c.Avoided, int64(c.Satisfaction))
		}
	}
	return vals
}

// teleRows is how many requests one statement carries.
const teleRows = 64

// teleWriter writes requests block after block of a file, with its
// statements prepared once.
type teleWriter struct {
	t     *Tx
	batch int64
	stmts map[teleShape]*sql.Stmt
	vals  []any
	// replacing: the last requests met stored ones, so the next are
	// written by deleting their keys first (a cumulative export).
	replacing bool
	last      map[[2]string]int // a block's requests: núcleo and id → its last row
	kept      []records.Teleconsultation
}

func (w *teleWriter) close() {
	for _, s := range w.stmts {
		s.Close()
	}
}

// exec runs the shape's statement over rows and returns the rows it
// changed.
func (w *teleWriter) exec(ctx context.Context, shape teleShape, rows []records.Teleconsultation) (int64, error) {
	stmt, ok := w.stmts[shape]
	if !ok {
		var err error
		if stmt, err = w.t.q.PrepareContext(ctx, shape.query()); err != nil {
			return 0, fmt.Errorf("store: prepare teleconsultation: %w", err)
		}
		w.stmts[shape] = stmt
	}
	w.vals = shape.args(w.vals[:0], w.batch, rows)
	res, err := stmt.ExecContext(ctx, w.vals...)
	if err != nil {
		return 0, fmt.Errorf("store: insert teleconsultation: %w", err)
	}
	return res.RowsAffected()
}

// insert writes rows with INSERT OR IGNORE and returns how many went in.
func (w *teleWriter) insert(ctx context.Context, rows []records.Teleconsultation) (int64, error) {
	shape := teleShape{rows: len(rows), lean: true}
	for i := range rows {
		if !lean(&rows[i]) || rows[i].Sheet != rows[0].Sheet {
			shape.lean = false
			break
		}
	}
	return w.exec(ctx, shape, rows)
}

// write stores up to teleRows requests in row order.
func (w *teleWriter) write(ctx context.Context, rows []records.Teleconsultation) error {
	if !w.replacing {
		n, err := w.insert(ctx, rows)
		if err != nil || n == int64(len(rows)) {
			return err
		}
		w.replacing = true
	}
	// Replace: the last row of each request, after deleting what is
	// stored under their keys (rows the INSERT OR IGNORE above took too).
	clear(w.last)
	for i := range rows {
		w.last[[2]string{rows[i].Nucleo, rows[i].ID}] = i
	}
	w.kept = w.kept[:0]
	for i := range rows {
		if w.last[[2]string{rows[i].Nucleo, rows[i].ID}] == i {
			w.kept = append(w.kept, rows[i])
		}
	}
	deleted, err := w.exec(ctx, teleShape{rows: len(w.kept), delete: true}, w.kept)
	if err != nil {
		return err
	}
	n, err := w.insert(ctx, w.kept)
	if err != nil {
		return err
	}
	if n != int64(len(w.kept)) {
		// A value the table refuses: the upsert says which.
		for i := range w.kept {
			if _, err := w.exec(ctx, teleShape{}, w.kept[i:i+1]); err != nil {
				return err
			}
		}
		return fmt.Errorf("store: insert teleconsultation: %d of %d requests stored", n, len(w.kept))
	}
	w.replacing = deleted > 0
	return nil
}

// insertTeleconsultations writes a file's requests in row order; a request
// already stored under the same núcleo and id is replaced (the later row
// or file wins).
//
// Requests go teleRows at a time through INSERT OR IGNORE, which, unlike
// an upsert of many rows, needs no statement journal (with the deferred
// foreign keys of migration 0009): SQLite would otherwise copy every page
// each statement touches. A statement that inserted fewer rows than it
// carried met a stored request (or a repeated one): the last row of each
// of its requests is written again after a DELETE of their keys, and the
// next statements do the same until one deletes nothing.
func (t *Tx) insertTeleconsultations(ctx context.Context, id int64, r *records.Result) error {
	list := r.Teleconsultations
	if len(list) == 0 {
		return nil
	}
	w := &teleWriter{t: t, batch: id, stmts: map[teleShape]*sql.Stmt{}, last: map[[2]string]int{}}
	defer w.close()
	for start := 0; start < len(list); start += teleRows {
		if err := w.write(ctx, list[start:min(start+teleRows, len(list))]); err != nil {
			return err
		}
	}
	return nil
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
	var n int // the capacity to reserve: all the rows, for an unfiltered read
	if f == (RequestFilter{}) {
		if err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM teleconsultations").Scan(&n); err != nil {
			return nil, fmt.Errorf("store: teleconsultations: %w", err)
		}
	}
	out := make([]sla.Request, 0, n)
	err := s.EachTeleconsultation(ctx, f, func(r *sla.Request) error {
		out = append(out, *r)
		return nil
	})
	return out, err
}

// EachTeleconsultation calls fn with each stored request f selects, in no
// particular order, without holding them (sla.Tally measures them so);
// *r is only valid during the call. An error from fn stops the reading.
func (s *Store) EachTeleconsultation(ctx context.Context, f RequestFilter, fn func(r *sla.Request) error) error {
	// Besides the three names, a request comes as three numbers: its
	// times and its flags (cancelled, avoided referral, satisfaction).
	q := `SELECT nucleo, specialty, ibge, sent_at, COALESCE(answered_at, -1),
		(status = 'cancelada') + 2 * (CASE avoided WHEN 'sim' THEN 2 WHEN 'nao' THEN 0 ELSE 1 END) + 8 * satisfaction
		FROM teleconsultations WHERE 1=1`
	var args []any
	if !f.From.IsZero() {
		q += " AND sent_at >= ?"
		args = append(args, dayMinutes(f.From))
	}
	if !f.To.IsZero() {
		q += " AND sent_at < ?"
		args = append(args, dayMinutes(f.To.AddDate(0, 0, 1)))
	}
	if f.IBGE != "" {
		q += " AND ibge = ?"
		args = append(args, f.IBGE)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: teleconsultations: %w", err)
	}
	defer rows.Close()
	// Names repeat across a million rows: keep one copy of each.
	intern := map[string]string{}
	one := func(s string) string {
		if v, ok := intern[s]; ok {
			return v
		}
		intern[s] = s
		return s
	}
	var nucleo, specialty, ibge string
	var sent, answered, flags int64
	for rows.Next() {
		if err := rows.Scan(&nucleo, &specialty, &ibge, &sent, &answered, &flags); err != nil {
			return fmt.Errorf("store: teleconsultations: %w", err)
		}
		r := sla.Request{Nucleo: one(nucleo), Specialty: one(specialty), IBGE: one(ibge), SentAt: sla.WallTime(sent, time.Local),
			Cancelled: flags&1 == 1, Avoided: int8(flags>>1&3) - 1, Satisfaction: int8(flags >> 3)}
		if answered >= 0 {
			r.AnsweredAt = sla.WallTime(answered, time.Local)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: teleconsultations: %w", err)
	}
	return nil
}

// dayMinutes is the stored form (sla.WallMinutes) of the start of t's day.
func dayMinutes(t time.Time) int64 {
	y, m, d := t.Date()
	return sla.WallMinutes(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// LastTeleconsultationTime is the latest sent-at or answered-at stored:
// the moment the núcleos' exports describe. ok is false with no request.
func (s *Store) LastTeleconsultationTime(ctx context.Context) (time.Time, bool, error) {
	var sent, answered sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT MAX(sent_at), MAX(answered_at) FROM teleconsultations`).Scan(&sent, &answered)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: last teleconsultation: %w", err)
	}
	if !sent.Valid {
		return time.Time{}, false, nil
	}
	return sla.WallTime(max(sent.Int64, answered.Int64), time.Local), true, nil
}
