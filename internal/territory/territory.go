// Package territory holds Minas Gerais's reference territory: the 853
// municipalities with their health macroregion, microregion and URS, and the
// three núcleos de telessaúde. It also resolves the many ways a municipality
// is written in the programme's files to one IBGE code.
package territory

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
)

// Municipality is one of MG's 853 municipalities.
type Municipality struct {
	IBGE       string // 7 digits
	IBGE6      string // DATASUS form, 6 digits
	Name       string
	Latitude   float64
	Longitude  float64
	Population int
	MacroCode  string
	MacroName  string
	MicroCode  string
	MicroName  string
	URS        string
}

// Territory is the loaded reference data with its lookups.
type Territory struct {
	Municipalities []Municipality // sorted by IBGE code
	byCode         map[string]int
	byCode6        map[string]int
	byKey          map[string]int
}

// Load reads municipios.csv and regioes_saude.csv (the files in data/mg).
func Load(municipios, regioes io.Reader) (*Territory, error) {
	mun, err := readCSV(municipios, []string{"ibge", "ibge6", "nome", "latitude", "longitude", "populacao"})
	if err != nil {
		return nil, fmt.Errorf("territory: municipios.csv: %w", err)
	}
	reg, err := readCSV(regioes, []string{"ibge", "ibge6", "nome", "macro_codigo", "macro_nome", "micro_codigo", "micro_nome", "urs_nome"})
	if err != nil {
		return nil, fmt.Errorf("territory: regioes_saude.csv: %w", err)
	}
	regions := make(map[string][]string, len(reg))
	for _, r := range reg {
		regions[r[0]] = r
	}
	t := &Territory{}
	for _, r := range mun {
		g, ok := regions[r[0]]
		if !ok {
			return nil, fmt.Errorf("territory: municipality %s has no health region", r[0])
		}
		lat, _ := strconv.ParseFloat(r[3], 64)
		lon, _ := strconv.ParseFloat(r[4], 64)
		pop, _ := strconv.Atoi(r[5])
		t.Municipalities = append(t.Municipalities, Municipality{
			IBGE: r[0], IBGE6: r[1], Name: r[2], Latitude: lat, Longitude: lon, Population: pop,
			MacroCode: g[3], MacroName: g[4], MicroCode: g[5], MicroName: g[6], URS: g[7],
		})
	}
	sort.Slice(t.Municipalities, func(i, j int) bool { return t.Municipalities[i].IBGE < t.Municipalities[j].IBGE })
	if err := t.index(); err != nil {
		return nil, err
	}
	return t, nil
}

func readCSV(r io.Reader, header []string) ([][]string, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || len(rows[0]) < len(header) {
		return nil, fmt.Errorf("missing header %v", header)
	}
	for i, h := range header {
		if rows[0][i] != h {
			return nil, fmt.Errorf("column %d is %q, want %q", i+1, rows[0][i], h)
		}
	}
	return rows[1:], nil
}

// ByCode returns the municipality with a 7-digit or 6-digit IBGE code.
func (t *Territory) ByCode(code string) (Municipality, bool) {
	if i, ok := t.byCode[code]; ok {
		return t.Municipalities[i], true
	}
	if i, ok := t.byCode6[code]; ok {
		return t.Municipalities[i], true
	}
	return Municipality{}, false
}

// RegionOf is a municipality's URS and macroregion names (empty for an
// unknown code), as the service measures group by them.
func (t *Territory) RegionOf(ibge string) (urs, macro string) {
	m, _ := t.ByCode(ibge)
	return m.URS, m.MacroName
}

// Region is a named group of municipalities (macro, micro or URS).
type Region struct {
	Code string
	Name string
}

// Macros lists the health macroregions by code.
func (t *Territory) Macros() []Region {
	return t.distinct(func(m Municipality) Region { return Region{m.MacroCode, m.MacroName} })
}

// Micros lists the health microregions by code.
func (t *Territory) Micros() []Region {
	return t.distinct(func(m Municipality) Region { return Region{m.MicroCode, m.MicroName} })
}

// URSs lists the regional units by name.
func (t *Territory) URSs() []Region {
	return t.distinct(func(m Municipality) Region { return Region{m.URS, m.URS} })
}

func (t *Territory) distinct(f func(Municipality) Region) []Region {
	seen := map[string]bool{}
	var out []Region
	for _, m := range t.Municipalities {
		r := f(m)
		if !seen[r.Code] {
			seen[r.Code] = true
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
