// Package envio imports the dates on which SES sent a municipality's
// professionals' data to its núcleo.
package envio

import (
	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/records"
)

// Descriptor declares the envio kind of file.
var Descriptor = common.Importer{Kind: records.Envio, Spec: spec(), ParseSheet: parseSheet}

// spec is the header of the kind's sheets (also how the kind is recognised).
func spec() table.Spec {
	return table.Spec{
		Fields: common.Fields(common.MunicipalityFields, []table.Field{
			{Key: "data", Names: []string{"Data de envio", "Data do envio", "Enviado em", "Data de envio dos dados"}},
		}),
		Required: [][]string{common.RequireMunicipality, {"data"}},
	}
}

// parseSheet reads the data rows of one sheet whose header was found.
func parseSheet(ctx *common.Context, sc *table.Scanner, sheet string, res *records.Result) error {
	h := sc.Head
	return sc.Each(func(r table.Row) error {
		res.RowsRead++
		w := common.Where(sheet, r)
		m, ok := common.MunicipalityOrReject(ctx, h, r, &w, "", res)
		if !ok {
			return nil
		}
		d := h.Get(r, "data")
		t, ok := table.ParseDate(d)
		if !ok {
			res.Reject(w, h.Name("data"), records.DataInvalida, "Data de envio %q ausente ou não reconhecida (use dd/mm/aaaa).", d)
			return nil
		}
		res.Accepted++
		res.DataSent = append(res.DataSent, records.DataSent{Where: w, IBGE: m.IBGE, SentOn: t})
		return nil
	})
}
