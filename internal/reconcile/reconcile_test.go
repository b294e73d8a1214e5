package reconcile

import (
	"strings"
	"testing"
)

const (
	cpf    = "52998224725"
	cpfSwp = "59298224725" // 2 and 9 swapped
	cpfOne = "52998224735" // one digit off
	other  = "11144477735"
)

// TestCandidatesOnNearMisses: each constructed near miss ranks the right
// professional first, with the evidence in words; unrelated people and
// the municipality alone are not proposed.
func TestCandidatesOnNearMisses(t *testing.T) {
	pros := []Professional{
		{IBGE: "3131703", Name: "Maria José da Conceição", CPF: cpf, Email: "maria.conceicao@gmail.com", CareLevel: "APS"},
		{IBGE: "3131703", Name: "João Pedro Alves", CPF: other, Email: "jpalves@yahoo.com.br", CareLevel: "APS"},
		{IBGE: "3106200", Name: "Ana Beatriz Souza", CPF: "01234567890", Email: "ana.souza@saude.mg.gov.br", CareLevel: "AAE"},
	}
	x := NewIndex(pros)
	tests := []struct {
		name     string
		c        Completion
		want     string // the first candidate's CPF, "" for none
		evidence string
	}{
		{"two CPF digits swapped", Completion{Name: "Maria Jose da Conceicao", CPF: cpfSwp}, cpf, "dois dígitos vizinhos trocados"},
		{"one CPF digit off", Completion{Name: "Outra Pessoa", CPF: cpfOne}, cpf, "difere em um dígito"},
		{"e-mail domain typo", Completion{Name: "M. Conceição", Email: "maria.conceicao@gmail.con"}, cpf, "gmail.con × gmail.com"},
		{"e-mail user typo, same name", Completion{Name: "MARIA JOSÉ DA CONCEIÇÃO", Email: "maria.conceicaoo@gmail.com"}, cpf, "mesmo nome"},
		{"accents and case only", Completion{Name: "joao pedro alves", Email: "jp@hotmail.com", IBGE: "3131703"}, other, "mesmo município"},
		{"same user, other provider", Completion{Name: "Ana B. Souza", Email: "ana.souza@gmail.com"}, "01234567890", "outro domínio"},
		{"a stranger in the same town", Completion{Name: "Carlos Eduardo Lima", Email: "carlos@x.com", IBGE: "3131703"}, "", ""},
		{"nobody alike", Completion{Name: "Pedro Henrique", CPF: "98765432100", Email: "ph@x.com"}, "", ""},
	}
	for _, tc := range tests {
		got := x.ForCompletion(tc.c, nil)
		if tc.want == "" {
			if len(got) != 0 {
				t.Errorf("%s: proposed %+v", tc.name, got)
			}
			continue
		}
		if len(got) == 0 || got[0].Item.CPF != tc.want {
			t.Errorf("%s: got %+v", tc.name, got)
			continue
		}
		if !strings.Contains(strings.Join(got[0].Evidence, "; "), tc.evidence) {
			t.Errorf("%s: evidence %v lacks %q", tc.name, got[0].Evidence, tc.evidence)
		}
	}
	// The reverse view: a professional without a completion finds it.
	cx := NewCompletionIndex([]Completion{{Name: "Maria Jose da Conceicao", CPF: cpfSwp}, {Name: "X Y", Email: "x@y.z"}})
	if got := cx.ForProfessional(pros[0]); len(got) != 1 || got[0].Item.CPF != cpfSwp {
		t.Errorf("completions for Maria: %+v", got)
	}
	// Scope: a URS sees only its municipalities' professionals.
	if got := x.ForCompletion(Completion{Name: "Ana Beatriz Souza"}, func(p Professional) bool { return p.IBGE == "3131703" }); len(got) != 0 {
		t.Errorf("out of scope proposed: %+v", got)
	}
}

func TestEditDistanceAndCPFNear(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"gmail.com", "gmail.con", 1}, {"abc", "abc", 0}, {"kitten", "sitting", 3}, {"", "ab", 2}} {
		if got := editDistance(tc.a, tc.b, 5); got != tc.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
	}
	if got := editDistance("kitten", "sitting", 1); got != 2 {
		t.Errorf("capped distance = %d, want 2 (limit+1)", got)
	}
	for _, tc := range []struct {
		a, b string
		ok   bool
	}{{cpf, cpfSwp, true}, {cpf, cpfOne, true}, {cpf, cpf, false}, {cpf, other, false}, {cpf, "529982247", false}} {
		if _, ok := cpfNear(tc.a, tc.b); ok != tc.ok {
			t.Errorf("cpfNear(%s, %s) = %v", tc.a, tc.b, ok)
		}
	}
}
