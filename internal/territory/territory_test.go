package territory

import (
	"os"
	"testing"
)

func load(t *testing.T) *Territory {
	t.Helper()
	m, err := os.Open("../../data/mg/municipios.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	r, err := os.Open("../../data/mg/regioes_saude.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tr, err := Load(m, r)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestCounts(t *testing.T) {
	tr := load(t)
	if n := len(tr.Municipalities); n != 853 {
		t.Errorf("municipalities = %d, want 853", n)
	}
	if n := len(tr.Macros()); n != 16 {
		t.Errorf("macros = %d, want 16", n)
	}
	if n := len(tr.Micros()); n != 89 {
		t.Errorf("micros = %d, want 89", n)
	}
	if n := len(tr.URSs()); n != 28 {
		t.Errorf("URS = %d, want 28", n)
	}
}

func TestResolve(t *testing.T) {
	tr := load(t)
	tests := []struct{ in, want string }{
		{"3162500", "São João del Rei"},
		{"316250", "São João del Rei"},
		{"SAO JOAO DEL REI", "São João del Rei"},
		{"São João del-Rei", "São João del Rei"},
		{"Sao Joao Del Rei", "São João del Rei"},
		{"Barão do Monte Alto", "Barão de Monte Alto"},
		{"Brasópolis", "Brazópolis"},
		{"Dona Eusébia", "Dona Euzébia"},
		{"São Thomé das Letras", "São Tomé das Letras"},
		{"Olhos d'Água", "Olhos-d'Água"},
		{"Pirajuba/MG", "Pirajuba"},
		{"ESTIVA - MG", "Estiva"},
		{"Abaeté/MG", "Abaeté"},
		{"  quartel  geral ", "Quartel Geral"},
		{"pecanha", "Peçanha"},
		{"Cidade Ocidental/GO", ""},
		{"Campinas", ""},
		{"3550308", ""},
		{"", ""},
	}
	for _, tt := range tests {
		m, ok := tr.Resolve(tt.in)
		if tt.want == "" {
			if ok {
				t.Errorf("Resolve(%q) = %s, want none", tt.in, m.Name)
			}
			continue
		}
		if !ok || m.Name != tt.want {
			t.Errorf("Resolve(%q) = %q,%v want %q", tt.in, m.Name, ok, tt.want)
		}
	}
}

func TestResolveNucleo(t *testing.T) {
	for in, want := range map[string]string{
		"FM-UFMG": "FM-UFMG", "Faculdade de Medicina - UFMG": "FM-UFMG", "NUTEL FM": "FM-UFMG",
		"Feluma": "Feluma", "Fundação Lucas Machado": "Feluma",
		"HC-UFMG": "HC-UFMG", "Hospital das Clínicas - UFMG": "HC-UFMG", "CTS HC": "HC-UFMG",
	} {
		if got, ok := ResolveNucleo(in); !ok || got != want {
			t.Errorf("ResolveNucleo(%q) = %q", in, got)
		}
	}
	if _, ok := ResolveNucleo("UFJF"); ok {
		t.Error("UFJF resolved")
	}
}
