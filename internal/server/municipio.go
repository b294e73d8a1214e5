package server

import (
	"path/filepath"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/charts"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/guidance"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/sla"
	"github.com/ses-mg/telemonitor/internal/store"
)

// checkItem is one condition on the municipality's checklist.
type checkItem struct {
	Condition conditions.Condition
	Name      string
	State     string
	Code      string // cumprida, pendente, suspensa, nao_se_aplica
	Evidence  []evidenceLine
	Missing   string
	Step      *guidance.Step
	// MetSince is when the condition became cumprida, by its evidence;
	// Recorded is when that evidence was imported, and from which file.
	MetSince time.Time
	Recorded time.Time
	File     string
	// Received: files that brought rows for this condition and were not
	// (or not fully) accepted.
	Received []receivedFile
}

// receivedFile is "we received X on dd/mm/aaaa, but …": counts and reasons
// in words, no personal data (the rows themselves are on the personal
// page).
type receivedFile struct {
	What     string
	File     string
	At       time.Time
	Accepted int
	Rejected []reasonCount
	Warned   []reasonCount
}

type reasonCount struct {
	Reason string
	Count  int
}

type evidenceLine struct {
	Text string
	Date time.Time
	File string
	Row  int
}

type historyLine struct {
	At       time.Time // by evidence
	Text     string
	Recorded time.Time // when the record was imported ("registrado em")
	File     string
	Batch    int64
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
	Received   []receivedFile // the ones of no condition (envio)
	Use        *municipalUse  // teleconsultations asked by the municipality
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
		it := checkItem{Condition: res.Condition, Name: present.ConditionName[res.Condition], State: present.State[res.State], Code: string(res.State), Missing: res.Missing,
			MetSince: res.MetSince, Recorded: res.MetSource.ImportedAt(), File: filepath.Base(res.MetSource.File())}
		for _, e := range res.Evidence {
			it.Evidence = append(it.Evidence, evidenceLine{Text: e.Text, Date: e.Date, File: filepath.Base(e.Source.File()), Row: e.Source.Row})
		}
		for i := range d.Steps {
			if d.Steps[i].Condition == res.Condition {
				it.Step = &d.Steps[i]
			}
		}
		d.Items = append(d.Items, it)
	}
	received, err := s.app.Store.ReceivedFor(c.UserContext(), r.Municipality.IBGE)
	if err != nil {
		return page{}, err
	}
	for _, rc := range received {
		rf := describeReceived(rc)
		placed := false
		for i := range d.Items {
			if d.Items[i].Condition == receivedCondition[rc.Kind] {
				d.Items[i].Received = append(d.Items[i].Received, rf)
				placed = true
			}
		}
		if !placed {
			d.Received = append(d.Received, rf)
		}
	}
	if d.Use, err = s.municipalUse(c, r.Municipality.IBGE); err != nil {
		return page{}, err
	}
	d.AptoSince = r.AptoSince
	d.History = describeHistory(monitor.Timeline(r.Evaluation))
	if !r.DataSentOn.IsZero() {
		d.History = append(d.History, historyLine{At: r.DataSentOn, Text: "Dados dos profissionais enviados ao núcleo."})
		sort.SliceStable(d.History, func(i, j int) bool { return d.History[i].At.Before(d.History[j].At) })
	}
	return page{Name: "municipio", Title: r.Name, Data: d}, nil
}

// receivedCondition is the condition a kind of file's rows are evidence
// for.
var receivedCondition = map[records.Kind]conditions.Condition{
	records.Formalizacao: conditions.Formalizacao,
	records.PontoFocal:   conditions.PontoFocal,
	records.Cadastro:     conditions.Planilha,
}

// describeReceived counts a file's issues by reason, in words.
func describeReceived(rc store.Received) receivedFile {
	rf := receivedFile{What: present.KindLabel(rc.Kind), File: filepath.Base(rc.FileName), At: rc.ImportedAt, Accepted: rc.Accepted}
	count := func(list *[]reasonCount, reason string) {
		for i := range *list {
			if (*list)[i].Reason == reason {
				(*list)[i].Count++
				return
			}
		}
		*list = append(*list, reasonCount{reason, 1})
	}
	for _, i := range rc.Issues {
		if i.Severity == records.Error {
			count(&rf.Rejected, export.Reason(i))
		} else {
			count(&rf.Warned, export.Reason(i))
		}
	}
	return rf
}

// describeHistory puts the changes, by evidence time, in words, oldest
// first, each with the file it came from and when that was imported.
func describeHistory(changes []monitor.Change) []historyLine {
	var out []historyLine
	for _, e := range changes {
		var text string
		switch {
		case e.What == monitor.Situacao && e.To == string(conditions.Apto):
			text = "O município ficou apto."
		case e.What == monitor.Situacao && e.From == string(conditions.Apto):
			text = "O município deixou de estar apto (" + present.Situation[conditions.Situation(e.To)] + ")."
		case e.What == monitor.Situacao:
			continue
		case e.To == string(conditions.Cumprida):
			text = present.ConditionName[conditions.Condition(e.What)] + ": cumprida."
		case e.From == string(conditions.Cumprida):
			text = present.ConditionName[conditions.Condition(e.What)] + ": voltou a ficar " + present.State[conditions.State(e.To)] + "."
		default:
			continue
		}
		out = append(out, historyLine{At: e.At, Text: text, Recorded: e.Source.ImportedAt(), File: filepath.Base(e.Source.File()), Batch: e.Source.BatchID()})
	}
	return out
}

// municipalUse is the service the municipality has used: requests per
// month and the specialties asked, with the núcleos' answers within 72 h
// (no personal data). Nil when it has asked nothing.
type municipalUse struct {
	Total       int
	Months      []useMonth
	Specialties []useSpecialty
	At          time.Time // what "overdue" is judged at: the latest time in the data
}

type useMonth struct {
	Month    string // mm/aaaa
	Requests int
}

type useSpecialty struct {
	Name                           string
	Requests, Answered72h, Overdue int
	Pct                            string
}

func (s *Server) municipalUse(c *fiber.Ctx, ibge string) (*municipalUse, error) {
	reqs, at, _, err := s.teleRequests(c.UserContext(), store.RequestFilter{IBGE: ibge})
	if err != nil || len(reqs) == 0 {
		return nil, err
	}
	u := &municipalUse{At: at}
	months := sla.MonthlyUse(reqs, sla.Options{})[ibge]
	keys := make([]string, 0, len(months))
	for m := range months {
		keys = append(keys, m)
	}
	sort.Strings(keys)
	for _, m := range keys {
		u.Months = append(u.Months, useMonth{Month: monthLabel(m), Requests: months[m]})
		u.Total += months[m]
	}
	for _, row := range sla.Compute(reqs, sla.Options{At: at, By: []sla.Dim{sla.ByEspecialidade}}) {
		u.Specialties = append(u.Specialties, useSpecialty{Name: row.Keys[0], Requests: row.Solicitacoes,
			Answered72h: row.Respondidas72h, Overdue: row.EmAtraso, Pct: pctText(row.Pct72h)})
	}
	sort.SliceStable(u.Specialties, func(i, j int) bool { return u.Specialties[i].Requests > u.Specialties[j].Requests })
	return u, nil
}
