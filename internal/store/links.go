package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/reconcile"
)

// LinkRow is a confirmed link with who made it and why, and whether it
// was undone.
type LinkRow struct {
	ID                         int64
	Course, PersonKey          string
	CompletionName             string
	CompletionCPF              string
	CompletionEmail            string
	ProfessionalIBGE           string
	ProfessionalCPF            string
	ProfessionalName           string
	Reason, LinkedBy, UndoneBy string
	LinkedAt, UndoneAt         time.Time
}

// ReconciliationData is what the reconciliation desk works on: every
// completion, the professionals of the current sheets, and every link.
type ReconciliationData struct {
	Completions   []reconcile.Completion
	Professionals []reconcile.Professional
	Links         []LinkRow
}

// ActiveLinks are the links in force, as the engine takes them (a link
// whose completion is gone names no one and matches nothing, as when the
// programme is loaded).
func (d ReconciliationData) ActiveLinks() []conditions.Link {
	var out []conditions.Link
	for _, l := range d.Links {
		if l.UndoneAt.IsZero() {
			out = append(out, conditions.Link{CompletionCPF: l.CompletionCPF, CompletionEmail: l.CompletionEmail,
				ProfessionalCPF: l.ProfessionalCPF})
		}
	}
	return out
}

// Reconciliation reads the desk's data in one read transaction.
func (s *Store) Reconciliation(ctx context.Context) (ReconciliationData, error) {
	var d ReconciliationData
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return d, fmt.Errorf("store: reconciliation: %w", err)
	}
	defer tx.Rollback()
	err = each(ctx, tx, `SELECT course, person_key, name, cpf, email, ibge, completed_at FROM completions ORDER BY completed_at, rowid`,
		func(scan func(...any) error) error {
			var c reconcile.Completion
			var at string
			if err := scan(&c.Course, &c.PersonKey, &c.Name, &c.CPF, &c.Email, &c.IBGE, &at); err != nil {
				return err
			}
			c.CompletedAt = parseTime(at)
			d.Completions = append(d.Completions, c)
			return nil
		})
	if err == nil {
		err = each(ctx, tx, `SELECT p.ibge, p.name, p.cpf, p.email, p.care_level `+currentSheets+`
			ORDER BY p.ibge, p.name`,
			func(scan func(...any) error) error {
				var p reconcile.Professional
				if err := scan(&p.IBGE, &p.Name, &p.CPF, &p.Email, &p.CareLevel); err != nil {
					return err
				}
				d.Professionals = append(d.Professionals, p)
				return nil
			})
	}
	if err == nil {
		d.Links, err = links(ctx, tx, "")
	}
	if err != nil {
		return d, fmt.Errorf("store: reconciliation: %w", err)
	}
	return d, nil
}

func links(ctx context.Context, q querier, where string, args ...any) ([]LinkRow, error) {
	var out []LinkRow
	err := eachArgs(ctx, q, `SELECT l.id, l.course, l.person_key, COALESCE(c.name, ''), COALESCE(c.cpf, ''), COALESCE(c.email, ''),
			l.professional_ibge, l.professional_cpf,
			COALESCE((SELECT name FROM professionals p WHERE p.ibge = l.professional_ibge AND p.cpf = l.professional_cpf
				ORDER BY batch_id DESC LIMIT 1), ''),
			l.reason, l.linked_by, l.linked_at, l.undone_by, l.undone_at
		FROM completion_links l LEFT JOIN completions c ON c.course = l.course AND c.person_key = l.person_key `+where+`
		ORDER BY l.id DESC`, args,
		func(scan func(...any) error) error {
			var l LinkRow
			var at, undone string
			if err := scan(&l.ID, &l.Course, &l.PersonKey, &l.CompletionName, &l.CompletionCPF, &l.CompletionEmail,
				&l.ProfessionalIBGE, &l.ProfessionalCPF, &l.ProfessionalName, &l.Reason, &l.LinkedBy, &at, &l.UndoneBy, &undone); err != nil {
				return err
			}
			l.LinkedAt, l.UndoneAt = parseTime(at), parseTime(undone)
			out = append(out, l)
			return nil
		})
	return out, err
}

// ErrLinked: the same completion is already linked to that professional.
var ErrLinked = errors.New("store: link exists")

// AddLink records a confirmed link between a completion (course and
// person) and a professional (municipality and CPF).
func (s *Store) AddLink(ctx context.Context, l LinkRow) (int64, error) {
	res, err := s.write.ExecContext(ctx, `INSERT INTO completion_links
		(course, person_key, professional_ibge, professional_cpf, reason, linked_by, linked_at)
		SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM completions WHERE course = ? AND person_key = ?)`,
		l.Course, l.PersonKey, l.ProfessionalIBGE, l.ProfessionalCPF, l.Reason, l.LinkedBy, formatTime(time.Now()), l.Course, l.PersonKey)
	if err != nil {
		if isUniqueViolation(err) {
			return 0, ErrLinked
		}
		return 0, fmt.Errorf("store: add link: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, ErrNotFound
	}
	return res.LastInsertId()
}

// Link returns one link.
func (s *Store) Link(ctx context.Context, id int64) (LinkRow, error) {
	list, err := links(ctx, s.read, "WHERE l.id = ?", id)
	if err != nil {
		return LinkRow{}, fmt.Errorf("store: link: %w", err)
	}
	if len(list) == 0 {
		return LinkRow{}, ErrNotFound
	}
	return list[0], nil
}

// UndoLink marks a link undone (it stays on record).
func (s *Store) UndoLink(ctx context.Context, id int64, by string) error {
	res, err := s.write.ExecContext(ctx, `UPDATE completion_links SET undone_by = ?, undone_at = ? WHERE id = ? AND undone_at = ''`,
		by, formatTime(time.Now()), id)
	if err != nil {
		return fmt.Errorf("store: undo link: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// isUniqueViolation reports a UNIQUE constraint failure.
func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}
