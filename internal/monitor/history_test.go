package monitor

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/store"
)

func TestSituationOnAndAptoSince(t *testing.T) {
	d := func(m, day int) time.Time { return time.Date(2024, time.Month(m), day, 10, 0, 0, 0, time.Local) }
	h := []store.HistoryRow{
		{At: d(5, 1), Situacao: "pendente"},
		{At: d(6, 1), Situacao: "apto"},
		{At: d(7, 1), Situacao: "pendente"},
		{At: d(8, 1), Situacao: "apto"},
		{At: d(9, 1), Situacao: "apto", Planilha: "cumprida"},
	}
	tests := []struct {
		on   time.Time
		want conditions.Situation
	}{
		{d(4, 30), conditions.NaoContemplado},
		{d(5, 1), conditions.PendenteSit},
		{d(6, 15), conditions.Apto},
		{d(7, 1), conditions.PendenteSit},
		{d(12, 1), conditions.Apto},
	}
	for _, tt := range tests {
		if got := SituationOn(h, tt.on); got != tt.want {
			t.Errorf("on %s: %s, want %s", tt.on.Format("02/01"), got, tt.want)
		}
	}
	since, ok := AptoSince(h)
	if !ok || !since.Equal(d(8, 1)) {
		t.Errorf("apto since %v %v", since, ok)
	}
	if _, ok := AptoSince(h[:3]); ok {
		t.Error("pendente now but apto since reported")
	}
}

func TestAptosOverTime(t *testing.T) {
	d := func(day, hour int) time.Time { return time.Date(2024, 9, day, hour, 0, 0, 0, time.UTC) }
	h := []store.HistoryRow{
		{IBGE: "A", At: d(1, 9), Situacao: "pendente"},
		{IBGE: "B", At: d(1, 9), Situacao: "apto"},
		{IBGE: "A", At: d(1, 15), Situacao: "apto"},
		{IBGE: "C", At: d(3, 10), Situacao: "apto"},
		{IBGE: "B", At: d(5, 8), Situacao: "pendente"},
	}
	all := func(string) bool { return true }
	got := AptosOverTime(h, all)
	want := []Point{{d(1, 0), 2}, {d(3, 0), 3}, {d(5, 0), 2}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if !got[i].Date.Equal(want[i].Date) || got[i].Aptos != want[i].Aptos {
			t.Errorf("point %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	onlyB := AptosOverTime(h, func(ibge string) bool { return ibge == "B" })
	if onlyB[0].Aptos != 1 || onlyB[1].Aptos != 1 || onlyB[2].Aptos != 0 {
		t.Errorf("filtered = %+v", onlyB)
	}
}

func TestEvents(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2024, 9, day, 10, 0, 0, 0, time.UTC) }
	h := []store.HistoryRow{
		{At: d(1), Formalizacao: "pendente", PontoFocal: "pendente", CapacitacaoAPS: "pendente", CapacitacaoAAE: "nao_se_aplica", Planilha: "pendente", Situacao: "pendente"},
		{At: d(2), Formalizacao: "cumprida", PontoFocal: "pendente", CapacitacaoAPS: "pendente", CapacitacaoAAE: "nao_se_aplica", Planilha: "pendente", Situacao: "pendente"},
		{At: d(4), Formalizacao: "cumprida", PontoFocal: "cumprida", CapacitacaoAPS: "cumprida", CapacitacaoAAE: "nao_se_aplica", Planilha: "cumprida", Situacao: "apto"},
	}
	ev := Events(h)
	var got []string
	for _, e := range ev {
		got = append(got, fmt.Sprintf("%d:%s:%s>%s", e.At.Day(), e.What, e.From, e.To))
	}
	want := "1:formalizacao:>pendente 1:ponto_focal:>pendente 1:capacitacao_aps:>pendente 1:capacitacao_aae:>nao_se_aplica 1:planilha:>pendente 1:situacao:>pendente " +
		"2:formalizacao:pendente>cumprida " +
		"4:ponto_focal:pendente>cumprida 4:capacitacao_aps:pendente>cumprida 4:planilha:pendente>cumprida 4:situacao:pendente>apto"
	if strings.Join(got, " ") != want {
		t.Errorf("events =\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
}
