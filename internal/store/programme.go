package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/records"
)

// Programme is the engine's view of the programme data (conditions owns
// the type; the store reads it).
type Programme = conditions.Programme

// LoadProgramme reads the current programme data in one read transaction,
// so an import committing meanwhile is seen entirely or not at all.
func (s *Store) LoadProgramme(ctx context.Context) (*Programme, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store: begin read: %w", err)
	}
	defer tx.Rollback()
	p, err := loadProgramme(ctx, tx)
	if err != nil {
		return nil, err
	}
	if p.Version, err = dataVersion(ctx, tx); err != nil {
		return nil, err
	}
	return p, nil
}

// LoadProgramme reads the programme data as this transaction sees it.
func (t *Tx) LoadProgramme(ctx context.Context) (*Programme, error) {
	return loadProgramme(ctx, t.q)
}

// loading is a programme being read, with the batches its records name.
type loading struct {
	*Programme
	batches map[int64]Batch
	texts   map[string]string // one copy of each repeated text (see text)
	files   map[int64]*conditions.Imported
}

// text returns one shared copy of a text that repeats on many rows (a
// course, a care level): a programme of hundreds of thousands of records
// then holds one string per distinct value, not one per row.
func (p *loading) text(raw sql.RawBytes) string {
	if s, ok := p.texts[string(raw)]; ok {
		return s
	}
	s := string(raw)
	p.texts[s] = s
	return s
}

// count is the number of rows of a table, to size a list once.
func count(ctx context.Context, q querier, table string) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n)
	return n, err
}

// ReloadTraining reads again, as this transaction sees them, the parts of
// prog that a Moodle file changes (completions, starts and the confirmed
// links, which name a completion's identifiers) and keeps the rest: the
// municipalities' inputs do not depend on Moodle.
func (t *Tx) ReloadTraining(ctx context.Context, prog *Programme) error {
	prog.Completions, prog.Starts, prog.Links = nil, nil, nil // collectable while read again
	return load(ctx, t.q, prog, loadCompletions, loadStarts, loadLinks)
}

func loadProgramme(ctx context.Context, q querier) (*Programme, error) {
	p := &Programme{Inputs: map[string]*conditions.Input{}}
	err := load(ctx, q, p, loadCoverage, loadFormalisations, loadNominations, loadProfessionals, loadSheetSince, loadCompletions,
		loadStarts, loadLinks, loadDataSent)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// load runs loaders into prog, which names the batches as q sees them.
func load(ctx context.Context, q querier, prog *Programme, loaders ...func(context.Context, querier, *loading) error) error {
	bs, err := batches(ctx, q)
	if err != nil {
		return err
	}
	p := &loading{Programme: prog, batches: make(map[int64]Batch, len(bs)), texts: map[string]string{},
		files: map[int64]*conditions.Imported{}}
	for _, b := range bs {
		p.batches[b.ID] = b
	}
	for _, load := range loaders {
		if err := load(ctx, q, p); err != nil {
			return fmt.Errorf("store: load programme: %w", err)
		}
	}
	return nil
}

func (p *loading) input(ibge string) *conditions.Input {
	in, ok := p.Inputs[ibge]
	if !ok {
		in = &conditions.Input{IBGE: ibge}
		p.Inputs[ibge] = in
	}
	return in
}

// inputOf is input for a code read as raw bytes (no copy once known).
func (p *loading) inputOf(ibge sql.RawBytes) *conditions.Input {
	if in, ok := p.Inputs[string(ibge)]; ok {
		return in
	}
	return p.input(string(ibge))
}

func (p *loading) source(batch int64, row int) conditions.Source {
	f, ok := p.files[batch]
	if !ok {
		b := p.batches[batch]
		f = &conditions.Imported{BatchID: batch, File: b.FileName, ImportedAt: b.ImportedAt}
		p.files[batch] = f
	}
	return f.At(row)
}

// each runs a query and calls fn for every row.
func each(ctx context.Context, q querier, query string, fn func(scan func(...any) error) error) error {
	return eachArgs(ctx, q, query, nil, fn)
}

// loadCoverage: the current list is the latest abrangencia batch; when a
// municipality appears twice in it, the first row gives the núcleo.
func loadCoverage(ctx context.Context, q querier, p *loading) error {
	return each(ctx, q, `SELECT batch_id, row_num, ibge, nucleo, stage, aae_seat, aae_setup FROM coverage
		WHERE batch_id = `+currentCoverage+` ORDER BY row_num`,
		func(scan func(...any) error) error {
			var c conditions.Coverage
			var batch int64
			var row int
			var ibge string
			if err := scan(&batch, &row, &ibge, &c.Nucleo, &c.Stage, &c.AAESeat, &c.AAESetup); err != nil {
				return err
			}
			c.Source = p.source(batch, row)
			in := p.input(ibge)
			switch {
			case in.Coverage == nil:
				in.Coverage = &c
			case in.Coverage.Nucleo != c.Nucleo:
				if p.NucleoConflicts == nil {
					p.NucleoConflicts = map[string][]string{}
				}
				if len(p.NucleoConflicts[ibge]) == 0 {
					p.NucleoConflicts[ibge] = []string{in.Coverage.Nucleo}
				}
				p.NucleoConflicts[ibge] = append(p.NucleoConflicts[ibge], c.Nucleo)
			}
			return nil
		})
}

func loadFormalisations(ctx context.Context, q querier, p *loading) error {
	return each(ctx, q, `SELECT batch_id, row_num, ibge, signed, signed_on, reference FROM formalisations ORDER BY batch_id, row_num`,
		func(scan func(...any) error) error {
			var f conditions.Formalisation
			var batch int64
			var row int
			var ibge, on string
			if err := scan(&batch, &row, &ibge, &f.Signed, &on, &f.Reference); err != nil {
				return err
			}
			f.SignedOn, f.Source = parseTime(on), p.source(batch, row)
			in := p.input(ibge)
			in.Formalisations = append(in.Formalisations, f)
			return nil
		})
}

func loadNominations(ctx context.Context, q querier, p *loading) error {
	return each(ctx, q, `SELECT batch_id, row_num, ibge, name, completed_at FROM nominations ORDER BY batch_id, row_num`,
		func(scan func(...any) error) error {
			var n conditions.Nomination
			var batch int64
			var row int
			var ibge, at string
			if err := scan(&batch, &row, &ibge, &n.Name, &at); err != nil {
				return err
			}
			n.CompletedAt, n.Source = parseTime(at), p.source(batch, row)
			in := p.input(ibge)
			in.Nominations = append(in.Nominations, n)
			return nil
		})
}

// currentCoverage is the batch of the current coverage list: the latest
// abrangência file (a new list replaces the previous one whole).
const currentCoverage = `(SELECT MAX(id) FROM import_batches WHERE kind = 'abrangencia')`

// currentSheets are the professionals of each municipality's current
// sheet: its latest batch.
const currentSheets = `FROM professionals p
		JOIN (SELECT ibge, MAX(batch_id) AS batch_id FROM professionals GROUP BY ibge) cur
		  ON cur.ibge = p.ibge AND cur.batch_id = p.batch_id`

// loadProfessionals: a municipality's current sheet is its latest batch.
// The professionals of all municipalities share one array, sized once
// (each municipality's list is a slice of it).
func loadProfessionals(ctx context.Context, q querier, p *loading) error {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) "+currentSheets).Scan(&n); err != nil {
		return err
	}
	all := make([]conditions.Professional, 0, n)
	var in *conditions.Input
	start := 0
	cut := func() {
		if in != nil {
			in.Professionals = all[start:len(all):len(all)]
		}
		start = len(all)
	}
	err := each(ctx, q, `SELECT p.batch_id, p.row_num, p.ibge, p.cpf, p.email, p.care_level `+currentSheets+`
		ORDER BY p.ibge, p.batch_id, p.sheet, p.row_num`,
		func(scan func(...any) error) error {
			var pr conditions.Professional
			var batch int64
			var row int
			var ibge, level sql.RawBytes
			if err := scan(&batch, &row, &ibge, &pr.CPF, &pr.Email, &level); err != nil {
				return err
			}
			pr.CareLevel, pr.Source = conditions.CareLevel(p.text(level)), p.source(batch, row)
			if in == nil || in.IBGE != string(ibge) {
				cut()
				in = p.inputOf(ibge)
			}
			all = append(all, pr)
			return nil
		})
	cut()
	return err
}

// loadSheetSince: the first batch that brought a municipality accepted
// professionals (a sheet without any replaces nothing, so from then on
// there have always been some).
func loadSheetSince(ctx context.Context, q querier, p *loading) error {
	return each(ctx, q, `SELECT ibge, MIN(batch_id) FROM professionals GROUP BY ibge`,
		func(scan func(...any) error) error {
			var ibge string
			var batch int64
			if err := scan(&ibge, &batch); err != nil {
				return err
			}
			p.input(ibge).SheetSince = p.source(batch, 0)
			return nil
		})
}

// loadStarts reads who started a Block-1 course without finishing it.
func loadStarts(ctx context.Context, q querier, p *loading) error {
	n, err := count(ctx, q, "course_starts")
	if err != nil {
		return err
	}
	p.Starts = make([]conditions.Completion, 0, n)
	return each(ctx, q, `SELECT batch_id, row_num, course, cpf, email FROM course_starts ORDER BY rowid`,
		func(scan func(...any) error) error {
			var c conditions.Completion
			var batch int64
			var row int
			var course sql.RawBytes
			if err := scan(&batch, &row, &course, &c.CPF, &c.Email); err != nil {
				return err
			}
			c.Course, c.Source = p.text(course), p.source(batch, row)
			p.Starts = append(p.Starts, c)
			return nil
		})
}

// loadLinks reads the confirmed links whose completion is known.
func loadLinks(ctx context.Context, q querier, p *loading) error {
	return each(ctx, q, `SELECT c.cpf, c.email, l.professional_cpf FROM completion_links l
		JOIN completions c ON c.course = l.course AND c.person_key = l.person_key
		WHERE l.undone_at = '' ORDER BY l.id`,
		func(scan func(...any) error) error {
			var l conditions.Link
			if err := scan(&l.CompletionCPF, &l.CompletionEmail, &l.ProfessionalCPF); err != nil {
				return err
			}
			p.Links = append(p.Links, l)
			return nil
		})
}

// loadCompletions reads the completions in the order they were stored (no
// sort: the engine keeps the earliest date per person and course itself).
func loadCompletions(ctx context.Context, q querier, p *loading) error {
	n, err := count(ctx, q, "completions")
	if err != nil {
		return err
	}
	p.Completions = make([]conditions.Completion, 0, n)
	return each(ctx, q, `SELECT batch_id, row_num, course, cpf, email, completed_at FROM completions ORDER BY rowid`,
		func(scan func(...any) error) error {
			var c conditions.Completion
			var batch int64
			var row int
			var course, at sql.RawBytes
			if err := scan(&batch, &row, &course, &c.CPF, &c.Email, &at); err != nil {
				return err
			}
			c.Course, c.CompletedAt, c.Source = p.text(course), parseTime(string(at)), p.source(batch, row)
			p.Completions = append(p.Completions, c)
			return nil
		})
}

// loadDataSent: the latest record per municipality wins.
func loadDataSent(ctx context.Context, q querier, p *loading) error {
	return each(ctx, q, `SELECT ibge, sent_on FROM data_sent ORDER BY batch_id, row_num`,
		func(scan func(...any) error) error {
			var ibge, on string
			if err := scan(&ibge, &on); err != nil {
				return err
			}
			p.input(ibge).DataSentOn = parseTime(on)
			return nil
		})
}

// Contact is a focal point's contacts (records owns the type).
type Contact = records.Contact

// NominationContact returns the contacts recorded with the nomination at
// (batch, row) of a municipality: the engine picks which nomination is the
// focal point, this only reads its personal data.
func (s *Store) NominationContact(ctx context.Context, ibge string, batch int64, row int) (Contact, error) {
	c := Contact{IBGE: ibge}
	var at string
	err := s.read.QueryRowContext(ctx, `SELECT name, email, phone, role, completed_at FROM nominations
		WHERE ibge = ? AND batch_id = ? AND row_num = ?`, ibge, batch, row).Scan(&c.Name, &c.Email, &c.Phone, &c.Role, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("store: nomination contact: %w", err)
	}
	c.CompletedAt = parseTime(at)
	return c, nil
}

// Professionals returns the accepted professionals of the current sheet of
// each municipality in ibges (the same "latest batch" rule the engine
// reads), ordered by municipality and name.
func (s *Store) Professionals(ctx context.Context, ibges []string) ([]records.Professional, error) {
	var out []records.Professional
	err := eachArgs(ctx, s.read, `SELECT p.ibge, p.name, p.cpf, p.cns, p.cbo, p.occupation, p.cnes, p.establishment, p.ine,
			p.care_level, p.email, p.phone, p.sheet, p.row_num `+currentSheets+`
		WHERE p.ibge IN (SELECT value FROM json_each(?))
		ORDER BY p.ibge, p.name COLLATE NOCASE, p.cpf`, []any{jsonList(ibges)},
		func(scan func(...any) error) error {
			var p records.Professional
			if err := scan(&p.IBGE, &p.Name, &p.CPF, &p.CNS, &p.CBO, &p.Occupation, &p.CNES, &p.Establishment, &p.INE,
				&p.CareLevel, &p.Email, &p.Phone, &p.Sheet, &p.Row); err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: professionals: %w", err)
	}
	return out, nil
}

// jsonList encodes codes for json_each (one bound parameter, any length).
func jsonList(codes []string) string {
	b, _ := json.Marshal(codes)
	return string(b)
}
