// Package export writes the reports URS staff take to meetings: an Excel
// workbook (Resumo, Municípios, Pendências) and a CSV of the municipalities
// table, for any scope the dashboard filters express. Rows come from the
// monitor snapshot, so the files say what the pages and `status` say.
package export

import (
	"encoding/csv"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/textnorm"
)

// TempDir is where a large workbook's sheets spill while being written
// (excelize's stream writer past 16 MB): they hold personal data, so the
// application points it at a private folder that it empties at start
// (app.Open), instead of the system's shared temporary folder, where a
// killed process would leave them. Empty means the system's.
var TempDir string

// Scope is what a report covers: the filter and its words.
type Scope struct {
	Filter monitor.Filter
	Name   string // the municipality's name, with Filter.IBGE
	// Focal, when set (workbooks with personal data only), adds the focal
	// point's name, e-mail and phone to the Pendências sheet, by IBGE
	// code, masked as the reader's role requires.
	Focal map[string]FocalContact
}

// Parts lists the active filters as "label: value" pairs, in the order
// the dashboard shows them.
func (s Scope) Parts() [][2]string {
	f := s.Filter
	var out [][2]string
	mun := f.IBGE
	if s.Name != "" {
		mun = s.Name
	}
	for _, p := range [][2]string{{"Município", mun}, {"Macrorregião", f.Macro}, {"Microrregião", f.Micro}, {"URS", f.URS},
		{"Núcleo", f.Nucleo}, {"Situação", situationWord(f.Situacao)}, {"Condição pendente", conditionWord(f.Condition)}, {"Faltam", missingWord(f.Missing)}} {
		if p[1] != "" {
			out = append(out, p)
		}
	}
	return out
}

// Describe is the scope in words ("Estado de Minas Gerais" when none).
func (s Scope) Describe() string {
	parts := s.Parts()
	if len(parts) == 0 {
		return "Estado de Minas Gerais (municípios contemplados)"
	}
	var b []string
	for _, p := range parts {
		b = append(b, p[0]+": "+p[1])
	}
	return strings.Join(b, "; ")
}

func situationWord(s string) string {
	if s == "" {
		return ""
	}
	return present.Situation[conditions.Situation(s)]
}

func conditionWord(c string) string {
	if c == "" {
		return ""
	}
	return present.ConditionName[conditions.Condition(c)]
}

// FileName is the download name: scope and date, e.g.
// condicionalidades_URS-Itabira_2026-11-22.xlsx.
func FileName(s Scope, day time.Time, ext string) string {
	return fileName("condicionalidades", s, day.Format("2006-01-02"), ext)
}

// ChangesFileName is the download name of a comparison of two dates, e.g.
// mudancas_URS-Itabira_2026-10-01_a_2026-11-29.csv.
func ChangesFileName(s Scope, from, to time.Time, ext string) string {
	return fileName("mudancas", s, from.Format("2006-01-02")+"_a_"+to.Format("2006-01-02"), ext)
}

func fileName(name string, s Scope, when, ext string) string {
	parts := s.Parts()
	if len(parts) == 0 {
		name += "_MG"
	}
	short := map[string]string{"Município": "Municipio", "Macrorregião": "Macro", "Microrregião": "Micro", "URS": "URS",
		"Núcleo": "Nucleo", "Situação": "Situacao", "Condição pendente": "Pendente", "Faltam": "Faltam"}
	for _, p := range parts {
		name += "_" + short[p[0]] + "-" + slug(p[1])
	}
	return name + "_" + when + "." + ext
}

// slug keeps letters and digits of the accent-folded text, words joined
// by hyphens, first letters upper case.
func slug(s string) string {
	words := strings.Fields(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return ' '
	}, textnorm.Fold(s)))
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, "-")
}

// Safe neutralises text that a spreadsheet would take as a formula: a
// leading apostrophe makes it text. It is the guard for every text cell
// of a CSV or spreadsheet built from data a person typed (see IsFormula).
func Safe(s string) string {
	if IsFormula(s) {
		return "'" + s
	}
	return s
}

// IsFormula reports whether a spreadsheet could read s as a formula or a
// DDE command: s starts with a tab, CR or LF, or, after any run of spaces
// and invisible characters (zero-width space and joiners, BOM, word
// joiner, NBSP, bidi marks), with =, +, -, @ or |, or the full-width or
// small forms of those (＝ ＋ － ＠ ｜, ﹦ ﹢ ﹣ ﹫) or the minus sign −.
func IsFormula(s string) bool {
	if s == "" {
		return false
	}
	if c := s[0]; c < utf8.RuneSelf && c > ' ' && !strings.ContainsRune(formulaStarts, rune(c)) {
		return false // the common case: a letter, a digit, ordinary punctuation
	}
	if s[0] == '\t' || s[0] == '\r' || s[0] == '\n' {
		return true
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		return strings.ContainsRune(formulaStarts, r)
	}
	return false
}

// formulaStarts are the characters that start a formula or a DDE command.
const formulaStarts = "=+-@|＝＋－＠｜﹦﹢﹣﹫−"

// municipalityHeader is the header of the Municípios sheet and the CSV.
var municipalityHeader = []string{"Macrorregião", "Microrregião", "URS", "Núcleo", "Município", "Código IBGE",
	"Formalização", "Ponto focal", "Capacitação APS", "Capacitação AAE", "Planilha de cadastro", "Situação",
	"Data da assinatura", "Nome do ponto focal", "Envio dos dados ao núcleo", "Pendências"}

// line is one municipality as the reports write it.
type line struct {
	Text     []string // columns up to Situação
	SignedOn time.Time
	Focal    string
	SentOn   time.Time
	Pending  string
}

func lineOf(r monitor.Row) line {
	l := line{Text: []string{r.MacroName, r.MicroName, r.URS, r.Nucleo(), r.Name, r.Municipality.IBGE}}
	for _, k := range []conditions.Condition{conditions.Formalizacao, conditions.PontoFocal, conditions.CapacitacaoAPS,
		conditions.CapacitacaoAAE, conditions.Planilha} {
		l.Text = append(l.Text, present.State[r.State(k)])
	}
	l.Text = append(l.Text, present.Situation[r.Situation])
	for _, c := range r.Conditions {
		if c.Condition == conditions.Formalizacao && c.State == conditions.Cumprida && len(c.Evidence) > 0 {
			l.SignedOn = c.Evidence[len(c.Evidence)-1].Date
		}
	}
	if r.FocalPoint != nil {
		l.Focal = r.FocalPoint.Name
	}
	l.SentOn = r.DataSentOn
	var missing []string
	for _, m := range r.Missing() {
		missing = append(missing, m.Missing)
	}
	l.Pending = strings.Join(missing, " ")
	return l
}

// WriteCSV writes the municipalities table as Excel pt-BR opens it: UTF-8
// with BOM, ';' between fields, dates dd/mm/aaaa, formulas neutralised.
func WriteCSV(w io.Writer, rows []monitor.Row) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(municipalityHeader); err != nil {
		return err
	}
	for _, r := range rows {
		l := lineOf(r)
		rec := append([]string(nil), l.Text...)
		rec = append(rec, present.Date(l.SignedOn), l.Focal, present.Date(l.SentOn), l.Pending)
		for i := range rec {
			rec[i] = Safe(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
