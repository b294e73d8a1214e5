package monitor

import (
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/territory"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// row evaluates a municipality whose conditions were met on the given
// days (zero: never): formalização, ponto focal, planilha, capacitação APS.
func row(ibge string, form, nom, sheet, trained time.Time) Row {
	in := conditions.Input{IBGE: ibge, Coverage: &conditions.Coverage{Nucleo: "Feluma"}}
	src := func(at time.Time) conditions.Source {
		return (&conditions.Imported{BatchID: 7, File: "x.xlsx", ImportedAt: at}).At(0)
	}
	if !form.IsZero() {
		in.Formalisations = []conditions.Formalisation{{Signed: true, SignedOn: form, Source: src(day(2024, 9, 2))}}
	}
	if !nom.IsZero() {
		in.Nominations = []conditions.Nomination{{Name: "A", CompletedAt: nom}}
	}
	var completions []conditions.Completion
	if !sheet.IsZero() {
		in.Professionals = []conditions.Professional{{CPF: "52998224725", CareLevel: conditions.APS, Source: src(sheet)}}
		in.SheetSince = src(sheet)
	}
	if !trained.IsZero() {
		completions = []conditions.Completion{{CPF: "52998224725", Course: conditions.DefaultBlock1Course, CompletedAt: trained}}
	}
	ev := conditions.Evaluate(in, conditions.NewCompletions(completions, conditions.DefaultConfig()))
	return Row{Municipality: territory.Municipality{IBGE: ibge}, Evaluation: ev}
}

func TestCompareTwoDates(t *testing.T) {
	var zero time.Time
	rows := []Row{
		row("1", day(2024, 5, 1), day(2024, 6, 1), day(2024, 7, 1), day(2024, 10, 5)), // apto on 05/10
		row("2", day(2024, 5, 1), day(2024, 6, 1), day(2024, 7, 1), day(2024, 8, 1)),  // apto before, unchanged
		row("3", day(2024, 5, 1), day(2024, 10, 20), zero, zero),                      // a condition met in between
		row("4", day(2024, 5, 1), zero, zero, zero),                                   // nothing in between
		{Municipality: territory.Municipality{IBGE: "5"}},                             // outside the stage
	}
	got := Compare(rows, day(2024, 10, 1), day(2024, 10, 31))
	if len(got) != 2 || got[0].Municipality.IBGE != "1" || got[0].Group != BecameApto || got[1].Municipality.IBGE != "3" || got[1].Group != ConditionMet {
		t.Fatalf("differences: %+v", got)
	}
	if len(got[0].Met) != 1 || got[0].Met[0] != conditions.CapacitacaoAPS {
		t.Errorf("municipality 1 met %v", got[0].Met)
	}
	// The evidence of the day itself counts: on 05/10 municipality 1 is
	// already apto.
	if got := Compare(rows, day(2024, 10, 4), day(2024, 10, 5)); len(got) != 1 || got[0].Municipality.IBGE != "1" {
		t.Errorf("one day: %+v", got)
	}
	// Backwards: the same municipalities, the other way round.
	back := Compare(rows, day(2024, 10, 31), day(2024, 10, 1))
	if len(back) != 2 || back[0].Group != LeftApto || back[1].Group != ConditionLost {
		t.Errorf("backwards: %+v", back)
	}
}

func TestAptosOverTimeAndTimeline(t *testing.T) {
	var zero time.Time
	rows := []Row{
		row("1", day(2024, 5, 1), day(2024, 6, 1), day(2024, 7, 1), day(2024, 10, 5)),
		row("2", day(2024, 5, 1), day(2024, 6, 1), day(2024, 7, 1), day(2024, 8, 1)),
		row("3", day(2024, 5, 1), zero, zero, zero),
	}
	pts := AptosOverTime(rows, day(2024, 12, 31))
	want := []Point{{day(2024, 8, 1), 1}, {day(2024, 10, 5), 2}, {day(2024, 12, 31), 2}}
	if len(pts) != len(want) {
		t.Fatalf("points %v", pts)
	}
	for i := range want {
		if !pts[i].Date.Equal(want[i].Date) || pts[i].Aptos != want[i].Aptos {
			t.Errorf("point %d: %v, want %v", i, pts[i], want[i])
		}
	}
	tl := Timeline(rows[0].Evaluation)
	last := tl[len(tl)-1]
	if last.What != Situacao || last.To != string(conditions.Apto) || !last.At.Equal(day(2024, 10, 5)) {
		t.Errorf("last change %+v", last)
	}
	for _, ch := range tl {
		if ch.What == string(conditions.Planilha) && (ch.Source.File() != "x.xlsx" || !ch.Source.ImportedAt().Equal(day(2024, 7, 1))) {
			t.Errorf("planilha's change without its file: %+v", ch)
		}
	}
}
