package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/ses-mg/telemonitor/internal/records"
)

// Tx is one write transaction: an import is one Tx.
type Tx struct{ q querier }

// Update runs fn in a write transaction and commits when it returns nil.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(&Tx{q: tx}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	s.checkpointSoon()
	return nil
}

// DryRun runs fn in a write transaction that is always rolled back, so fn
// sees its own writes and nothing is kept.
func (s *Store) DryRun(ctx context.Context, fn func(*Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	return fn(&Tx{q: tx})
}

// InsertBatch records an imported file with its bytes and counts.
func (t *Tx) InsertBatch(ctx context.Context, b Batch, content []byte) (int64, error) {
	res, err := t.q.ExecContext(ctx, `INSERT INTO import_batches
		(file_name, sha256, size, kind, imported_by, imported_at, sheets, rows_read, accepted, rejected, ignored, warnings)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
		b.FileName, b.SHA256, b.Size, b.Kind, b.ImportedBy, formatTime(b.ImportedAt), strings.Join(b.Sheets, "|"),
		b.RowsRead, b.Accepted, b.Rejected, b.Ignored, b.Warnings)
	if err != nil {
		return 0, fmt.Errorf("store: insert batch: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	// The bytes go in chunks (migration 0010): SQLite copies each value it
	// is given, and builds the row from it, so a chunk bounds that memory.
	for seq := 0; seq*contentChunk < len(content); seq++ {
		chunk := content[seq*contentChunk : min((seq+1)*contentChunk, len(content))]
		if _, err := t.q.ExecContext(ctx, `INSERT INTO batch_contents (batch_id, seq, chunk) VALUES (?,?,?)`, id, seq, chunk); err != nil {
			return 0, fmt.Errorf("store: insert batch content: %w", err)
		}
	}
	return id, nil
}

// contentChunk is the size of the chunks a file's bytes are stored in.
const contentChunk = 1 << 20

// SetBatchCounts records a batch's sheets and counts once the whole file
// has been read (a long file is stored block by block as it is read).
func (t *Tx) SetBatchCounts(ctx context.Context, b Batch) error {
	_, err := t.q.ExecContext(ctx, `UPDATE import_batches SET sheets = ?, rows_read = ?, accepted = ?, rejected = ?, ignored = ?,
		warnings = ? WHERE id = ?`, strings.Join(b.Sheets, "|"), b.RowsRead, b.Accepted, b.Rejected, b.Ignored, b.Warnings, b.ID)
	if err != nil {
		return fmt.Errorf("store: batch counts: %w", err)
	}
	return nil
}

// Savepoint marks where Undo can take the transaction back to, so that
// one file of a transaction that holds several (a dry run of a set) can
// fail alone. Undo or Keep must follow.
func (t *Tx) Savepoint(ctx context.Context) error { return t.exec(ctx, "SAVEPOINT file") }

// Undo takes the transaction back to the last Savepoint and ends it.
func (t *Tx) Undo(ctx context.Context) error {
	if err := t.exec(ctx, "ROLLBACK TO file"); err != nil {
		return err
	}
	return t.Keep(ctx)
}

// Keep ends the last Savepoint, keeping what was written since.
func (t *Tx) Keep(ctx context.Context) error { return t.exec(ctx, "RELEASE file") }

func (t *Tx) exec(ctx context.Context, q string) error {
	if _, err := t.q.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("store: %s: %w", q, err)
	}
	return nil
}

// InsertIssues records a batch's issues.
func (t *Tx) InsertIssues(ctx context.Context, id int64, issues []records.Issue) error {
	return t.insertAll(ctx, "issue", `INSERT INTO import_issues (batch_id, sheet, row_num, column_name, severity, code, message, ibge)
		VALUES (?,?,?,?,?,?,?,?)`, len(issues), func(k int) []any {
		i := issues[k]
		return []any{id, i.Sheet, i.Row, i.Column, i.Severity, i.Code, i.Message, i.IBGE}
	})
}

// InsertRecords stores a result's records under batch id, by the update
// rules of each kind (see the schema: current data is derived from batches,
// nothing is deleted).
func (t *Tx) InsertRecords(ctx context.Context, id int64, r *records.Result) error {
	steps := []func(context.Context, int64, *records.Result) error{
		t.insertCoverage, t.insertFormalisations, t.insertNominations, t.insertProfessionals, t.insertCompletions, t.insertStarts,
		t.insertDataSent, t.insertTeleconsultations,
	}
	for _, step := range steps {
		if err := step(ctx, id, r); err != nil {
			return err
		}
	}
	return nil
}

// insertBatch is how many rows one INSERT statement carries: each call
// into SQLite costs more than the row, so rows go in groups.
const insertBatch = 64

// insertAll inserts n rows: query is an INSERT whose VALUES clause is the
// single tuple "(?,…)" (an ON CONFLICT clause may follow); args gives row
// i's values. Rows go insertBatch at a time, then the rest in groups of
// 32, 16, … 1 rows (its binary digits), in order, so a later row still
// sees an earlier one (ON CONFLICT). Each table has at most seven
// statement texts, which the connection keeps prepared across
// transactions (its statement cache, see Open): a set of small files no
// longer prepares a statement of another size for each file.
func (t *Tx) insertAll(ctx context.Context, what, query string, n int, args func(i int) []any) error {
	if n == 0 {
		return nil
	}
	var vals []any
	for start := 0; start < n; {
		size := insertBatch
		for size > n-start {
			size /= 2
		}
		q, err := insertQuery(query, size)
		if err != nil {
			return fmt.Errorf("store: insert %s: %w", what, err)
		}
		vals = vals[:0]
		for i := start; i < start+size; i++ {
			vals = append(vals, args(i)...)
		}
		if _, err := t.q.ExecContext(ctx, q, vals...); err != nil {
			return fmt.Errorf("store: insert %s: %w", what, err)
		}
		start += size
	}
	return nil
}

// insertQueries holds the text of each INSERT for a number of rows.
var insertQueries sync.Map // insertKey -> string

type insertKey struct {
	query string
	rows  int
}

// insertQuery repeats the VALUES tuple of query rows times.
func insertQuery(query string, rows int) (string, error) {
	key := insertKey{query, rows}
	if q, ok := insertQueries.Load(key); ok {
		return q.(string), nil
	}
	head, tail, ok := strings.Cut(query, "VALUES")
	if !ok {
		return "", errors.New("no VALUES clause")
	}
	tail = strings.TrimSpace(tail)
	end := strings.IndexByte(tail, ')') + 1
	tuple, rest := tail[:end], tail[end:]
	q := head + "VALUES " + tuple + strings.Repeat(","+tuple, rows-1) + rest
	insertQueries.Store(key, q)
	return q, nil
}

func (t *Tx) insertCoverage(ctx context.Context, id int64, r *records.Result) error {
	return t.insertAll(ctx, "coverage", `INSERT OR IGNORE INTO coverage (batch_id, row_num, ibge, nucleo, stage, aae_seat, aae_setup)
		VALUES (?,?,?,?,?,?,?)`, len(r.Coverage), func(i int) []any {
		c := r.Coverage[i]
		return []any{id, c.Row, c.IBGE, c.Nucleo, c.Stage, boolInt(c.AAESeat), boolInt(c.AAESetup)}
	})
}

func (t *Tx) insertFormalisations(ctx context.Context, id int64, r *records.Result) error {
	return t.insertAll(ctx, "formalisation", `INSERT INTO formalisations (batch_id, row_num, sheet, ibge, signed, signed_on, reference)
		VALUES (?,?,?,?,?,?,?)`, len(r.Formalisations), func(i int) []any {
		f := r.Formalisations[i]
		return []any{id, f.Row, f.Sheet, f.IBGE, boolInt(f.Signed), formatTime(f.SignedOn), f.Reference}
	})
}

func (t *Tx) insertNominations(ctx context.Context, id int64, r *records.Result) error {
	return t.insertAll(ctx, "nomination", `INSERT INTO nominations
		(batch_id, row_num, sheet, ibge, name, cpf, email, phone, role, completed_at, respondent) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
		len(r.Nominations), func(i int) []any {
			n := r.Nominations[i]
			return []any{id, n.Row, n.Sheet, n.IBGE, n.Name, n.CPF, n.Email, n.Phone, n.Role, formatTime(n.CompletedAt), n.Respondent}
		})
}

func (t *Tx) insertProfessionals(ctx context.Context, id int64, r *records.Result) error {
	return t.insertAll(ctx, "professional", `INSERT INTO professionals
		(batch_id, row_num, sheet, ibge, name, cpf, cns, cbo, occupation, cnes, establishment, ine, care_level, email, phone)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, len(r.Professionals), func(i int) []any {
		p := r.Professionals[i]
		return []any{id, p.Row, p.Sheet, p.IBGE, p.Name, p.CPF, p.CNS, p.CBO, p.Occupation, p.CNES, p.Establishment, p.INE, p.CareLevel,
			p.Email, p.Phone}
	})
}

func (t *Tx) insertCompletions(ctx context.Context, id int64, r *records.Result) error {
	return t.insertAll(ctx, "completion", `INSERT INTO completions
		(course, person_key, cpf, email, name, completed_at, batch_id, row_num, ibge) VALUES (?,?,?,?,?,?,?,?,?)
		ON CONFLICT(course, person_key) DO UPDATE SET completed_at = excluded.completed_at, batch_id = excluded.batch_id,
			row_num = excluded.row_num, cpf = excluded.cpf, email = excluded.email, name = excluded.name, ibge = excluded.ibge
		WHERE excluded.completed_at < completions.completed_at`, len(r.Completions), func(i int) []any {
		c := r.Completions[i]
		return []any{c.Course, c.PersonKey(), c.CPF, c.Email, c.Name, formatTime(c.CompletedAt), id, c.Row, c.IBGE}
	})
}

// insertStarts keeps the latest row of each person who started a Block-1
// course (a completion, once there is one, makes it moot).
func (t *Tx) insertStarts(ctx context.Context, id int64, r *records.Result) error {
	return t.insertAll(ctx, "course start", `INSERT INTO course_starts
		(course, person_key, cpf, email, name, ibge, batch_id, row_num) VALUES (?,?,?,?,?,?,?,?)
		ON CONFLICT(course, person_key) DO UPDATE SET cpf = excluded.cpf, email = excluded.email, name = excluded.name,
			ibge = excluded.ibge, batch_id = excluded.batch_id, row_num = excluded.row_num`, len(r.Starts), func(i int) []any {
		c := r.Starts[i]
		return []any{c.Course, c.PersonKey(), c.CPF, c.Email, c.Name, c.IBGE, id, c.Row}
	})
}

func (t *Tx) insertDataSent(ctx context.Context, id int64, r *records.Result) error {
	return t.insertAll(ctx, "data sent", `INSERT INTO data_sent (batch_id, row_num, sheet, ibge, sent_on) VALUES (?,?,?,?,?)`,
		len(r.DataSent), func(i int) []any {
			d := r.DataSent[i]
			return []any{id, d.Row, d.Sheet, d.IBGE, formatTime(d.SentOn)}
		})
}
