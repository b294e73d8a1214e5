package conditions

import (
	"testing"
	"time"
)

func d(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }

func imported(at time.Time) Source {
	return (&Imported{BatchID: 1, File: "f.xlsx", ImportedAt: at}).At(0)
}

// TestMetSince states the evidence-time rules of DOMAIN.md, one row each.
func TestMetSince(t *testing.T) {
	installed := d(2026, 11, 29) // the day the files were imported
	plain := &Coverage{Nucleo: "Feluma"}
	seat := &Coverage{Nucleo: "Feluma", AAESeat: true}
	aps := Professional{CPF: cpfA, CareLevel: APS, Source: imported(installed)}
	aps2 := Professional{CPF: cpfB, CareLevel: APS, Source: imported(installed)}
	aae := Professional{CPF: cpfC, CareLevel: AAE, Source: imported(installed)}
	nom := func(at time.Time) Nomination {
		return Nomination{Name: "X", CompletedAt: at, Source: imported(installed)}
	}
	form := func(signed bool, on, at time.Time) Formalisation {
		return Formalisation{Signed: signed, SignedOn: on, Source: imported(at)}
	}
	comp := func(cpf string, at time.Time) Completion { return completion(cpf, "", DefaultBlock1Course, at) }
	full := func(in Input) Input {
		if in.Coverage == nil {
			in.Coverage = plain
		}
		if in.Formalisations == nil {
			in.Formalisations = []Formalisation{form(true, d(2024, 5, 10), installed)}
		}
		if in.Nominations == nil {
			in.Nominations = []Nomination{nom(d(2024, 6, 4))}
		}
		if in.Professionals == nil {
			in.Professionals = []Professional{aps}
		}
		return in
	}
	tests := []struct {
		name        string
		in          Input
		completions []Completion
		cond        Condition
		want        time.Time // met since; zero: not met
		aptoSince   time.Time
	}{
		{"formalização: the signing date, not the import date", full(Input{}), []Completion{comp(cpfA, d(2024, 8, 4))},
			Formalizacao, d(2024, 5, 10), installed},
		{"formalização without a date: the day the record was imported",
			full(Input{Formalisations: []Formalisation{form(true, time.Time{}, d(2024, 9, 2))}}), nil, Formalizacao, d(2024, 9, 2), time.Time{}},
		{"formalização signed in two files: the first signing stays",
			full(Input{Formalisations: []Formalisation{form(true, d(2024, 5, 10), d(2024, 7, 15)), form(true, d(2024, 5, 10), d(2024, 9, 2))}}),
			nil, Formalizacao, d(2024, 5, 10), time.Time{}},
		{"formalização unsigned, then signed: since the signing",
			full(Input{Formalisations: []Formalisation{form(false, time.Time{}, d(2024, 7, 15)), form(true, d(2024, 8, 20), d(2024, 9, 2))}}),
			nil, Formalizacao, d(2024, 8, 20), time.Time{}},
		{"formalização signed, then unsigned: not met",
			full(Input{Formalisations: []Formalisation{form(true, d(2024, 5, 10), d(2024, 7, 15)), form(false, time.Time{}, d(2024, 9, 2))}}),
			nil, Formalizacao, time.Time{}, time.Time{}},
		{"ponto focal: the earliest valid nomination, though the latest names the focal point",
			full(Input{Nominations: []Nomination{nom(d(2024, 9, 1)), nom(d(2024, 6, 4)), nom(d(2024, 10, 1))}}), nil,
			PontoFocal, d(2024, 6, 4), time.Time{}},
		{"planilha: the import of the first sheet since which there were always professionals",
			full(Input{SheetSince: imported(d(2024, 9, 3))}), nil, Planilha, d(2024, 9, 3), time.Time{}},
		{"planilha without a known first sheet: the current sheet's import", full(Input{}), nil, Planilha, installed, time.Time{}},
		{"capacitação APS: the earliest completion among matching professionals",
			full(Input{Professionals: []Professional{aps, aps2}}), []Completion{comp(cpfA, d(2024, 9, 9)), comp(cpfB, d(2024, 8, 4))},
			CapacitacaoAPS, d(2024, 8, 4), installed},
		{"capacitação AAE at a seat", full(Input{Coverage: seat, Professionals: []Professional{aps, aae}}),
			[]Completion{comp(cpfA, d(2024, 8, 4)), comp(cpfC, d(2024, 10, 1))}, CapacitacaoAAE, d(2024, 10, 1), installed},
		{"AAE not applicable adds no date", full(Input{SheetSince: imported(d(2024, 7, 1))}), []Completion{comp(cpfA, d(2024, 8, 4))},
			CapacitacaoAAE, time.Time{}, d(2024, 8, 4)},
		{"apto since: the latest of the met-since dates", full(Input{SheetSince: imported(d(2024, 7, 1))}),
			[]Completion{comp(cpfA, d(2024, 8, 4))}, CapacitacaoAPS, d(2024, 8, 4), d(2024, 8, 4)},
		{"pending: no apto date", full(Input{SheetSince: imported(d(2024, 7, 1))}), nil, CapacitacaoAPS, time.Time{}, time.Time{}},
	}
	for _, tc := range tests {
		ev := Evaluate(tc.in, NewCompletions(tc.completions, DefaultConfig()))
		var got Result
		for _, r := range ev.Conditions {
			if r.Condition == tc.cond {
				got = r
			}
		}
		if !got.MetSince.Equal(tc.want) {
			t.Errorf("%s: %s met since %v, want %v", tc.name, tc.cond, got.MetSince, tc.want)
		}
		if (got.State == Cumprida) != !tc.want.IsZero() {
			t.Errorf("%s: state %s with met-since %v", tc.name, got.State, got.MetSince)
		}
		if !ev.AptoSince.Equal(tc.aptoSince) {
			t.Errorf("%s: apto since %v, want %v", tc.name, ev.AptoSince, tc.aptoSince)
		}
	}
}

// TestStatusAtPastDates: the status on a past date comes from the same
// rules, by evidence time.
func TestStatusAtPastDates(t *testing.T) {
	in := Input{
		Coverage:       &Coverage{Nucleo: "HC-UFMG"},
		Formalisations: []Formalisation{{Signed: true, SignedOn: d(2024, 5, 10), Source: imported(d(2024, 9, 2))}},
		Nominations:    []Nomination{{Name: "Ana", CompletedAt: d(2024, 6, 4)}},
		Professionals:  []Professional{{CPF: cpfA, CareLevel: APS, Source: imported(d(2024, 9, 3))}},
		SheetSince:     imported(d(2024, 7, 1)),
	}
	ev := Evaluate(in, NewCompletions([]Completion{completion(cpfA, "", DefaultBlock1Course, d(2024, 8, 4))}, DefaultConfig()))
	cases := []struct {
		at   time.Time
		sit  Situation
		cond map[Condition]State
	}{
		{d(2024, 5, 9), PendenteSit, map[Condition]State{Formalizacao: Pendente, PontoFocal: Pendente, Planilha: Pendente, CapacitacaoAPS: Pendente, CapacitacaoAAE: NaoSeAplica}},
		{d(2024, 5, 10), PendenteSit, map[Condition]State{Formalizacao: Cumprida, PontoFocal: Pendente}},
		{d(2024, 7, 1), PendenteSit, map[Condition]State{PontoFocal: Cumprida, Planilha: Cumprida, CapacitacaoAPS: Pendente}},
		{d(2024, 8, 4), Apto, map[Condition]State{CapacitacaoAPS: Cumprida}},
		{d(2026, 1, 1), Apto, nil},
	}
	for _, c := range cases {
		st := ev.At(c.at)
		if st.Situation != c.sit {
			t.Errorf("%s: %s, want %s", c.at.Format("02/01/2006"), st.Situation, c.sit)
		}
		for k, want := range c.cond {
			if st.States[k] != want {
				t.Errorf("%s: %s %s, want %s", c.at.Format("02/01/2006"), k, st.States[k], want)
			}
		}
	}
	if got := ev.AptoIntervals(); len(got) != 1 || !got[0].From.Equal(d(2024, 8, 4)) || !got[0].To.IsZero() {
		t.Errorf("apto intervals %v", got)
	}
	// Signed, then a newer file says unsigned: apto, then not.
	in.Formalisations = append(in.Formalisations, Formalisation{Signed: false, Source: imported(d(2024, 10, 1))})
	ev = Evaluate(in, NewCompletions([]Completion{completion(cpfA, "", DefaultBlock1Course, d(2024, 8, 4))}, DefaultConfig()))
	if got := ev.AptoIntervals(); len(got) != 1 || !got[0].From.Equal(d(2024, 8, 4)) || !got[0].To.Equal(d(2024, 10, 1)) {
		t.Errorf("apto then lost: %v", got)
	}
	if ev.Situation != PendenteSit || !ev.AptoSince.IsZero() {
		t.Errorf("now: %s since %v", ev.Situation, ev.AptoSince)
	}
	if st := (Evaluation{}).At(d(2024, 1, 1)); st.Situation != NaoContemplado {
		t.Errorf("outside the stage: %s", st.Situation)
	}
}

// TestConfirmedLinksCountAsMatches states DOMAIN.md's reconciliation rule:
// a completion also matches a professional when an authorised user has
// confirmed that link; without the link, a near miss matches nobody.
func TestConfirmedLinksCountAsMatches(t *testing.T) {
	cov := &Coverage{Nucleo: "Feluma"}
	pro := Professional{CPF: cpfA, Email: "maria@gmail.com", CareLevel: APS}
	typo := completion("", "maria@gmail.con", DefaultBlock1Course, d(2024, 8, 4)) // e-mail typo, no CPF
	swapped := completion(cpfB, "", DefaultBlock1Course, d(2024, 9, 1))           // another valid CPF
	tests := []struct {
		name    string
		list    []Completion
		links   []Link
		trained bool
		since   time.Time
	}{
		{"near miss without a link: nobody", []Completion{typo}, nil, false, time.Time{}},
		{"linked by e-mail", []Completion{typo}, []Link{{CompletionEmail: "maria@gmail.con", ProfessionalCPF: cpfA}}, true, d(2024, 8, 4)},
		{"linked by the completion's CPF", []Completion{swapped}, []Link{{CompletionCPF: cpfB, ProfessionalCPF: cpfA}}, true, d(2024, 9, 1)},
		{"link to another professional does not count here", []Completion{typo}, []Link{{CompletionEmail: "maria@gmail.con", ProfessionalCPF: cpfC}}, false, time.Time{}},
		{"link to a completion that is not there (other course, undone) counts nothing", nil, []Link{{CompletionEmail: "maria@gmail.con", ProfessionalCPF: cpfA}}, false, time.Time{}},
		{"own completion and a linked one: the earliest", []Completion{completion(cpfA, "", DefaultBlock1Course, d(2024, 10, 1)), typo},
			[]Link{{CompletionEmail: "maria@gmail.con", ProfessionalCPF: cpfA}}, true, d(2024, 8, 4)},
	}
	for _, tc := range tests {
		ix := NewCompletions(tc.list, DefaultConfig(), tc.links...)
		ev := Evaluate(Input{Coverage: cov, Professionals: []Professional{pro}}, ix)
		aps := ev.Conditions[2]
		if (aps.State == Cumprida) != tc.trained || !aps.MetSince.Equal(tc.since) {
			t.Errorf("%s: %s since %v", tc.name, aps.State, aps.MetSince)
		}
		reg := NewRegistry([]Professional{pro}).WithLinks(tc.links)
		for _, c := range tc.list {
			if c.Email == "maria@gmail.con" && reg.Has(c) != tc.trained {
				t.Errorf("%s: registry has the completion = %v", tc.name, reg.Has(c))
			}
		}
	}
	// A person who started Block 1 and did not finish is counted as such.
	start := completion("", "maria@gmail.com", DefaultBlock1Course, time.Time{})
	ix := NewCompletions(nil, DefaultConfig()).WithStarts([]Completion{start}, DefaultConfig())
	ev := Evaluate(Input{Coverage: cov, Professionals: []Professional{pro}}, ix)
	if ev.Counts.StartedAPS != 1 || ev.Conditions[2].State != Pendente {
		t.Errorf("started: %+v", ev.Counts)
	}
}
