// Package cadastro imports the professionals' registration sheets the
// núcleos supply and the municipalities fill in: one file per municipality
// (the municipality in a "Município: X" title cell or in the file name) or a
// consolidated workbook with a municipality column and several sheets.
//
// A row is accepted when its municipality resolves and it has a name and a
// valid CPF; other bad fields are warnings. A newer sheet for a municipality
// replaces that municipality's professionals, and only that municipality's.
package cadastro

import (
	"path/filepath"
	"strings"

	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/territory"
	"github.com/ses-mg/telemonitor/internal/textnorm"
)

// Descriptor declares the cadastro kind of file.
var Descriptor = common.Importer{Kind: records.Cadastro, Spec: spec(), AllSheets: true, ParseSheet: parseSheet}

// spec is the header of the kind's sheets (also how the kind is recognised).
func spec() table.Spec {
	return table.Spec{
		Fields: common.Fields(common.MunicipalityFields, []table.Field{
			{Key: "nome", Names: []string{"Nome", "Nome completo", "Nome do profissional"}},
			{Key: "cpf", Names: []string{"CPF", "CPF do profissional"}},
			{Key: "cns", Names: []string{"CNS", "Cartão SUS", "Cartão Nacional de Saúde", "CNS do profissional"}},
			{Key: "cbo", Names: []string{"CBO", "Código CBO", "Ocupação (CBO)"}},
			{Key: "ocupacao", Names: []string{"Ocupação", "Categoria profissional", "Cargo", "Profissão"}},
			{Key: "cnes", Names: []string{"CNES", "CNES do estabelecimento", "Código CNES"}},
			{Key: "estabelecimento", Names: []string{"Estabelecimento", "Unidade de saúde", "Unidade", "UBS", "Nome da unidade"}},
			{Key: "ine", Names: []string{"INE", "Equipe (INE)", "Código INE"}},
			{Key: "nivel", Names: []string{"Nível de atenção", "Ponto de atenção", "APS/AAE"}},
			{Key: "email", Names: []string{"E-mail", "Email", "Endereço de e-mail"}},
			{Key: "telefone", Names: []string{"Telefone", "Celular", "WhatsApp"}},
		}),
		Required: [][]string{{"nome"}, {"cpf"}},
	}
}

var careLevels = map[string]string{
	"aps": "APS", "atencao primaria": "APS", "ab": "APS", "atencao basica": "APS", "atencao primaria a saude": "APS",
	"aae": "AAE", "atencao especializada": "AAE", "ambulatorial especializada": "AAE",
	"atencao ambulatorial especializada": "AAE",
}

// parseSheet reads the data rows of one sheet whose header was found.
func parseSheet(ctx *common.Context, sc *table.Scanner, sheet string, res *records.Result) error {
	h := sc.Head
	fallback := ""
	if !h.Has(common.KeyMunicipio) && !h.Has(common.KeyIBGE) {
		fallback = sc.TitleMunicipality()
		if fallback == "" {
			fallback = FromFileName(ctx.Territory, ctx.FileName)
		}
		if _, ok := ctx.Territory.Resolve(fallback); !ok {
			return &table.FileError{Msg: "a planilha não tem coluna de município, nem uma célula \"Município: <nome>\" acima da tabela, " +
				"nem o nome do município no nome do arquivo (ex.: cadastro_Itabira.xlsx)"}
		}
	}
	if res.Seen == nil {
		res.Seen = map[uint64]int{}
	}
	return sc.Each(func(r table.Row) error {
		res.RowsRead++
		p, ok := parseRow(ctx, h, r, common.Where(sheet, r), fallback, res)
		if !ok {
			return nil
		}
		res.Accepted++
		key := professionalKey(p.IBGE, p.CPF)
		if _, dup := res.Seen[key]; dup {
			res.Warn(p.Where, h.Name("cpf"), records.CPFDuplicado,
				"CPF %s repetido na planilha do município: a linha conta como o mesmo profissional.", ident.FormatCPF(p.CPF))
			return nil
		}
		res.Seen[key] = p.Row
		res.Professionals = append(res.Professionals, p)
		return nil
	})
}

// professionalKey packs a municipality's 7-digit IBGE code and an
// 11-digit CPF into one number (18 digits fit in 64 bits), so that a sheet
// of a million rows remembers the pairs it has seen in a few bytes each.
func professionalKey(ibge, cpf string) uint64 {
	var k uint64
	for _, s := range [2]string{ibge, cpf} {
		for i := 0; i < len(s); i++ {
			k = k*10 + uint64(s[i]-'0')
		}
	}
	return k
}

func parseRow(ctx *common.Context, h table.Header, r table.Row, w records.Where, fallback string, res *records.Result) (records.Professional, bool) {
	m, ok := common.MunicipalityOrReject(ctx, h, r, &w, fallback, res)
	if !ok {
		return records.Professional{}, false
	}
	name := textnorm.Clean(h.Get(r, "nome"))
	if name == "" {
		res.Reject(w, h.Name("nome"), records.SemNome, "Nome do profissional não preenchido.")
		return records.Professional{}, false
	}
	rawCPF := h.Get(r, "cpf")
	cpf := common.Identifier(r, h.Col("cpf"), ident.CPF)
	switch {
	case cpf.Empty:
		res.Reject(w, h.Name("cpf"), records.SemCPF, "CPF não preenchido.")
		return records.Professional{}, false
	case cpf.Lost:
		res.Reject(w, h.Name("cpf"), records.IdentificadorPerdido,
			"CPF %q está em notação científica e os dígitos se perderam: formate a coluna como Texto, digite os CPFs de novo e envie.", rawCPF)
		return records.Professional{}, false
	case !cpf.Valid:
		res.Reject(w, h.Name("cpf"), records.CPFInvalido, "CPF %q inválido (dígitos verificadores não conferem).", rawCPF)
		return records.Professional{}, false
	}
	if cpf.ZerosRestored {
		res.Warn(w, h.Name("cpf"), records.ZerosRestaurados,
			"CPF %q perdeu zeros à esquerda (a coluna foi tratada como número): lido como %s.", rawCPF, ident.FormatCPF(cpf.Canonical))
	}
	p := records.Professional{Where: w, IBGE: m.IBGE, Name: name, CPF: cpf.Canonical,
		Occupation: textnorm.Clean(h.Get(r, "ocupacao")), Establishment: textnorm.Clean(h.Get(r, "estabelecimento"))}
	p.CNS = optional(h, r, w, res, "cns", ident.CNS, records.CNSInvalido, "CNS")
	p.CNES = optional(h, r, w, res, "cnes", ident.CNES, records.CNESInvalido, "CNES")
	p.INE = optional(h, r, w, res, "ine", ident.INE, records.INEInvalido, "INE")
	p.Email = optional(h, r, w, res, "email", func(raw string, _ bool) ident.Value { return ident.Email(raw) }, records.EmailInvalido, "E-mail")
	p.Phone = optional(h, r, w, res, "telefone", func(raw string, _ bool) ident.Value { return ident.Phone(raw, false) }, records.TelefoneInvalido, "Telefone")
	if cbo := common.Identifier(r, h.Col("cbo"), ident.CBO); !cbo.Empty {
		p.CBO = cbo.Canonical
	}
	p.CareLevel = careLevel(h, r, p.INE)
	if p.CareLevel == "" {
		res.Warn(w, h.Name("nivel"), records.NivelAtencaoDesconhecido,
			"Nível de atenção não informado e sem INE: o profissional conta para a planilha, mas não para a capacitação APS/AAE.")
	}
	return p, true
}

// optional validates an optional identifier: an invalid value is a warning
// and is not kept; a value lost to scientific notation is dropped too; a
// value whose lost leading zeros were put back is kept, with a warning.
func optional(h table.Header, r table.Row, w records.Where, res *records.Result, key string,
	parse func(string, bool) ident.Value, code, label string) string {
	raw := h.Get(r, key)
	v := common.Identifier(r, h.Col(key), parse)
	switch {
	case v.Empty:
		return ""
	case v.Lost:
		res.Warn(w, h.Name(key), records.IdentificadorPerdido,
			"%s %q está em notação científica e os dígitos se perderam: o campo foi descartado.", label, raw)
		return ""
	case !v.Valid:
		res.Warn(w, h.Name(key), code, "%s %q inválido: o campo foi descartado.", label, raw)
		return ""
	case v.ZerosRestored && lostOneZero(raw, v.Canonical, r.IsNumber(h.Col(key))):
		res.Warn(w, h.Name(key), records.ZerosRestaurados,
			"%s %q perdeu zeros à esquerda (a coluna foi tratada como número): lido como %s.", label, raw, v.Canonical)
	}
	return v.Canonical
}

// lostOneZero tells the padding worth a warning: a text value one digit
// short, the trace of a number column saved as text (a CSV, an all-text
// sheet). Number cells are padded silently, and so is an INE written in its
// customary short form (9889325 for 0009889325).
func lostOneZero(raw, canonical string, fromNumber bool) bool {
	d, _ := ident.Digits(raw, false)
	return !fromNumber && len(d) == len(canonical)-1
}

// careLevel: an explicit APS/AAE value wins; otherwise a filled INE means
// APS; otherwise unknown.
func careLevel(h table.Header, r table.Row, ine string) string {
	if level, ok := careLevels[textnorm.Fold(h.Get(r, "nivel"))]; ok {
		return level
	}
	if ine != "" || h.Get(r, "ine") != "" {
		return "APS"
	}
	return ""
}

// FromFileName finds a municipality in a file name such as
// cadastro_Agua_Comprida.xlsx, where _ and - stand for spaces: the longest
// run of words that names one. Whatever reads a registration file's rows
// again (the rows of its issues) takes the municipality by this same rule.
func FromFileName(t *territory.Territory, name string) string {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	words := strings.FieldsFunc(base, func(r rune) bool { return r == '_' || r == '-' || r == ' ' || r == '.' })
	for n := len(words); n > 0; n-- {
		for i := 0; i+n <= len(words); i++ {
			candidate := strings.Join(words[i:i+n], " ")
			if _, ok := t.Resolve(candidate); ok {
				return candidate
			}
		}
	}
	return ""
}
