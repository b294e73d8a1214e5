package notices

import (
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/settings"
	"github.com/ses-mg/telemonitor/internal/store"
	"github.com/ses-mg/telemonitor/internal/territory"
)

var day = time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local)

func row(ibge, name string, states map[conditions.Condition]conditions.State, metSince time.Time) monitor.Row {
	r := monitor.Row{Municipality: territory.Municipality{IBGE: ibge, Name: name, URS: "Itabira", MacroName: "Centro"}}
	r.Coverage = &conditions.Coverage{Nucleo: "Feluma"}
	r.Situation = conditions.Apto
	for _, k := range conditions.All {
		res := conditions.Result{Condition: k, State: states[k]}
		if res.State == "" {
			res.State, res.MetSince = conditions.Cumprida, metSince
			res.Steps = []conditions.Step{{At: metSince, State: conditions.Cumprida}}
		}
		if res.State == conditions.Pendente {
			r.Situation = conditions.PendenteSit
			res.Missing = "Nenhum profissional da APS concluiu o 1º bloco."
		}
		r.Conditions = append(r.Conditions, res)
	}
	return r
}

func testSettings() settings.Settings {
	s := settings.Defaults()
	s.URS["Itabira"] = settings.URS{Email: "urs.itabira@saude.mg.gov.br", Phone: "(31) 3839-0000", Reference: "Maria Conceição"}
	s.Moodle = "https://moodle.saude.mg.gov.br"
	s.NominationForm = "https://forms.office.com/r/indicacao"
	return s
}

func TestNotice(t *testing.T) {
	r := row("3131703", "Itabira", map[conditions.Condition]conditions.State{conditions.CapacitacaoAPS: conditions.Pendente},
		time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local))
	log := []store.Followup{
		{IBGE: "3131703", ContactedOn: time.Date(2026, 11, 10, 0, 0, 0, 0, time.Local), PromisedOn: time.Date(2026, 12, 15, 0, 0, 0, 0, time.Local)},
		{IBGE: "3131703", ContactedOn: time.Date(2026, 11, 20, 0, 0, 0, 0, time.Local)},
		{IBGE: "3105400", ContactedOn: time.Date(2026, 11, 25, 0, 0, 0, 0, time.Local)}, // another municipality
	}
	n := Build(r, testSettings(), log, day)
	if n.Pending != 1 || !OneAway(r) || n.Apto {
		t.Fatalf("pending %d", n.Pending)
	}
	if want := "Teleconsultoria SES-MG: pendências de Itabira – 30/11/2026"; n.Subject() != want {
		t.Errorf("subject %q", n.Subject())
	}
	text := n.Text()
	for _, want := range []string{"Falta 1 condição", "Capacitação APS: pendente", "O que falta: Nenhum profissional da APS",
		"https://moodle.saude.mg.gov.br", "Formalização: Cumprida desde 02/03/2026", "último contato da URS em 20/11/2026",
		"Prazo informado pelo município: 15/12/2026", "URS Itabira (Unidade Regional de Saúde), referência: Maria Conceição · tel. (31) 3839-0000 · urs.itabira@saude.mg.gov.br",
		"telessaude@feluma.org.br", "teleconsultoria@saude.mg.gov.br"} {
		if !strings.Contains(text, want) {
			t.Errorf("notice lacks %q:\n%s", want, text)
		}
	}
	apto := Build(row("3105400", "Barão de Cocais", nil, time.Date(2026, 5, 4, 0, 0, 0, 0, time.Local)), testSettings(), nil, day)
	if !apto.Apto || !strings.Contains(apto.Subject(), "está apto") || strings.Contains(apto.Text(), "Falta") {
		t.Errorf("apto notice: %s\n%s", apto.Subject(), apto.Text())
	}
}

func TestDigest(t *testing.T) {
	lastWeek := day.AddDate(0, 0, -7)
	rows := []monitor.Row{
		row("3131703", "Itabira", map[conditions.Condition]conditions.State{conditions.CapacitacaoAPS: conditions.Pendente}, lastWeek.AddDate(0, 0, -30)),
		row("3105400", "Barão de Cocais", nil, lastWeek.AddDate(0, 0, 2)), // became apto this week
		row("3100203", "Abaeté", map[conditions.Condition]conditions.State{conditions.Formalizacao: conditions.Pendente,
			conditions.Planilha: conditions.Pendente}, lastWeek.AddDate(0, 0, -30)),
	}
	rows[0].Coverage.Nucleo, rows[2].URS = "HC-UFMG", "Divinópolis" // Abaeté is another URS's
	d := BuildDigest("Itabira", rows, []store.Followup{{IBGE: "3131703", ContactedOn: lastWeek}}, lastWeek, day)
	if d.Total != 2 || d.Aptos != 1 || len(d.Pendentes) != 1 || len(d.OneAway) != 1 || len(d.Changes) != 1 {
		t.Fatalf("digest %+v", d)
	}
	text := d.Text()
	for _, want := range []string{"Resumo semanal da URS Itabira – 30/11/2026", "desde o último resumo (23/11/2026)",
		"Barão de Cocais: ficou apto", "Itabira (3131703): falta Capacitação APS; último contato em 23/11/2026"} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Abaeté") {
		t.Error("another URS's municipality in the digest")
	}
}
