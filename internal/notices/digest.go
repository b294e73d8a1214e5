package notices

import (
	"bytes"
	"fmt"
	"text/template"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/store"
)

// DigestLine is one municipality in the digest.
type DigestLine struct {
	IBGE, Name  string
	Missing     string // the pendente conditions in words
	LastContact time.Time
	Promised    time.Time
}

// Known are the dates the follow-up log gives a municipality.
type Known struct {
	LastContact time.Time // the latest contact
	Promised    time.Time // the latest date the municipality promised
}

// Dates reads, per municipality, the dates of the follow-up log.
func Dates(log []store.Followup) map[string]Known {
	out := map[string]Known{}
	for _, f := range log {
		k := out[f.IBGE]
		if f.ContactedOn.After(k.LastContact) {
			k.LastContact = f.ContactedOn
		}
		if f.PromisedOn.After(k.Promised) {
			k.Promised = f.PromisedOn
		}
		out[f.IBGE] = k
	}
	return out
}

// ChangeLine is one change since the last digest.
type ChangeLine struct {
	Name, What string
}

// Digest is an URS's weekly digest.
type Digest struct {
	URS       string
	Date      time.Time
	Since     time.Time // the last digest (zero: the first one, changes over 7 days)
	Total     int
	Aptos     int
	Pendentes []DigestLine
	OneAway   []DigestLine
	Changes   []ChangeLine
}

// BuildDigest writes the digest of the URS from its contemplated rows, the
// follow-up log and the day of the last digest.
func BuildDigest(urs string, rows []monitor.Row, log []store.Followup, since, at time.Time) Digest {
	d := Digest{URS: urs, Date: at, Since: since}
	from := since
	if from.IsZero() {
		from = at.AddDate(0, 0, -7)
	}
	dates := Dates(log)
	var ours []monitor.Row
	for _, r := range rows {
		if r.URS != urs || r.Situation == conditions.NaoContemplado {
			continue
		}
		ours = append(ours, r)
		d.Total++
		if r.Situation == conditions.Apto {
			d.Aptos++
			continue
		}
		var names []conditions.Condition
		for _, m := range r.Missing() {
			names = append(names, m.Condition)
		}
		line := DigestLine{IBGE: r.Municipality.IBGE, Name: r.Name, Missing: present.ConditionList(names),
			LastContact: dates[r.Municipality.IBGE].LastContact, Promised: dates[r.Municipality.IBGE].Promised}
		d.Pendentes = append(d.Pendentes, line)
		if OneAway(r) {
			d.OneAway = append(d.OneAway, line)
		}
	}
	for _, diff := range monitor.Compare(ours, from, at) {
		d.Changes = append(d.Changes, ChangeLine{Name: diff.Name, What: describe(diff)})
	}
	return d
}

func describe(d monitor.Difference) string {
	switch d.Group {
	case monitor.BecameApto:
		return "ficou apto"
	case monitor.LeftApto:
		return "deixou de estar apto (" + present.ConditionList(d.Lost) + ")"
	case monitor.ConditionMet:
		return "cumpriu " + present.ConditionList(d.Met)
	}
	return "perdeu " + present.ConditionList(d.Lost)
}

// Subject is the digest's e-mail subject.
func (d Digest) Subject() string {
	return fmt.Sprintf("Teleconsultoria SES-MG: resumo semanal da URS %s – %s", d.URS, present.Date(d.Date))
}

var digestText = template.Must(template.New("resumo").Funcs(funcs).Parse(`Resumo semanal da URS {{.URS}} – {{date .Date}}

Municípios contemplados: {{.Total}} · aptos: {{.Aptos}} · pendentes: {{len .Pendentes}}

O que mudou {{if .Since.IsZero}}nos últimos 7 dias{{else}}desde o último resumo ({{date .Since}}){{end}}:
{{range .Changes}}- {{.Name}}: {{.What}}
{{else}}- nenhuma mudança.
{{end}}
Falta 1 condição ({{len .OneAway}}):
{{range .OneAway}}- {{.Name}}: falta {{.Missing}}
{{else}}- nenhum município.
{{end}}
Pendentes ({{len .Pendentes}}):
{{range .Pendentes}}- {{.Name}} ({{.IBGE}}): falta {{.Missing}}{{if not .LastContact.IsZero}}; último contato em {{date .LastContact}}{{else}}; sem contato registrado{{end}}{{if not .Promised.IsZero}}; prazo informado: {{date .Promised}}{{end}}
{{else}}- nenhum: todos os municípios da URS estão aptos.
{{end}}
A planilha anexa traz cada município com o que falta e o próximo passo. Os avisos por município podem ser enviados pelo painel, em Avisos de pendências.

Teleconsultoria SES-MG
`))

// Text is the digest as the plain-text body of an e-mail.
func (d Digest) Text() string {
	var b bytes.Buffer
	if err := digestText.Execute(&b, d); err != nil {
		panic(err)
	}
	return b.String()
}
