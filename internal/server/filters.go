package server

import (
	"html/template"
	"net/url"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/territory"
	"github.com/ses-mg/telemonitor/internal/textnorm"
)

// filterParams are the URL parameters of the dashboard filters, in the
// order the form shows them. The API reads the same names.
var filterParams = []string{"macro", "micro", "urs", "nucleo", "situacao", "condicao", "faltam"}

// filterFromQuery reads the list filters. Fiber runs Immutable, so the
// values are the request's own copies.
func filterFromQuery(c *fiber.Ctx) monitor.Filter {
	f := monitor.Filter{Macro: c.Query("macro"), Micro: c.Query("micro"), URS: c.Query("urs"), Nucleo: c.Query("nucleo"),
		Situacao: c.Query("situacao"), Condition: c.Query("condicao"), ConditionState: c.Query("estado"),
		IBGE: c.Query("ibge"), Missing: missingParam(c.Query("faltam"))}
	f.All = f.Situacao == string(conditions.NaoContemplado) || c.Query("todos") == "1"
	// The núcleo's code in any case ("feluma") is the núcleo.
	for _, n := range territory.Nucleos {
		if strings.EqualFold(f.Nucleo, n.Code) {
			f.Nucleo = n.Code
		}
	}
	return f
}

// validFilter reads and validates the list filters (400 when invalid).
func (s *Server) validFilter(c *fiber.Ctx) (monitor.Filter, error) {
	f := filterFromQuery(c)
	if err := f.Validate(s.app.Territory); err != nil {
		return f, fiber.NewError(fiber.StatusBadRequest, "Filtro inválido: "+err.Error())
	}
	return f, nil
}

// municipioParam is the municipality named by the :ibge parameter (404
// when unknown).
func municipioParam(c *fiber.Ctx, snap *monitor.Snapshot) (monitor.Row, error) {
	r, ok := snap.Row(c.Params("ibge"))
	if !ok {
		return r, fiber.NewError(fiber.StatusNotFound,
			"Município não encontrado: use o código IBGE de 7 (ou 6) dígitos de um município de Minas Gerais.")
	}
	return r, nil
}

// option is one <option> of a filter select. Macros lists the macro
// names an option belongs to (micro and URS options), so that app.js can
// clear a choice the newly chosen macro does not contain.
type option struct {
	Value, Label string
	Macros       string
	Selected     bool
	code         string // another form the parameter may be given in
}

// filterField is one select of the filter form.
type filterField struct {
	Param, Label string
	Options      []option
}

// badge is an active filter, with the link that removes it.
type badge struct {
	Label, Value, Remove string
}

// filterForm is the filter form and the active filters of a page.
type filterForm struct {
	Fields []filterField
	Badges []badge
	Query  template.URL // the active filters as a query string ("" when none); url.Values.Encode escapes it
}

// stageRegions lists, from the contemplated rows, the regions one key
// picks (macro, micro, URS) with the macros each belongs to, sorted by
// name. Only regions of the chosen macro (when one is) are kept, so the
// lists never offer a choice that selects nothing.
func stageRegions(rows []monitor.Row, macro string, key func(monitor.Row) territory.Region) []option {
	byCode := map[string]*option{}
	var out []*option
	for _, r := range rows {
		if r.Situation == conditions.NaoContemplado || (macro != "" && macro != r.MacroCode && macro != r.MacroName) {
			continue
		}
		reg := key(r)
		o, ok := byCode[reg.Code]
		if !ok {
			o = &option{Value: reg.Name, Label: reg.Name, code: reg.Code}
			byCode[reg.Code] = o
			out = append(out, o)
		}
		if !strings.Contains("|"+o.Macros+"|", "|"+r.MacroName+"|") {
			o.Macros = strings.TrimPrefix(o.Macros+"|"+r.MacroName, "|")
		}
	}
	sort.Slice(out, func(i, j int) bool { return textnorm.Fold(out[i].Label) < textnorm.Fold(out[j].Label) })
	list := make([]option, len(out))
	for i, o := range out {
		list[i] = *o
	}
	return list
}

// buildFilterForm builds the form for q over the whole territory (every
// region, every núcleo). Pages with a snapshot use stageFilterForm, which
// offers only what exists in the stage.
func buildFilterForm(t *territory.Territory, q url.Values) filterForm {
	rows := make([]monitor.Row, len(t.Municipalities))
	for i, m := range t.Municipalities {
		rows[i].Municipality = m
	}
	return filterFormOf(rows, q, true)
}

// stageFilterForm builds the form for q, the request's filter parameters
// (queryValues), offering only values that exist among the snapshot's
// contemplated municipalities. A value given as a code (macro=3103) or in
// another case (nucleo=feluma) selects its option all the same.
func stageFilterForm(rows []monitor.Row, q url.Values) filterForm {
	return filterFormOf(rows, q, false)
}

func filterFormOf(rows []monitor.Row, q url.Values, allNucleos bool) filterForm {
	macro := q.Get("macro")
	var nucleos []option
	has := map[string]bool{}
	for _, r := range rows {
		has[r.Nucleo()] = true
	}
	for _, n := range territory.Nucleos {
		if allNucleos || has[n.Code] {
			nucleos = append(nucleos, option{Value: n.Code, Label: n.Code + " – " + n.FullName})
		}
	}
	situations := []option{
		{Value: string(conditions.Apto), Label: present.Situation[conditions.Apto]},
		{Value: string(conditions.PendenteSit), Label: present.Situation[conditions.PendenteSit]},
		{Value: string(conditions.NaoContemplado), Label: present.Situation[conditions.NaoContemplado]},
	}
	var conds []option
	for _, k := range conditions.All {
		conds = append(conds, option{Value: string(k), Label: present.ConditionName[k] + " pendente"})
	}
	form := filterForm{Fields: []filterField{
		{"macro", "Macrorregião", stageRegions(rows, "", func(r monitor.Row) territory.Region { return territory.Region{Code: r.MacroCode, Name: r.MacroName} })},
		{"micro", "Microrregião", stageRegions(rows, macro, func(r monitor.Row) territory.Region { return territory.Region{Code: r.MicroCode, Name: r.MicroName} })},
		{"urs", "URS", stageRegions(rows, macro, func(r monitor.Row) territory.Region { return territory.Region{Code: r.URS, Name: r.URS} })},
		{"nucleo", "Núcleo", nucleos},
		{"situacao", "Situação", situations},
		{"condicao", "Condição", conds},
		{"faltam", "Faltam", missingOptions()},
	}}
	for i, f := range form.Fields {
		v := q.Get(f.Param)
		if v == "" {
			continue
		}
		label := v // a value the lists no longer offer (a micro outside the macro) still shows
		for j, o := range f.Options {
			if o.Value == v || o.code == v || strings.EqualFold(o.Value, v) {
				form.Fields[i].Options[j].Selected = true
				label = o.Label
				break
			}
		}
		form.Badges = append(form.Badges, badge{Label: f.Label, Value: label, Remove: "?" + without(q, f.Param).Encode()})
	}
	form.Query = template.URL(q.Encode())
	return form
}

// without is q minus the parameter p.
func without(q url.Values, p string) url.Values {
	rest := url.Values{}
	for k, vs := range q {
		if k != p {
			rest[k] = vs
		}
	}
	return rest
}

// with is q with the parameter p set to v: the link of a ranking row.
func with(q url.Values, p, v string) string {
	rest := without(q, p)
	rest.Set(p, v)
	return "/?" + rest.Encode()
}

// queryValues are the request's filter parameters.
func queryValues(c *fiber.Ctx) url.Values {
	q := url.Values{}
	for _, p := range filterParams {
		if v := c.Query(p); v != "" {
			q.Set(p, v)
		}
	}
	return q
}

// cloneQuery copies query parameters (to build links that change one).
func cloneQuery(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, vs := range q {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
