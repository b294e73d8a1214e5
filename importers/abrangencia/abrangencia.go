// Package abrangencia imports SES's "Regiões de Abrangência": the stage's
// municipalities, the núcleo serving each, and whether it hosts an AAE point
// (or one being set up). The latest file is the official list and replaces
// the previous one.
package abrangencia

import (
	"strconv"

	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/territory"
	"github.com/ses-mg/telemonitor/internal/textnorm"
)

// Descriptor declares the abrangencia kind of file.
var Descriptor = common.Importer{Kind: records.Abrangencia, Spec: spec(), ParseSheet: parseSheet}

// spec is the header of the kind's sheets (also how the kind is recognised).
func spec() table.Spec {
	return table.Spec{
		Fields: common.Fields(common.MunicipalityFields, []table.Field{
			{Key: "nucleo", Names: []string{"Núcleo", "Núcleo prestador", "Núcleo de Telessaúde"}},
			{Key: "etapa", Names: []string{"Etapa"}},
			{Key: "sede_aae", Names: []string{"Sede AAE", "Sede de ponto de AAE", "Ponto AAE"}},
			{Key: "aae_estruturacao", Names: []string{"AAE em estruturação", "Ampliação da Média Complexidade"}},
		}),
		Required: [][]string{common.RequireMunicipality, {"nucleo"}},
	}
}

// parseSheet reads the data rows of one sheet whose header was found.
func parseSheet(ctx *common.Context, sc *table.Scanner, sheet string, res *records.Result) error {
	h := sc.Head
	seen := map[string]string{}
	return sc.Each(func(r table.Row) error {
		res.RowsRead++
		w := common.Where(sheet, r)
		m, ok := common.MunicipalityOrReject(ctx, h, r, &w, "", res)
		if !ok {
			return nil
		}
		nucleo, ok := territory.ResolveNucleo(h.Get(r, "nucleo"))
		if !ok {
			res.Reject(w, h.Name("nucleo"), records.NucleoInvalido,
				"Núcleo %q não reconhecido (use FM-UFMG, Feluma ou HC-UFMG).", h.Get(r, "nucleo"))
			return nil
		}
		stage := 1
		if s := h.Get(r, "etapa"); s != "" {
			n, err := strconv.Atoi(textnorm.Fold(s))
			if err != nil || n < 1 {
				res.Reject(w, h.Name("etapa"), records.SituacaoDesconhecida, "Etapa %q não é um número.", s)
				return nil
			}
			stage = n
		}
		seat, ok1 := textnorm.YesNo(h.Get(r, "sede_aae"))
		setup, ok2 := textnorm.YesNo(h.Get(r, "aae_estruturacao"))
		if !ok1 || !ok2 {
			col, val := h.Name("sede_aae"), h.Get(r, "sede_aae")
			if !ok2 {
				col, val = h.Name("aae_estruturacao"), h.Get(r, "aae_estruturacao")
			}
			res.Reject(w, col, records.SituacaoDesconhecida, "Valor %q não é sim/não.", val)
			return nil
		}
		if prev, dup := seen[m.IBGE]; dup && prev != nucleo {
			res.Warn(w, h.Name("nucleo"), records.MunicipioEmDoisNucleos,
				"%s aparece com dois núcleos (%s e %s): verifique a lista.", m.Name, prev, nucleo)
		}
		seen[m.IBGE] = nucleo
		res.Accepted++
		res.Coverage = append(res.Coverage, records.Coverage{Where: w, IBGE: m.IBGE, Nucleo: nucleo, Stage: stage, AAESeat: seat, AAESetup: setup})
		return nil
	})
}
