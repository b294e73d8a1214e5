// Package pontofocal imports the Microsoft Forms export of focal-point
// nominations. The fixed columns (ID, times, respondent) are matched by
// name; the questions by the words in their text, since form authors edit
// the wording. The respondent is who filled in the form, not the focal point.
package pontofocal

import (
	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/textnorm"
)

// Descriptor declares the ponto-focal kind of file.
var Descriptor = common.Importer{Kind: records.PontoFocal, Spec: spec(), ParseSheet: parseSheet}

// spec is the header of the kind's sheets (also how the kind is recognised).
func spec() table.Spec {
	return table.Spec{
		Fields: []table.Field{
			{Key: "id", Names: []string{"ID", "Id"}},
			{Key: "inicio", Names: []string{"Hora de início", "Start time"}},
			{Key: "conclusao", Names: []string{"Hora de conclusão", "Completion time"}},
			{Key: "modificacao", Names: []string{"Hora da última modificação", "Last modified time"}},
			{Key: "resp_email", Names: []string{"Email", "E-mail do envio"}},
			{Key: "resp_nome", Names: []string{"Nome", "Name", "Nome de quem enviou"}},
			{Key: common.KeyIBGE, Names: []string{"Código IBGE", "Codigo IBGE"}, Contains: true},
			{Key: common.KeyMunicipio, Names: []string{"Município", "Municipio"}, Contains: true},
			{Key: "nome", Names: []string{"Nome completo do ponto focal", "Nome do ponto focal", "ponto focal nome"}, Contains: true},
			{Key: "cpf", Names: []string{"CPF"}, Contains: true},
			{Key: "email", Names: []string{"E-mail do ponto focal", "Email do ponto focal", "E-mail", "Email"}, Contains: true},
			{Key: "telefone", Names: []string{"Telefone", "Celular", "WhatsApp"}, Contains: true},
			{Key: "cargo", Names: []string{"Cargo", "Função"}, Contains: true},
		},
		Required: [][]string{{"conclusao"}, common.RequireMunicipality, {"nome"}},
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
		name := textnorm.Clean(h.Get(r, "nome"))
		if name == "" {
			res.Reject(w, h.Name("nome"), records.SemNome, "Nome do ponto focal não preenchido.")
			return nil
		}
		email := ident.Email(h.Get(r, "email"))
		phone := ident.Phone(h.Get(r, "telefone"), false)
		if !email.Valid && !phone.Valid {
			res.Reject(w, contactColumn(h), records.SemContatoValido,
				"O ponto focal não tem e-mail nem telefone válidos (e-mail %q, telefone %q).", h.Get(r, "email"), h.Get(r, "telefone"))
			return nil
		}
		at, ok := completion(h, r)
		if !ok {
			res.Reject(w, h.Name("conclusao"), records.DataInvalida, "Hora de conclusão %q não reconhecida.", h.Get(r, "conclusao"))
			return nil
		}
		n := records.Nomination{Where: w, IBGE: m.IBGE, Name: name, Role: textnorm.Clean(h.Get(r, "cargo")),
			CompletedAt: at}
		if resp := ident.Email(h.Get(r, "resp_email")); resp.Valid {
			n.Respondent = resp.Canonical // "anonymous" and blanks are no one
		}
		if email.Valid {
			n.Email = email.Canonical
		}
		if phone.Valid {
			n.Phone = phone.Canonical
		}
		if cpf := common.Identifier(r, h.Col("cpf"), ident.CPF); cpf.Valid {
			n.CPF = cpf.Canonical
		}
		res.Accepted++
		res.Nominations = append(res.Nominations, n)
		return nil
	})
}

// completion is the response time: the last modification when the form
// records one, otherwise the completion time.
func completion(h table.Header, r table.Row) (t table.Time, ok bool) {
	if s := h.Get(r, "modificacao"); s != "" {
		if t, ok := table.ParseDate(s); ok {
			return t, true
		}
	}
	return table.ParseDate(h.Get(r, "conclusao"))
}

func contactColumn(h table.Header) string {
	if h.Has("email") {
		return h.Name("email")
	}
	return h.Name("telefone")
}
