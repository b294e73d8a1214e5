package server

import (
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/charts"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/guidance"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/store"
)

// checkItem is one condition on the municipality's checklist.
type checkItem struct {
	Name     string
	State    string
	Code     string // cumprida, pendente, suspensa, nao_se_aplica
	Evidence []evidenceLine
	Missing  string
	Step     *guidance.Step
}

type evidenceLine struct {
	Text string
	Date time.Time
	File string
	Row  int
}

type historyLine struct {
	At   time.Time
	Text string
}

type municipioData struct {
	Row        monitor.Row
	Situacao   string
	Class      int
	Items      []checkItem
	Steps      []guidance.Step
	FocalPoint string
	Counts     conditions.Counts
	Nucleo     *guidance.Contact
	Escalation []guidance.Contact
	AptoSince  time.Time
	History    []historyLine
	Conflict   []string
}

func (s *Server) municipio(c *fiber.Ctx, snap *monitor.Snapshot) (page, error) {
	r, err := municipioParam(c, snap)
	if err != nil {
		return page{}, err
	}
	d := municipioData{Row: r, Situacao: present.Situation[r.Situation], Counts: r.Counts, Escalation: guidance.Escalation(r.URS),
		Conflict: snap.NucleoConflicts[r.Municipality.IBGE]}
	d.Class = charts.ClassOf(r)
	if r.FocalPoint != nil {
		d.FocalPoint = r.FocalPoint.Name
	}
	if n, ok := guidance.NucleoContact(r.Nucleo()); ok {
		d.Nucleo = &n
	}
	d.Steps = guidance.NextSteps(r)
	for _, res := range r.Conditions {
		it := checkItem{Name: present.ConditionName[res.Condition], State: present.State[res.State], Code: string(res.State), Missing: res.Missing}
		for _, e := range res.Evidence {
			it.Evidence = append(it.Evidence, evidenceLine{Text: e.Text, Date: e.Date, File: filepath.Base(e.Source.File), Row: e.Source.Row})
		}
		for i := range d.Steps {
			if d.Steps[i].Condition == res.Condition {
				it.Step = &d.Steps[i]
			}
		}
		d.Items = append(d.Items, it)
	}
	history, err := s.app.Store.History(c.UserContext(), r.Municipality.IBGE)
	if err != nil {
		return page{}, err
	}
	if since, ok := monitor.AptoSince(history); ok {
		d.AptoSince = since
	}
	d.History = describeHistory(history)
	if !r.DataSentOn.IsZero() {
		d.History = append(d.History, historyLine{At: r.DataSentOn, Text: "Dados dos profissionais enviados ao núcleo."})
	}
	return page{Name: "municipio", Title: r.Name, Data: d}, nil
}

// describeHistory puts the recorded changes in words, oldest first.
func describeHistory(history []store.HistoryRow) []historyLine {
	var out []historyLine
	for _, e := range monitor.Events(history) {
		var text string
		switch {
		case e.What == "situacao" && e.To == string(conditions.Apto):
			text = "O município ficou apto."
		case e.What == "situacao" && e.From == string(conditions.Apto):
			text = "O município deixou de estar apto (" + present.Situation[conditions.Situation(e.To)] + ")."
		case e.What == "situacao" && e.From == "":
			text = "Primeira avaliação: " + present.Situation[conditions.Situation(e.To)] + "."
		case e.What == "situacao":
			text = "Situação: " + present.Situation[conditions.Situation(e.To)] + "."
		case e.To == string(conditions.Cumprida):
			text = present.ConditionName[conditions.Condition(e.What)] + ": cumprida."
		case e.From == string(conditions.Cumprida):
			text = present.ConditionName[conditions.Condition(e.What)] + ": voltou a ficar " + present.State[conditions.State(e.To)] + "."
		default:
			continue
		}
		out = append(out, historyLine{At: e.At, Text: text})
	}
	return out
}
