package monitor

import (
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/territory"
)

func loadTerritory(t *testing.T) *territory.Territory {
	t.Helper()
	tr, _, err := territory.LoadFS(data.Territory)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestFilterValidate(t *testing.T) {
	tr := loadTerritory(t)
	itabira, _ := tr.ByCode("3131703")
	tests := []struct {
		name string
		f    Filter
		err  string // part of the message; "" for a valid filter
	}{
		{"empty", Filter{}, ""},
		{"7-digit code", Filter{IBGE: "3131703"}, ""},
		{"6-digit code", Filter{IBGE: "313170"}, ""},
		{"unknown code", Filter{IBGE: "3199999"}, "código IBGE desconhecido"},
		{"macro by name", Filter{Macro: itabira.MacroName}, ""},
		{"macro by code", Filter{Macro: itabira.MacroCode}, ""},
		{"unknown macro", Filter{Macro: "NOWHERE"}, "macrorregião desconhecida"},
		{"micro by name", Filter{Micro: itabira.MicroName}, ""},
		{"unknown micro", Filter{Micro: "NOWHERE"}, "microrregião desconhecida"},
		{"urs", Filter{URS: "Itabira"}, ""},
		{"unknown urs", Filter{URS: "Gotham"}, "URS desconhecida"},
		{"núcleo", Filter{Nucleo: "Feluma"}, ""},
		{"unknown núcleo", Filter{Nucleo: "UFRJ"}, "núcleo desconhecido"},
		{"situations", Filter{Situacao: "nao_contemplado"}, ""},
		{"unknown situation", Filter{Situacao: "quase"}, "situação desconhecida"},
		{"missing 1", Filter{Missing: 1}, ""},
		{"missing all", Filter{Missing: len(conditions.All)}, ""},
		{"missing too many", Filter{Missing: len(conditions.All) + 1}, "condições pendentes inválido"},
		{"missing negative", Filter{Missing: -1}, "condições pendentes inválido"},
		{"condition", Filter{Condition: string(conditions.Planilha)}, ""},
		{"condition and state", Filter{Condition: string(conditions.CapacitacaoAAE), ConditionState: string(conditions.Suspensa)}, ""},
		{"unknown condition", Filter{Condition: "vacina"}, "condição desconhecida"},
		{"unknown state", Filter{Condition: string(conditions.Planilha), ConditionState: "talvez"}, "estado de condição desconhecido"},
	}
	for _, tt := range tests {
		err := tt.f.Validate(tr)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: error %v, want one with %q", tt.name, err, tt.err)
		}
	}
}

func TestFilterMatch(t *testing.T) {
	row := func(ibge, macro, urs, nucleo string, sit conditions.Situation, states ...conditions.State) Row {
		r := Row{Municipality: territory.Municipality{IBGE: ibge, IBGE6: ibge[:6], MacroCode: "M" + macro, MacroName: macro,
			MicroCode: "m" + macro, MicroName: "micro " + macro, URS: urs}}
		r.Situation = sit
		if nucleo != "" {
			r.Coverage = &conditions.Coverage{Nucleo: nucleo}
		}
		for i, s := range states {
			r.Conditions = append(r.Conditions, conditions.Result{Condition: conditions.All[i], State: s})
		}
		return r
	}
	c, p, s, n := conditions.Cumprida, conditions.Pendente, conditions.Suspensa, conditions.NaoSeAplica
	apto := row("3100105", "CENTRO", "Itabira", "Feluma", conditions.Apto, c, c, c, n, c)
	one := row("3100205", "CENTRO", "Itabira", "FM-UFMG", conditions.PendenteSit, c, c, p, s, c)
	two := row("3100305", "NORTE", "Montes Claros", "HC-UFMG", conditions.PendenteSit, p, c, p, n, c)
	out := row("3100405", "NORTE", "Montes Claros", "", conditions.NaoContemplado)
	rows := []Row{apto, one, two, out}
	tests := []struct {
		name string
		f    Filter
		want string // the matching rows' codes, in order
	}{
		{"empty: the stage only", Filter{}, "3100105 3100205 3100305"},
		{"all", Filter{All: true}, "3100105 3100205 3100305 3100405"},
		{"one code, even outside the stage", Filter{IBGE: "3100405"}, "3100405"},
		{"6-digit code", Filter{IBGE: "310020"}, "3100205"},
		{"6-digit code outside the stage", Filter{IBGE: "310040"}, "3100405"},
		{"unknown code", Filter{IBGE: "3199999"}, ""},
		{"macro by name", Filter{Macro: "NORTE"}, "3100305"},
		{"macro by code", Filter{Macro: "MCENTRO"}, "3100105 3100205"},
		{"micro by name", Filter{Micro: "micro NORTE", All: true}, "3100305 3100405"},
		{"urs", Filter{URS: "Itabira"}, "3100105 3100205"},
		{"núcleo", Filter{Nucleo: "HC-UFMG"}, "3100305"},
		{"apto", Filter{Situacao: "apto"}, "3100105"},
		{"não contemplado without All", Filter{Situacao: "nao_contemplado"}, "3100405"},
		{"missing 1", Filter{Missing: 1}, "3100205"},
		{"missing 2", Filter{Missing: 2}, "3100305"},
		{"condition pendente by default", Filter{Condition: string(conditions.CapacitacaoAPS)}, "3100205 3100305"},
		{"condition and state", Filter{Condition: string(conditions.CapacitacaoAAE), ConditionState: string(s)}, "3100205"},
		{"condition não se aplica", Filter{Condition: string(conditions.CapacitacaoAAE), ConditionState: string(n)}, "3100105 3100305"},
		{"combined", Filter{URS: "Itabira", Situacao: "pendente"}, "3100205"},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range rows {
			if tt.f.Match(r) {
				got = append(got, r.Municipality.IBGE)
			}
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, g, tt.want)
		}
	}
}
