// Package notices writes what a municipality and an URS are told: the
// notice of pendências ("Ofício/aviso de pendências") of one
// municipality (what is missing, the next step for each item, the dates
// known and whom to contact) and an URS's weekly digest (its pendentes,
// what changed since the last digest, who is one condition away). The
// page, the printed notice, the e-mail and the .eml file all take their
// words from here. Pure: the caller passes the evaluated rows, the
// settings and the follow-up log.
package notices

import (
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/guidance"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/settings"
	"github.com/ses-mg/telemonitor/internal/store"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// Item is one condition as the notice states it.
type Item struct {
	Condition conditions.Condition
	Name      string
	State     string // in words
	Pending   bool
	Since     time.Time // met since, for a cumprida condition
	Missing   string    // what is missing, for a pendente one
	Do        string    // the next step
	Contacts  []guidance.Contact
}

// Notice is the notice of one municipality on one day.
type Notice struct {
	Date         time.Time
	IBGE         string
	Municipality string
	URS          string
	Macro        string
	Nucleo       string
	Apto         bool
	AptoSince    time.Time
	Items        []Item // every condition, in the order of conditions.All
	Pending      int    // how many are pendente
	FinalStep    string // for an apto municipality: the data sent to the núcleo
	// Dates known from the follow-up log.
	LastContact time.Time
	Promised    time.Time // the latest date the municipality promised
	// Whom to contact.
	NucleoContact *guidance.Contact
	URSContact    guidance.Contact
	SESContact    guidance.Contact
	// Links from the settings ("" when not set).
	NominationForm, Moodle, MoodleManual, Platform, PlatformManual string
}

// Build writes the notice of row r on day at, with the settings and the
// municipality's follow-up log (any order).
func Build(r monitor.Row, set settings.Settings, log []store.Followup, at time.Time) Notice {
	n := Notice{Date: at, IBGE: r.Municipality.IBGE, Municipality: r.Name, URS: r.URS, Macro: r.MacroName, Nucleo: r.Nucleo(),
		Apto: r.Situation == conditions.Apto, AptoSince: r.AptoSince, NominationForm: set.NominationForm, Moodle: set.Moodle,
		MoodleManual: set.MoodleManual}
	if ct, ok := guidance.NucleoContactIn(set, n.Nucleo); ok {
		n.NucleoContact = &ct
	}
	if nc, ok := set.NucleoContact(n.Nucleo); ok {
		n.Platform, n.PlatformManual = nc.Platform, nc.Manual
	}
	esc := guidance.EscalationIn(set, r.URS)
	n.URSContact, n.SESContact = esc[0], esc[1]
	steps := map[conditions.Condition]guidance.Step{}
	for _, s := range guidance.NextStepsIn(set, r) {
		if s.Condition == "" {
			n.FinalStep = s.Do
			continue
		}
		steps[s.Condition] = s
	}
	for _, res := range r.Conditions {
		it := Item{Condition: res.Condition, Name: present.ConditionName[res.Condition], State: present.State[res.State],
			Pending: res.State == conditions.Pendente, Since: res.MetSince, Missing: res.Missing}
		if s, ok := steps[res.Condition]; ok {
			it.Do, it.Contacts = s.Do, s.Contacts
		}
		if it.Pending {
			n.Pending++
		}
		n.Items = append(n.Items, it)
	}
	k := Dates(log)[n.IBGE]
	n.LastContact, n.Promised = k.LastContact, k.Promised
	return n
}

// Subject is the e-mail subject of the notice.
func (n Notice) Subject() string {
	if n.Apto {
		return "Teleconsultoria SES-MG: " + n.Municipality + " está apto – " + present.Date(n.Date)
	}
	return "Teleconsultoria SES-MG: pendências de " + n.Municipality + " – " + present.Date(n.Date)
}

// PendingItems are the items still pendente.
func (n Notice) PendingItems() []Item {
	var out []Item
	for _, it := range n.Items {
		if it.Pending {
			out = append(out, it)
		}
	}
	return out
}

// NucleoName is the núcleo's full name ("" when the municipality has none).
func (n Notice) NucleoName() string {
	if nc, ok := territory.NucleoByCode(n.Nucleo); ok {
		return nc.Code + " – " + nc.FullName
	}
	return ""
}

// OneAway reports whether the row is a contemplated municipality with
// exactly one condition pendente.
func OneAway(r monitor.Row) bool {
	return r.Situation == conditions.PendenteSit && len(r.Missing()) == 1
}
