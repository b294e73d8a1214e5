package textnorm

import (
	"strings"
	"testing"
)

// Every character below U+0250, alone and between others, folds as the
// NFD path folds it.
func TestFoldLatinAsNFD(t *testing.T) {
	for r := range rune(latinLimit) {
		for _, s := range []string{string(r), "São" + string(r) + "JOÃO", string(r) + " -x" + string(r), string(r) + string(r)} {
			got, ok := foldLatin(s)
			if want := foldNFD(s); !ok || got != want {
				t.Fatalf("%q (U+%04X): %q, NFD %q", s, r, got, want)
			}
		}
	}
	for _, s := range []string{"", "abc123", "ABC", "Código IBGE", "  Município: ", "e\u0301", "Ω", "\xff"} {
		if got, want := Fold(s), foldNFD(s); got != want {
			t.Errorf("Fold(%q) = %q, NFD %q", s, got, want)
		}
	}
	if _, ok := foldLatin("e\u0301"); ok { // a combining accent is not below U+0250
		t.Error("a combining mark took the Latin path")
	}
}

func FuzzFoldAsNFD(f *testing.F) {
	for _, s := range []string{"São João del-Rei", "Hora\u00a0de  início:", "Olhos-d'Água", "e\u0301", "ÆØÅ ß ǅ", strings.Repeat("x", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), foldNFD(s); got != want {
			t.Fatalf("Fold(%q) = %q, NFD %q", s, got, want)
		}
	})
}
