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
