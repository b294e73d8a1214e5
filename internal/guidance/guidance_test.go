package guidance

import (
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/territory"
)

func row(sit conditions.Situation, nucleo string, sent time.Time, states map[conditions.Condition]conditions.State) monitor.Row {
	r := monitor.Row{Municipality: territory.Municipality{IBGE: "3131703", Name: "Itabira", URS: "Itabira"}}
	r.Situation, r.DataSentOn = sit, sent
	if sit != conditions.NaoContemplado {
		r.Coverage = &conditions.Coverage{Nucleo: nucleo}
	}
	for _, k := range conditions.All {
		if st, ok := states[k]; ok {
			r.Conditions = append(r.Conditions, conditions.Result{Condition: k, State: st})
		}
	}
	return r
}

func TestNextSteps(t *testing.T) {
	sent := time.Date(2024, 10, 27, 0, 0, 0, 0, time.UTC)
	all := func(st conditions.State) map[conditions.Condition]conditions.State {
		m := map[conditions.Condition]conditions.State{}
		for _, k := range conditions.All {
			m[k] = st
		}
		return m
	}
	tests := []struct {
		name     string
		row      monitor.Row
		want     []conditions.Condition // "" is the final step of an apto municipality
		contains []string
	}{
		{"not contemplated", row(conditions.NaoContemplado, "", time.Time{}, nil), nil, nil},
		{"everything missing", row(conditions.PendenteSit, "Feluma", time.Time{}, all(conditions.Pendente)),
			conditions.All, []string{"telessaude@feluma.org.br", "URS Itabira", territory.SESMailbox, "Microsoft Forms"}},
		{"only the AAE training", row(conditions.PendenteSit, "HC-UFMG", time.Time{}, map[conditions.Condition]conditions.State{
			conditions.Formalizacao: conditions.Cumprida, conditions.PontoFocal: conditions.Cumprida, conditions.CapacitacaoAPS: conditions.Cumprida,
			conditions.CapacitacaoAAE: conditions.Pendente, conditions.Planilha: conditions.Cumprida}),
			[]conditions.Condition{conditions.CapacitacaoAAE}, []string{"AAE", "telerregulacao.ctshc@ebserh.gov.br"}},
		{"apto, data not sent", row(conditions.Apto, "FM-UFMG", time.Time{}, all(conditions.Cumprida)),
			[]conditions.Condition{""}, []string{"A SES enviará"}},
		{"apto, data sent", row(conditions.Apto, "FM-UFMG", sent, all(conditions.Cumprida)),
			[]conditions.Condition{""}, []string{"27/10/2024", "apoio.nutelfm@gmail.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps := NextSteps(tt.row)
			var got []conditions.Condition
			var text strings.Builder
			for _, s := range steps {
				got = append(got, s.Condition)
				text.WriteString(s.Do)
				for _, c := range s.Contacts {
					text.WriteString(" " + c.Who + " " + c.Email)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("steps for %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("step %d for %s, want %s", i, got[i], tt.want[i])
				}
			}
			for _, c := range tt.contains {
				if !strings.Contains(text.String(), c) {
					t.Errorf("no %q in %s", c, text.String())
				}
			}
		})
	}
}

func TestProfessionalPath(t *testing.T) {
	done := func(steps []PathStep) string {
		var b strings.Builder
		for _, s := range steps {
			b.WriteString(s.Letter + ":" + s.Status + " ")
		}
		return strings.TrimSpace(b.String())
	}
	trained := monitor.Person{Trained: true, TrainedAt: time.Date(2024, 6, 21, 17, 44, 0, 0, time.UTC)}
	pending := row(conditions.PendenteSit, "Feluma", time.Time{}, map[conditions.Condition]conditions.State{conditions.Formalizacao: conditions.Pendente})
	apto := row(conditions.Apto, "Feluma", time.Time{}, nil)
	sent := row(conditions.Apto, "Feluma", time.Date(2024, 10, 27, 0, 0, 0, 0, time.UTC), nil)
	tests := []struct {
		p    monitor.Person
		r    monitor.Row
		want string
	}{
		{monitor.Person{}, pending, "a:não confirmado b:pendente c:pendente d:pendente"},
		{trained, pending, "a:feito b:feito c:pendente d:pendente"},
		{trained, apto, "a:feito b:feito c:feito d:pendente"},
		{trained, sent, "a:feito b:feito c:feito d:feito"},
	}
	for _, tt := range tests {
		steps := ProfessionalPath(tt.p, tt.r)
		if got := done(steps); got != tt.want {
			t.Errorf("got %s, want %s", got, tt.want)
		}
	}
	if s := ProfessionalPath(trained, pending); !strings.Contains(s[1].Text, "21/06/2024") || !strings.Contains(s[2].Text, "Formalização") {
		t.Errorf("texts: %q / %q", s[1].Text, s[2].Text)
	}
}
