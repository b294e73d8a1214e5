package server

import (
	"html/template"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// filterParams are the URL parameters of the dashboard filters, in the
// order the form shows them. The API reads the same names.
var filterParams = []string{"macro", "micro", "urs", "nucleo", "situacao", "condicao"}

// filterFromQuery reads the list filters. Fiber runs Immutable, so the
// values are the request's own copies.
func filterFromQuery(c *fiber.Ctx) monitor.Filter {
	f := monitor.Filter{Macro: c.Query("macro"), Micro: c.Query("micro"), URS: c.Query("urs"), Nucleo: c.Query("nucleo"),
		Situacao: c.Query("situacao"), Condition: c.Query("condicao"), ConditionState: c.Query("estado")}
	f.All = f.Situacao == string(conditions.NaoContemplado) || c.Query("todos") == "1"
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

// option is one <option> of a filter select.
type option struct {
	Value, Label string
	Selected     bool
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

// buildFilterForm builds the form for q, the request's filter parameters
// (queryValues).
func buildFilterForm(t *territory.Territory, q url.Values) filterForm {
	regions := func(list []territory.Region) []option {
		out := make([]option, len(list))
		for i, r := range list {
			out[i] = option{Value: r.Name, Label: r.Name}
		}
		return out
	}
	var nucleos []option
	for _, n := range territory.Nucleos {
		nucleos = append(nucleos, option{Value: n.Code, Label: n.Code + " – " + n.FullName})
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
		{"macro", "Macrorregião", regions(t.Macros())},
		{"micro", "Microrregião", regions(t.Micros())},
		{"urs", "URS", regions(t.URSs())},
		{"nucleo", "Núcleo", nucleos},
		{"situacao", "Situação", situations},
		{"condicao", "Condição", conds},
	}}
	for i, f := range form.Fields {
		v := q.Get(f.Param)
		for j, o := range f.Options {
			if v == "" || o.Value != v {
				continue
			}
			form.Fields[i].Options[j].Selected = true
			rest := url.Values{}
			for k, vs := range q {
				if k != f.Param {
					rest[k] = vs
				}
			}
			form.Badges = append(form.Badges, badge{Label: f.Label, Value: o.Label, Remove: "?" + rest.Encode()})
		}
	}
	form.Query = template.URL(q.Encode())
	return form
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
