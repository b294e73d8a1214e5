package export

import (
	"context"

	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/people"
	"github.com/ses-mg/telemonitor/internal/records"
)

// FocalContact is a municipality's focal point as a workbook shows it
// (values already masked for the reader's role).
type FocalContact struct {
	Name, Email, Phone string
}

// The Pendências sheet's focal-point columns (workbooks with personal
// data), so an URS can mail-merge its follow-up e-mails.
var (
	focalHeader = []string{"Ponto focal", "E-mail do ponto focal", "Telefone do ponto focal"}
	focalWidths = []float64{30, 32, 18}
)

func (c FocalContact) cells(st styles) []any {
	return []any{text(st, c.Name), text(st, c.Email), text(st, c.Phone)}
}

// FocalContacts returns the focal point of each row that has one, for
// Scope.Focal: e-mail and phone in full when the role's Reveal allows
// contacts (auth.Principal.Reveal gives a role's), masked otherwise.
func FocalContacts(ctx context.Context, st people.Source, rows []monitor.Row, rv records.Reveal) (map[string]FocalContact, error) {
	out := make(map[string]FocalContact, len(rows))
	for _, r := range rows {
		c, ok, err := people.FocalPoint(ctx, st, r)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		fc := FocalContact{Name: c.Name, Email: c.Email, Phone: c.Phone}
		if !rv.Contacts {
			fc.Email, fc.Phone = ident.MaskEmail(c.Email), ident.MaskPhone(c.Phone)
		}
		out[r.Municipality.IBGE] = fc
	}
	return out, nil
}
