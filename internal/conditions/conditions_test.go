package conditions

import (
	"testing"
	"time"
)

var (
	day1 = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	day2 = time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
)

const (
	cpfA = "52998224725"
	cpfB = "11144477735"
	cpfC = "01234567890"
)

func signed() []Formalisation { return []Formalisation{{Signed: true, SignedOn: day1}} }
func nominated() []Nomination { return []Nomination{{Name: "Maria", CompletedAt: day1}} }

func completion(cpf, email, course string, at time.Time) Completion {
	return Completion{CPF: cpf, Email: email, Course: course, CompletedAt: at}
}

func TestEvaluate(t *testing.T) {
	plain := &Coverage{Nucleo: "Feluma"}
	seat := &Coverage{Nucleo: "Feluma", AAESeat: true}
	setup := &Coverage{Nucleo: "Feluma", AAESeat: true, AAESetup: true}
	apsA := Professional{CPF: cpfA, Email: "a@x.org", CareLevel: APS}
	aaeB := Professional{CPF: cpfB, Email: "b@x.org", CareLevel: AAE}
	unkC := Professional{CPF: cpfC, Email: "c@x.org", CareLevel: Unknown}
	block1A := completion(cpfA, "", DefaultBlock1Course, day1)
	block1B := completion(cpfB, "", DefaultBlock1Course, day1)

	tests := []struct {
		name        string
		in          Input
		completions []Completion
		want        map[Condition]State
		situation   Situation
	}{
		{
			name:      "not in the stage",
			in:        Input{Formalisations: signed()},
			situation: NaoContemplado,
		},
		{
			name:      "nothing yet",
			in:        Input{Coverage: plain},
			want:      map[Condition]State{Formalizacao: Pendente, PontoFocal: Pendente, CapacitacaoAPS: Pendente, CapacitacaoAAE: NaoSeAplica, Planilha: Pendente},
			situation: PendenteSit,
		},
		{
			name:        "not an AAE seat, APS trained by CPF: apto",
			in:          Input{Coverage: plain, Formalisations: signed(), Nominations: nominated(), Professionals: []Professional{apsA}},
			completions: []Completion{block1A},
			want:        map[Condition]State{Formalizacao: Cumprida, PontoFocal: Cumprida, CapacitacaoAPS: Cumprida, CapacitacaoAAE: NaoSeAplica, Planilha: Cumprida},
			situation:   Apto,
		},
		{
			name:        "AAE seat without AAE training: pendente",
			in:          Input{Coverage: seat, Formalisations: signed(), Nominations: nominated(), Professionals: []Professional{apsA, aaeB}},
			completions: []Completion{block1A},
			want:        map[Condition]State{CapacitacaoAPS: Cumprida, CapacitacaoAAE: Pendente},
			situation:   PendenteSit,
		},
		{
			name:        "AAE seat with AAE training: apto",
			in:          Input{Coverage: seat, Formalisations: signed(), Nominations: nominated(), Professionals: []Professional{apsA, aaeB}},
			completions: []Completion{block1A, block1B},
			want:        map[Condition]State{CapacitacaoAPS: Cumprida, CapacitacaoAAE: Cumprida},
			situation:   Apto,
		},
		{
			name:        "AAE seat being set up: suspended, apto",
			in:          Input{Coverage: setup, Formalisations: signed(), Nominations: nominated(), Professionals: []Professional{apsA}},
			completions: []Completion{block1A},
			want:        map[Condition]State{CapacitacaoAAE: Suspensa},
			situation:   Apto,
		},
		{
			name:        "e-mail-only completion matches case-insensitively",
			in:          Input{Coverage: plain, Professionals: []Professional{apsA}},
			completions: []Completion{completion("", "A@X.ORG", DefaultBlock1Course, day1)},
			want:        map[Condition]State{CapacitacaoAPS: Cumprida},
			situation:   PendenteSit,
		},
		{
			name:        "different valid CPFs do not match even with the same e-mail",
			in:          Input{Coverage: plain, Professionals: []Professional{apsA}},
			completions: []Completion{completion(cpfB, "a@x.org", DefaultBlock1Course, day1)},
			want:        map[Condition]State{CapacitacaoAPS: Pendente},
		},
		{
			name:        "no match at all",
			in:          Input{Coverage: plain, Professionals: []Professional{apsA}},
			completions: []Completion{completion("", "other@x.org", DefaultBlock1Course, day1)},
			want:        map[Condition]State{CapacitacaoAPS: Pendente, Planilha: Cumprida},
		},
		{
			name:        "completion without date does not count",
			in:          Input{Coverage: plain, Professionals: []Professional{apsA}},
			completions: []Completion{completion(cpfA, "", DefaultBlock1Course, time.Time{})},
			want:        map[Condition]State{CapacitacaoAPS: Pendente},
		},
		{
			name:        "completion of a course outside Block 1 does not count",
			in:          Input{Coverage: plain, Professionals: []Professional{apsA}},
			completions: []Completion{completion(cpfA, "", "telessaude_mg_bloco2", day1)},
			want:        map[Condition]State{CapacitacaoAPS: Pendente},
		},
		{
			name:        "unknown care level counts for planilha only",
			in:          Input{Coverage: seat, Professionals: []Professional{unkC}},
			completions: []Completion{completion(cpfC, "", DefaultBlock1Course, day1)},
			want:        map[Condition]State{Planilha: Cumprida, CapacitacaoAPS: Pendente, CapacitacaoAAE: Pendente},
		},
		{
			name: "rejected rows never reach the engine: no professionals means planilha pendente",
			in:   Input{Coverage: plain, Professionals: nil},
			want: map[Condition]State{Planilha: Pendente},
		},
		{
			name: "latest formalisation record wins (signed then revoked)",
			in:   Input{Coverage: plain, Formalisations: []Formalisation{{Signed: true}, {Signed: false}}},
			want: map[Condition]State{Formalizacao: Pendente},
		},
		{
			name: "latest formalisation record wins (pending then signed)",
			in:   Input{Coverage: plain, Formalisations: []Formalisation{{Signed: false}, {Signed: true}}},
			want: map[Condition]State{Formalizacao: Cumprida},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := Evaluate(tt.in, NewCompletions(tt.completions, DefaultConfig()))
			for c, want := range tt.want {
				if got := ev.State(c); got != want {
					t.Errorf("%s = %q, want %q", c, got, want)
				}
			}
			if tt.situation != "" && ev.Situation != tt.situation {
				t.Errorf("situacao = %q, want %q", ev.Situation, tt.situation)
			}
			for _, r := range ev.Conditions {
				if (r.State == Pendente) != (r.Missing != "") {
					t.Errorf("%s: state %s with missing text %q", r.Condition, r.State, r.Missing)
				}
			}
		})
	}
}

func TestLatestNominationIsFocalPoint(t *testing.T) {
	in := Input{Coverage: &Coverage{}, Nominations: []Nomination{
		{Name: "Later", CompletedAt: day2}, {Name: "Earlier", CompletedAt: day1},
	}}
	ev := Evaluate(in, NewCompletions(nil, DefaultConfig()))
	if ev.FocalPoint == nil || ev.FocalPoint.Name != "Later" {
		t.Fatalf("focal point = %+v", ev.FocalPoint)
	}
}

func TestEarliestCompletionIsEvidence(t *testing.T) {
	p := Professional{CPF: cpfA, CareLevel: APS}
	ix := NewCompletions([]Completion{
		completion(cpfA, "", DefaultBlock1Course, day2),
		completion(cpfA, "", DefaultBlock1Course, day1),
	}, DefaultConfig())
	c, ok := ix.Match(p)
	if !ok || !c.CompletedAt.Equal(day1) {
		t.Fatalf("match = %v %v", c.CompletedAt, ok)
	}
	ev := Evaluate(Input{Coverage: &Coverage{}, Professionals: []Professional{p}}, ix)
	if got := ev.Conditions[2].Evidence[0].Date; !got.Equal(day1) {
		t.Errorf("evidence date %v", got)
	}
	if ev.Counts.TrainedAPS != 1 || ev.Counts.APS != 1 {
		t.Errorf("counts %+v", ev.Counts)
	}
}

func TestRegistry(t *testing.T) {
	r := NewRegistry([]Professional{{CPF: cpfA, Email: "a@x.org"}})
	tests := []struct {
		c    Completion
		want bool
	}{
		{completion(cpfA, "", "", day1), true},
		{completion("", "A@x.org", "", day1), true},
		{completion(cpfB, "a@x.org", "", day1), false},
		{completion("", "", "", day1), false},
	}
	for _, tt := range tests {
		if got := r.Has(tt.c); got != tt.want {
			t.Errorf("Has(%+v) = %v", tt.c, got)
		}
	}
}

func TestConfigIsBlock1(t *testing.T) {
	cfg := Config{Block1Courses: []string{"telessaude_mg_bloco1", "Telessaúde MG - Bloco 1"}}
	if !cfg.IsBlock1("TELESSAUDE_MG_BLOCO1") || !cfg.IsBlock1(" Telessaúde MG - Bloco 1 ") || cfg.IsBlock1("telessaude_mg_bloco2") {
		t.Error("IsBlock1 wrong")
	}
}
