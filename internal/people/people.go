// Package people reads the personal data behind a municipality's
// conditions (its professionals and its focal point's contacts) for the
// users allowed to see them, masked as their role requires. Callers decide
// who may call; this package decides what each role sees.
package people

import (
	"context"
	"errors"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/records"
)

// Source is where personal data is read from (the store).
type Source interface {
	Professionals(ctx context.Context, ibges []string) ([]records.Professional, error)
	// NominationContact returns ErrNotFound (errors.Is) when there is none.
	NominationContact(ctx context.Context, ibge string, batch int64, row int) (records.Contact, error)
}

// ErrNotFound is what a Source answers for a record it does not have.
var ErrNotFound = records.ErrNotFound

// Professional is one accepted professional with their Block-1 state.
type Professional struct {
	Macro, URS, Municipio, IBGE string
	Name                        string
	CPF, CNS                    string // masked unless the role sees them
	CBO, Occupation             string
	CNES, Establishment, INE    string
	CareLevel                   conditions.CareLevel
	Email, Phone                string // masked unless the role sees them
	Trained                     bool
	TrainedAt                   time.Time
}

// Professionals lists the professionals of the current registration sheets
// of rows' municipalities, in the order of rows, then by name.
func Professionals(ctx context.Context, st Source, snap *monitor.Snapshot, rows []monitor.Row, rv records.Reveal) ([]Professional, error) {
	codes := make([]string, len(rows))
	byCode := make(map[string]monitor.Row, len(rows))
	for i, r := range rows {
		codes[i] = r.Municipality.IBGE
		byCode[r.Municipality.IBGE] = r
	}
	recs, err := st.Professionals(ctx, codes)
	if err != nil {
		return nil, err
	}
	out := make([]Professional, 0, len(recs))
	for _, p := range recs {
		r := byCode[p.IBGE]
		pr := Professional{Macro: r.MacroName, URS: r.URS, Municipio: r.Name, IBGE: p.IBGE, Name: p.Name,
			CPF: ident.MaskCPF(p.CPF), CNS: maskCNS(p.CNS), CBO: p.CBO, Occupation: p.Occupation, CNES: p.CNES,
			Establishment: p.Establishment, INE: p.INE, CareLevel: conditions.CareLevel(p.CareLevel),
			Email: ident.MaskEmail(p.Email), Phone: ident.MaskPhone(p.Phone)}
		if rv.CPF {
			pr.CPF, pr.CNS = ident.FormatCPF(p.CPF), p.CNS
		}
		if rv.Contacts {
			pr.Email, pr.Phone = p.Email, p.Phone
		}
		if person, ok := snap.Person(p.CPF, p.IBGE); ok {
			pr.Trained, pr.TrainedAt = person.Trained, person.TrainedAt
		}
		out = append(out, pr)
	}
	return out, nil
}

// maskCNS keeps the last four digits of a CNS.
func maskCNS(cns string) string {
	if len(cns) < 4 {
		return ""
	}
	return "*** **** **** " + cns[len(cns)-4:]
}

// FocalPoint returns the contacts of the municipality's focal point (the
// nomination the engine chose), or false when there is none.
func FocalPoint(ctx context.Context, st Source, r monitor.Row) (records.Contact, bool, error) {
	n := r.FocalPoint
	if n == nil {
		return records.Contact{}, false, nil
	}
	c, err := st.NominationContact(ctx, r.Municipality.IBGE, n.Source.BatchID(), n.Source.Row)
	if errors.Is(err, ErrNotFound) {
		return records.Contact{}, false, nil
	}
	return c, err == nil, err
}
