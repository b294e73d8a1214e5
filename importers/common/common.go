// Package common holds what every importer kind shares: the interface a
// kind implements, the parse context, and the municipality columns.
package common

import (
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// Context is what a kind needs besides the file itself.
type Context struct {
	Territory *territory.Territory
	Config    conditions.Config
	FileName  string // base name, without folders
	Course    string // Moodle course short name given on import, if any
	Nucleo    string // núcleo given on import, for teleconsultas files that name none
	// Progress, when set, is told now and then how many rows of the file
	// have been read.
	Progress func(rows int)
	// Flush, when set, is given the result whenever it holds Block records
	// and issues (see records.Result.Flush); its error stops the reading
	// and is returned as it is.
	Flush func(*records.Result) error
	Block int
}

// Importer declares one kind of input file; each kind's package has one,
// its Descriptor.
type Importer struct {
	Kind records.Kind
	// Spec is the header the kind's sheets carry; it is also how the kind
	// is recognised. Built once, when the program starts.
	Spec table.Spec
	// AllSheets says every sheet with the header is read, not just the first.
	AllSheets bool
	// ParseSheet reads the data rows of one sheet whose header was found.
	ParseSheet func(ctx *Context, sc *table.Scanner, sheet string, res *records.Result) error
}

// Municipality column keys shared by the kinds.
const (
	KeyMunicipio = "municipio"
	KeyIBGE      = "ibge"
)

// MunicipalityFields are the municipality columns of FORMATS.md.
var MunicipalityFields = []table.Field{
	{Key: KeyIBGE, Names: []string{"Código IBGE", "IBGE", "Cod IBGE", "Cód. IBGE", "Código do município", "Cód. Município"}},
	{Key: KeyMunicipio, Names: []string{"Município", "Municipio", "Cidade", "Cidade/Município"}},
}

// RequireMunicipality is the Required group for the municipality columns.
var RequireMunicipality = []string{KeyIBGE, KeyMunicipio}

// ResolveRow finds a row's municipality: the code column first, then the
// name column, then fallback (a title cell or the file name). It returns
// the column to blame when nothing resolves.
func ResolveRow(ctx *Context, h table.Header, r table.Row, fallback string) (territory.Municipality, string, bool) {
	if code := h.Get(r, KeyIBGE); code != "" {
		if m, ok := ctx.Territory.Resolve(code); ok {
			return m, "", true
		}
	}
	if name := h.Get(r, KeyMunicipio); name != "" {
		m, ok := ctx.Territory.Resolve(name)
		return m, h.Name(KeyMunicipio), ok
	}
	if h.Has(KeyIBGE) && h.Get(r, KeyIBGE) != "" {
		return territory.Municipality{}, h.Name(KeyIBGE), false
	}
	if fallback != "" {
		m, ok := ctx.Territory.Resolve(fallback)
		return m, "", ok
	}
	col := KeyMunicipio
	if !h.Has(KeyMunicipio) {
		col = KeyIBGE
	}
	return territory.Municipality{}, h.Name(col), false
}

// MunicipalityText is what a row says its municipality is, for messages.
func MunicipalityText(h table.Header, r table.Row) string {
	if s := h.Get(r, KeyMunicipio); s != "" {
		return s
	}
	return h.Get(r, KeyIBGE)
}

// Fields joins field lists.
func Fields(lists ...[]table.Field) []table.Field {
	var out []table.Field
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// Where locates a row.
func Where(sheet string, r table.Row) records.Where { return records.Where{Sheet: sheet, Row: r.Num} }

// Identifier reads the identifier in column col with its validator (from
// internal/ident). A number cell shown in scientific notation has lost its
// digits whatever the file holds: it is Lost, never guessed.
func Identifier(r table.Row, col int, parse func(raw string, fromNumber bool) ident.Value) ident.Value {
	raw := r.Cell(col)
	if raw != "" && r.Scientific(col) {
		return ident.Value{Canonical: raw, Lost: true}
	}
	return parse(raw, r.IsNumber(col))
}

// MunicipalityOrReject resolves a row's municipality, or rejects the row
// with municipio_nao_encontrado and returns false.
// On success the row's place w learns the municipality, so that every
// issue raised on the row afterwards names it.
func MunicipalityOrReject(ctx *Context, h table.Header, r table.Row, w *records.Where, fallback string, res *records.Result) (territory.Municipality, bool) {
	m, col, ok := ResolveRow(ctx, h, r, fallback)
	if !ok {
		res.Reject(*w, col, records.MunicipioNaoEncontrado, "Município não encontrado em MG: %q.", MunicipalityText(h, r))
		return m, false
	}
	w.IBGE = m.IBGE
	return m, true
}
