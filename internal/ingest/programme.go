package ingest

import (
	"cmp"
	"slices"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/store"
)

// The programme of a set is loaded from the store once and then kept
// current in memory as each file applies, by the same update rules the
// store's loaders read (store.LoadProgramme): this file mirrors them for
// the kinds whose rules are simple; a Moodle file (completions accumulate
// by person and keep the earliest date, and confirmed links join them) has
// the programme read again from its transaction. TestProgrammeMirror checks
// that the mirror equals a fresh load after every file of the samples.

// mirrored reports whether advance keeps the programme current after a
// file of kind k without reading the store.
func mirrored(k records.Kind) bool {
	switch k {
	case records.Abrangencia, records.Formalizacao, records.PontoFocal, records.Cadastro, records.Envio, records.Teleconsultas:
		return true
	}
	return false
}

// advance applies a stored batch's records to the programme as the store's
// loaders would read them after the commit.
func advance(p *store.Programme, b store.Batch, res *records.Result) {
	b.ImportedAt = stored(b.ImportedAt)
	src := (&conditions.Imported{BatchID: b.ID, File: b.FileName, ImportedAt: b.ImportedAt}).At
	switch res.Kind {
	case records.Abrangencia:
		advanceCoverage(p, res.Coverage, src)
	case records.Formalizacao:
		for _, f := range byRow(res.Formalisations, func(f records.Formalisation) int { return f.Row }) {
			in := input(p, f.IBGE)
			in.Formalisations = append(in.Formalisations, conditions.Formalisation{Signed: f.Signed, SignedOn: stored(f.SignedOn),
				Reference: f.Reference, Source: src(f.Row)})
		}
	case records.PontoFocal:
		for _, n := range byRow(res.Nominations, func(n records.Nomination) int { return n.Row }) {
			in := input(p, n.IBGE)
			in.Nominations = append(in.Nominations, conditions.Nomination{Name: n.Name, CompletedAt: stored(n.CompletedAt), Source: src(n.Row)})
		}
	case records.Cadastro:
		advanceProfessionals(p, res.Professionals, src)
	case records.Envio:
		for _, d := range byRow(res.DataSent, func(d records.DataSent) int { return d.Row }) {
			input(p, d.IBGE).DataSentOn = stored(d.SentOn)
		}
	}
}

// advanceCoverage: the new list replaces the current one whole; a
// municipality listed twice keeps its first row's núcleo and the others
// are conflicts (rows repeating a municipality and núcleo are not stored).
func advanceCoverage(p *store.Programme, list []records.Coverage, src func(int) conditions.Source) {
	for _, in := range p.Inputs {
		in.Coverage = nil
	}
	p.NucleoConflicts = nil
	type pair struct{ ibge, nucleo string }
	seen := map[pair]bool{}
	for _, c := range byRow(list, func(c records.Coverage) int { return c.Row }) {
		if seen[pair{c.IBGE, c.Nucleo}] {
			continue
		}
		seen[pair{c.IBGE, c.Nucleo}] = true
		in := input(p, c.IBGE)
		switch {
		case in.Coverage == nil:
			in.Coverage = &conditions.Coverage{Nucleo: c.Nucleo, Stage: c.Stage, AAESeat: c.AAESeat, AAESetup: c.AAESetup, Source: src(c.Row)}
		case in.Coverage.Nucleo != c.Nucleo:
			if p.NucleoConflicts == nil {
				p.NucleoConflicts = map[string][]string{}
			}
			if len(p.NucleoConflicts[c.IBGE]) == 0 {
				p.NucleoConflicts[c.IBGE] = []string{in.Coverage.Nucleo}
			}
			p.NucleoConflicts[c.IBGE] = append(p.NucleoConflicts[c.IBGE], c.Nucleo)
		}
	}
}

// advanceProfessionals: the batch becomes the current sheet of every
// municipality it brings accepted professionals for (in sheet and row
// order), and the first one of those that had none.
func advanceProfessionals(p *store.Programme, list []records.Professional, src func(int) conditions.Source) {
	sorted := slices.Clone(list)
	slices.SortStableFunc(sorted, func(a, b records.Professional) int {
		return cmp.Or(cmp.Compare(a.IBGE, b.IBGE), cmp.Compare(a.Sheet, b.Sheet), cmp.Compare(a.Row, b.Row))
	})
	for i, pr := range sorted {
		in := input(p, pr.IBGE)
		if i == 0 || sorted[i-1].IBGE != pr.IBGE {
			in.Professionals = in.Professionals[:0:0]
			if in.SheetSince.BatchID() == 0 {
				in.SheetSince = src(0)
			}
		}
		in.Professionals = append(in.Professionals, conditions.Professional{CPF: pr.CPF, Email: pr.Email,
			CareLevel: conditions.CareLevel(pr.CareLevel), Source: src(pr.Row)})
	}
}

func input(p *store.Programme, ibge string) *conditions.Input {
	in, ok := p.Inputs[ibge]
	if !ok {
		in = &conditions.Input{IBGE: ibge}
		p.Inputs[ibge] = in
	}
	return in
}

// byRow returns the records in row order (the order the loaders read).
func byRow[T any](list []T, row func(T) int) []T {
	if slices.IsSortedFunc(list, func(a, b T) int { return cmp.Compare(row(a), row(b)) }) {
		return list
	}
	out := slices.Clone(list)
	slices.SortStableFunc(out, func(a, b T) int { return cmp.Compare(row(a), row(b)) })
	return out
}

// stored is a time as the store gives it back (its text layout, local).
func stored(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	back, err := time.ParseInLocation(store.TimeLayout, t.Format(store.TimeLayout), time.Local)
	if err != nil {
		return time.Time{}
	}
	return back
}

// touched lists the municipalities whose input a mirrored file changes;
// all is true when every municipality may change (a coverage list).
func touched(res *records.Result) (ibges []string, all bool) {
	switch res.Kind {
	case records.Abrangencia:
		return nil, true
	case records.Formalizacao:
		return codes(res.Formalisations, func(f records.Formalisation) string { return f.IBGE }), false
	case records.PontoFocal:
		return codes(res.Nominations, func(n records.Nomination) string { return n.IBGE }), false
	case records.Cadastro:
		return codes(res.Professionals, func(p records.Professional) string { return p.IBGE }), false
	case records.Envio:
		return codes(res.DataSent, func(d records.DataSent) string { return d.IBGE }), false
	case records.Teleconsultas:
		return nil, false
	}
	return nil, true
}

func codes[T any](list []T, ibge func(T) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range list {
		if c := ibge(r); !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}
