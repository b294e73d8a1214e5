package monitor

import (
	"sort"

	"github.com/ses-mg/telemonitor/internal/conditions"
)

// Counts sums rows by situação and, per condition, by state.
type Counts struct {
	Municipios  int                                               `json:"municipios"`
	PorSituacao map[conditions.Situation]int                      `json:"por_situacao"`
	PorCondicao map[conditions.Condition]map[conditions.State]int `json:"por_condicao"`
	// CapacitacaoAAE is the AAE training framed the one way every view
	// shows it: met out of the municipalities where it applies.
	CapacitacaoAAE AAE `json:"capacitacao_aae"`
}

// AAE counts the AAE training where it applies: the municipalities that
// host an AAE point (SeAplica = Cumprida + Pendente + Suspensa); the
// others (NaoSeAplica) are not required to. "11 de 44 onde se aplica (20
// pendentes, 13 suspensas)" reads these fields, never a share of all
// municipalities.
type AAE struct {
	Cumprida    int `json:"cumprida"`
	Pendente    int `json:"pendente"`
	Suspensa    int `json:"suspensa"`
	SeAplica    int `json:"se_aplica"`
	NaoSeAplica int `json:"nao_se_aplica"`
}

func (a *AAE) add(s conditions.State) {
	switch s {
	case conditions.Cumprida:
		a.Cumprida++
	case conditions.Pendente:
		a.Pendente++
	case conditions.Suspensa:
		a.Suspensa++
	case conditions.NaoSeAplica:
		a.NaoSeAplica++
		return
	default:
		return
	}
	a.SeAplica++
}

// Aptos is the number of apto municipalities.
func (c *Counts) Aptos() int { return c.PorSituacao[conditions.Apto] }

// ShareApto is the share of apto municipalities, 0 to 1 (0 when empty).
func (c *Counts) ShareApto() float64 {
	if c.Municipios == 0 {
		return 0
	}
	return float64(c.Aptos()) / float64(c.Municipios)
}

func newCounts() *Counts {
	c := &Counts{PorSituacao: map[conditions.Situation]int{}, PorCondicao: map[conditions.Condition]map[conditions.State]int{}}
	for _, k := range conditions.All {
		c.PorCondicao[k] = map[conditions.State]int{}
	}
	return c
}

func (c *Counts) add(r Row) {
	c.Municipios++
	c.PorSituacao[r.Situation]++
	for _, res := range r.Conditions {
		c.PorCondicao[res.Condition][res.State]++
		if res.Condition == conditions.CapacitacaoAAE {
			c.CapacitacaoAAE.add(res.State)
		}
	}
}

// Group is the counts of one region or núcleo.
type Group struct {
	Code   string  `json:"codigo"`
	Name   string  `json:"nome"`
	Counts *Counts `json:"contagens"`
}

// Summary is the counts for the state and per macro, URS and núcleo.
type Summary struct {
	Estado  *Counts `json:"estado"`
	Macros  []Group `json:"macrorregioes"`
	URS     []Group `json:"urs"`
	Nucleos []Group `json:"nucleos"`
}

// Summarise counts the rows (typically a Select of contemplated ones).
func Summarise(rows []Row) Summary {
	s := Summary{Estado: newCounts()}
	macros, urs, nucleos := map[string]*Group{}, map[string]*Group{}, map[string]*Group{}
	for _, r := range rows {
		s.Estado.add(r)
		group(macros, r.MacroCode, r.MacroName).Counts.add(r)
		group(urs, r.URS, r.URS).Counts.add(r)
		if n := r.Nucleo(); n != "" {
			group(nucleos, n, n).Counts.add(r)
		}
	}
	s.Macros, s.URS, s.Nucleos = sorted(macros), sorted(urs), sorted(nucleos)
	return s
}

func group(m map[string]*Group, code, name string) *Group {
	g, ok := m[code]
	if !ok {
		g = &Group{Code: code, Name: name, Counts: newCounts()}
		m[code] = g
	}
	return g
}

func sorted(m map[string]*Group) []Group {
	out := make([]Group, 0, len(m))
	for _, g := range m {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Ranking orders groups by share apto, highest first; ties by more aptos,
// then by name. The groups themselves are not changed.
func Ranking(groups []Group) []Group {
	out := append([]Group(nil), groups...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Counts, out[j].Counts
		if a.ShareApto() != b.ShareApto() {
			return a.ShareApto() > b.ShareApto()
		}
		if a.Aptos() != b.Aptos() {
			return a.Aptos() > b.Aptos()
		}
		return out[i].Name < out[j].Name
	})
	return out
}
