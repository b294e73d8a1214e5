package monitor

import (
	"testing"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/territory"
)

func summaryRow(macro string, sit conditions.Situation, aae conditions.State) Row {
	r := Row{Municipality: territory.Municipality{IBGE: macro + string(sit) + string(aae), MacroCode: macro, MacroName: macro, URS: macro}}
	r.Situation = sit
	r.Conditions = []conditions.Result{{Condition: conditions.CapacitacaoAAE, State: aae}}
	return r
}

// The AAE training is counted where it applies (seats, including the
// suspended ones), not over all municipalities.
func TestSummaryAAEWhereItApplies(t *testing.T) {
	var rows []Row
	add := func(n int, s conditions.State) {
		for i := 0; i < n; i++ {
			r := summaryRow("M", conditions.PendenteSit, s)
			r.Municipality.IBGE += string(rune('a' + i))
			rows = append(rows, r)
		}
	}
	add(11, conditions.Cumprida)
	add(20, conditions.Pendente)
	add(13, conditions.Suspensa)
	add(421, conditions.NaoSeAplica)
	got := Summarise(rows).Estado.CapacitacaoAAE
	want := AAE{Cumprida: 11, Pendente: 20, Suspensa: 13, SeAplica: 44, NaoSeAplica: 421}
	if got != want {
		t.Errorf("AAE = %+v, want %+v", got, want)
	}
	if g := Summarise(rows).Macros[0].Counts.CapacitacaoAAE; g != want {
		t.Errorf("macro AAE = %+v", g)
	}
}

// The ranking is by share apto, not by count: a small macro with half its
// municipalities apto ranks above a big one with more aptos but a lower share.
func TestRankingByShareApto(t *testing.T) {
	var rows []Row
	for i := 0; i < 10; i++ {
		sit := conditions.PendenteSit
		if i < 3 {
			sit = conditions.Apto
		}
		rows = append(rows, summaryRow("BIG", sit, conditions.NaoSeAplica))
	}
	rows = append(rows, summaryRow("SMALL", conditions.Apto, conditions.NaoSeAplica), summaryRow("SMALL", conditions.PendenteSit, conditions.NaoSeAplica))
	rows = append(rows, summaryRow("NONE", conditions.PendenteSit, conditions.NaoSeAplica))
	sum := Summarise(rows)
	ranked := Ranking(sum.Macros)
	var names []string
	for _, g := range ranked {
		names = append(names, g.Name)
	}
	if len(names) != 3 || names[0] != "SMALL" || names[1] != "BIG" || names[2] != "NONE" {
		t.Errorf("ranking = %v", names)
	}
	if s := ranked[0].Counts.ShareApto(); s != 0.5 {
		t.Errorf("share of SMALL = %v", s)
	}
	if sum.Macros[0].Name != "BIG" {
		t.Error("Ranking reordered its argument")
	}
	if (&Counts{}).ShareApto() != 0 {
		t.Error("share of nothing is not 0")
	}
}
