package notices

import (
	"bytes"
	"strings"
	"text/template"

	"github.com/ses-mg/telemonitor/internal/guidance"
	"github.com/ses-mg/telemonitor/internal/present"
)

var funcs = template.FuncMap{
	"date": present.Date,
	"contact": func(c guidance.Contact) string {
		s := c.Who
		if c.Phone != "" {
			s += " · tel. " + c.Phone
		}
		if c.Email != "" {
			s += " · " + c.Email
		}
		return s
	},
}

var noticeText = template.Must(template.New("aviso").Funcs(funcs).Parse(`Prezado(a) ponto focal de {{.Municipality}},

{{if .Apto}}{{.Municipality}} cumpre as condicionalidades da teleconsultoria da SES-MG{{if not .AptoSince.IsZero}} desde {{date .AptoSince}}{{end}}.
{{if .FinalStep}}
{{.FinalStep}}
{{end}}{{else}}Este é o aviso de pendências de {{.Municipality}} (URS {{.URS}}) na teleconsultoria da SES-MG, com a situação em {{date .Date}}. Para começar a usar o serviço, o município precisa cumprir as quatro condicionalidades da Deliberação CIB-SUS/MG nº 4.690/2024. {{if eq .Pending 1}}Falta 1 condição{{else}}Faltam {{.Pending}} condições{{end}}:
{{range $i, $it := .PendingItems}}
{{$it.Name}}: pendente
  O que falta: {{$it.Missing}}
  O que fazer: {{$it.Do}}
{{range $it.Contacts}}  Contato: {{contact .}}
{{end}}{{end}}{{end}}
Situação de cada condição:
{{range .Items}}- {{.Name}}: {{.State}}{{if not .Since.IsZero}} desde {{date .Since}}{{end}}
{{end}}{{if or (not .LastContact.IsZero) (not .Promised.IsZero)}}
Datas combinadas:{{if not .LastContact.IsZero}} último contato da URS em {{date .LastContact}}.{{end}}{{if not .Promised.IsZero}} Prazo informado pelo município: {{date .Promised}}.{{end}}
{{end}}{{if or .NominationForm .Moodle .MoodleManual .Platform}}
Endereços úteis:
{{if .NominationForm}}- Formulário de indicação do ponto focal: {{.NominationForm}}
{{end}}{{if .Moodle}}- Plataforma de capacitação (Moodle): {{.Moodle}}
{{end}}{{if .MoodleManual}}- Manual de cadastro no Moodle: {{.MoodleManual}}
{{end}}{{if .Platform}}- Plataforma de Telessaúde do núcleo {{.Nucleo}}: {{.Platform}}
{{end}}{{if .PlatformManual}}- Manual da plataforma do núcleo: {{.PlatformManual}}
{{end}}{{end}}
A quem recorrer:
{{with .NucleoContact}}- {{contact .}} (responde em até 3 dias úteis)
{{end}}- {{contact .URSContact}}
- {{contact .SESContact}}

A situação atualizada está no painel da teleconsultoria, na página do município.

Secretaria de Estado de Saúde de Minas Gerais
Teleconsultoria SES-MG
`))

// Text is the notice as the plain-text body of an e-mail.
func (n Notice) Text() string {
	var b bytes.Buffer
	if err := noticeText.Execute(&b, n); err != nil {
		panic(err) // the template is fixed; a failure is a defect the tests catch
	}
	return tidy(b.String())
}

// tidy drops runs of more than one blank line.
func tidy(s string) string {
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	return s
}
