// Package textnorm folds free text typed by people (headers, municipality
// names, yes/no answers) into comparable keys: lower case, no accents, no
// punctuation, single spaces. Non-breaking spaces count as spaces.
package textnorm

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s in lower case without accents, with every run of
// punctuation or white space turned into a single space and trimmed.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// Key is Fold without any separator at all, so that "Olhos-d'Água",
// "Olhos d Agua" and "OLHOS DAGUA" give the same key.
func Key(s string) string {
	return strings.ReplaceAll(Fold(s), " ", "")
}

// IsBlank reports whether s holds nothing but white space (NBSP included).
func IsBlank(s string) bool {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' }) == ""
}

// Clean trims s and collapses inner white space (NBSP included) to single
// spaces, keeping case and accents. Used for names shown back to people.
func Clean(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' }), " ")
}

// yes and no are the folded yes/no vocabularies of FORMATS.md.
var (
	yes = map[string]bool{"sim": true, "s": true, "yes": true, "y": true, "x": true, "1": true, "verdadeiro": true, "true": true, "assinado": true}
	no  = map[string]bool{"nao": true, "n": true, "no": true, "0": true, "falso": true, "false": true, "": true}
)

// YesNo interprets a yes/no cell. ok is false when the text is neither.
func YesNo(s string) (value, ok bool) {
	f := Fold(s)
	if yes[f] {
		return true, true
	}
	if no[f] {
		return false, true
	}
	return false, false
}
