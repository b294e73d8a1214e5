package textnorm

import "testing"

func TestFold(t *testing.T) {
	tests := []struct{ in, fold, key string }{
		{"São João del-Rei", "sao joao del rei", "saojoaodelrei"},
		{"SAO JOAO DEL REI", "sao joao del rei", "saojoaodelrei"},
		{"Olhos-d'Água", "olhos d agua", "olhosdagua"},
		{"Hora\u00a0de  início:", "hora de inicio", "horadeinicio"},
		{"  ", "", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.fold {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.fold)
		}
		if got := Key(tt.in); got != tt.key {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.key)
		}
	}
}

func TestYesNo(t *testing.T) {
	tests := []struct {
		in        string
		value, ok bool
	}{
		{"Sim", true, true}, {"S", true, true}, {"Yes", true, true}, {"X", true, true}, {"1", true, true},
		{"Verdadeiro", true, true}, {"Assinado", true, true}, {"Não", false, true}, {"Nao", false, true},
		{"N", false, true}, {"No", false, true}, {"0", false, true}, {"", false, true}, {"talvez", false, false},
	}
	for _, tt := range tests {
		v, ok := YesNo(tt.in)
		if v != tt.value || ok != tt.ok {
			t.Errorf("YesNo(%q) = %v,%v want %v,%v", tt.in, v, ok, tt.value, tt.ok)
		}
	}
}

func TestClean(t *testing.T) {
	if got := Clean("  Maria\u00a0 da  Silva "); got != "Maria da Silva" {
		t.Errorf("Clean = %q", got)
	}
}
