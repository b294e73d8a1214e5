// Package textnorm folds free text typed by people (headers, municipality
// names, yes/no answers) into comparable keys: lower case, no accents, no
// punctuation, single spaces. Non-breaking spaces count as spaces.
package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s in lower case without accents, with every run of
// punctuation or white space turned into a single space and trimmed.
func Fold(s string) string {
	if f, ok := foldLatin(s); ok {
		return f
	}
	return foldNFD(s)
}

// foldNFD is Fold for any text: decomposed (NFD), combining marks dropped.
func foldNFD(s string) string {
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

// latinFold is what foldNFD makes of each character below U+0250 (ASCII,
// Latin-1 and Latin Extended-A and B, where Portuguese text lives): its
// letters and digits, lower case and without accents, or a separator.
// None of these characters combines with another one in NFD, so a text
// made only of them folds character by character (foldLatin), without
// normalizing the whole text first: TestFoldLatinAsNFD checks every one.
var latinFold = func() (t [0x250]struct {
	out string // the letters and digits the character folds to
	sep bool   // the character separates words (out is empty)
}) {
	for r := range rune(len(t)) {
		f := foldNFD("a" + string(r) + "a") // the character between two letters
		switch {
		case f == "a a":
			t[r].sep = true
		case strings.HasPrefix(f, "a") && strings.HasSuffix(f, "a") && !strings.Contains(f, " "):
			t[r].out = f[1 : len(f)-1]
		default:
			panic("textnorm: cannot fold " + string(r) + " alone")
		}
	}
	return t
}()

// foldLatin is Fold of a text made only of characters below U+0250; ok is
// false for any other text.
func foldLatin(s string) (string, bool) {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			ascii = false
			break
		}
	}
	if ascii {
		return s, true // already folded: lower-case letters and digits only
	}
	b := make([]byte, 0, len(s))
	space := false
	for _, r := range s {
		if r >= rune(len(latinFold)) {
			return "", false
		}
		f := &latinFold[r]
		if f.sep {
			space = true
			continue
		}
		if f.out == "" {
			continue
		}
		if space && len(b) > 0 {
			b = append(b, ' ')
		}
		space = false
		b = append(b, f.out...)
	}
	return string(b), true
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
