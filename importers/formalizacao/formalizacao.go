// Package formalizacao imports SES's list of formalisation instruments
// between State and Municipality. The latest record per municipality wins.
package formalizacao

import (
	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/textnorm"
)

// Descriptor declares the formalizacao kind of file.
var Descriptor = common.Importer{Kind: records.Formalizacao, Spec: spec(), ParseSheet: parseSheet}

// spec is the header of the kind's sheets (also how the kind is recognised).
func spec() table.Spec {
	return table.Spec{
		Fields: common.Fields(common.MunicipalityFields, []table.Field{
			{Key: "assinado", Names: []string{"Instrumento assinado", "Assinado", "Situação", "Status", "Situação do instrumento"}},
			{Key: "data", Names: []string{"Data da assinatura", "Data de assinatura", "Assinado em"}},
			{Key: "referencia", Names: []string{"Nº SEI", "N SEI", "Processo SEI", "Documento", "Nº do instrumento", "Número SEI"}},
		}),
		Required: [][]string{common.RequireMunicipality, {"assinado"}},
	}
}

// status maps the folded status vocabulary to signed or not.
var status = map[string]bool{
	"assinado": true, "formalizado": true, "sim": true, "s": true, "yes": true, "x": true, "1": true, "verdadeiro": true,
	"pendente": false, "em tramitacao": false, "nao assinado": false, "nao": false, "n": false, "no": false, "0": false,
	"": false, "aguardando assinatura": false, "nao formalizado": false,
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
		raw := h.Get(r, "assinado")
		signed, ok := status[textnorm.Fold(raw)]
		if !ok {
			res.Reject(w, h.Name("assinado"), records.SituacaoDesconhecida,
				"Situação %q não reconhecida (use Assinado, Formalizado, Pendente, Em tramitação ou Não assinado).", raw)
			return nil
		}
		f := records.Formalisation{Where: w, IBGE: m.IBGE, Signed: signed, Reference: h.Get(r, "referencia")}
		if d := h.Get(r, "data"); d != "" {
			t, ok := table.ParseDate(d)
			if !ok {
				res.Reject(w, h.Name("data"), records.DataInvalida, "Data %q não reconhecida (use dd/mm/aaaa).", d)
				return nil
			}
			f.SignedOn = t
		}
		res.Accepted++
		res.Formalisations = append(res.Formalisations, f)
		return nil
	})
}
