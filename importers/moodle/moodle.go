// Package moodle imports Block-1 completions from the state's Moodle, in
// its two real exports: the course completion report
// (completion-<course>-<date>-comma_separated.csv, whose last column
// "Course complete" holds the completion date) and a Report builder custom
// report (course name, "Completed", "Time completed" as long text).
//
// Rows without a completion date and rows of courses outside Block 1 are
// not records and not errors: they are counted as ignored.
package moodle

import (
	"path/filepath"
	"regexp"

	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/textnorm"
)

// Descriptor declares the moodle kind of file.
var Descriptor = common.Importer{Kind: records.Moodle, Spec: spec(), ParseSheet: parseSheet}

// spec is the header of the kind's sheets (also how the kind is recognised).
func spec() table.Spec {
	return table.Spec{
		Fields: []table.Field{
			{Key: "id", Names: []string{"ID"}},
			{Key: "nome", Names: []string{"Name", "Nome", "Full name", "Nome completo", "Full name with link"}},
			{Key: "email", Names: []string{"Email address", "Endereço de email", "Endereço de e-mail", "Email", "E-mail"}},
			{Key: "cpf", Names: []string{"CPF"}},
			{Key: "curso_breve", Names: []string{"Course short name", "Nome breve do curso"}},
			{Key: "curso", Names: []string{"Course full name", "Nome completo do curso", "Course full name with link", "Course"}},
			{Key: "concluido", Names: []string{"Completed", "Concluído"}},
			{Key: "hora", Names: []string{"Time completed", "Data de conclusão do curso", "Concluído em"}},
			{Key: "curso_concluido", Names: []string{"Course complete", "Curso concluído"}},
			// Optional profile fields: the person's municipality, evidence
			// for reconciling a completion that matches nobody.
			common.MunicipalityFields[0], common.MunicipalityFields[1],
		},
		Required: [][]string{{"nome", "email", "cpf"}, {"hora", "curso_concluido"}},
	}
}

var completionFile = regexp.MustCompile(`^completion-(.+)-\d{8}_\d{4}-comma_separated`)

// parseSheet reads the data rows of one sheet whose header was found.
func parseSheet(ctx *common.Context, sc *table.Scanner, sheet string, res *records.Result) error {
	h := sc.Head
	dateKey := "hora"
	if h.Has("curso_concluido") {
		dateKey = "curso_concluido"
	}
	fileCourse := ctx.Course
	if m := completionFile.FindStringSubmatch(filepath.Base(ctx.FileName)); m != nil && fileCourse == "" {
		fileCourse = m[1]
	}
	if !h.Has("curso_breve") && !h.Has("curso") && fileCourse == "" {
		return &table.FileError{Msg: "não foi possível saber o curso deste relatório do Moodle: o nome do arquivo não segue " +
			"o padrão completion-<curso>-<data>-comma_separated.csv e não há coluna de curso; informe o curso (--course)"}
	}
	return sc.Each(func(r table.Row) error {
		res.RowsRead++
		w := common.Where(sheet, r)
		course := fileCourse
		if c := h.Get(r, "curso_breve"); c != "" {
			course = c
		}
		if !ctx.Config.IsBlock1(course) && !ctx.Config.IsBlock1(h.Get(r, "curso")) {
			res.Ignore(records.CursoForaDoBloco1)
			return nil
		}
		raw := h.Get(r, dateKey)
		if raw == "" {
			// Started, not finished: not a completion, but the person is
			// told to finish rather than to register.
			res.Ignore(records.SemDataConclusao)
			res.Starts = append(res.Starts, person(ctx, h, r, w, course))
			return nil
		}
		at, ok := table.ParseDate(raw)
		if !ok {
			res.Reject(w, h.Name(dateKey), records.DataInvalida, "Data de conclusão %q não reconhecida.", raw)
			return nil
		}
		c := person(ctx, h, r, w, course)
		c.CompletedAt = at
		res.Accepted++
		res.Completions = append(res.Completions, c)
		return nil
	})
}

// person reads a Block-1 row's person: name, CPF and e-mail when valid,
// Moodle id, and the municipality when the report has one that resolves
// (never a reason to reject: it is only evidence).
func person(ctx *common.Context, h table.Header, r table.Row, w records.Where, course string) records.Completion {
	c := records.Completion{Where: w, Course: course, Name: textnorm.Clean(h.Get(r, "nome")), MoodleID: h.Get(r, "id")}
	if c.Course == "" {
		c.Course = h.Get(r, "curso")
	}
	if cpf := common.Identifier(r, h.Col("cpf"), ident.CPF); cpf.Valid {
		c.CPF = cpf.Canonical
	}
	if e := ident.Email(h.Get(r, "email")); e.Valid {
		c.Email = e.Canonical
	}
	if h.Has(common.KeyMunicipio) || h.Has(common.KeyIBGE) {
		if m, _, ok := common.ResolveRow(ctx, h, r, ""); ok {
			c.IBGE = m.IBGE
		}
	}
	return c
}
