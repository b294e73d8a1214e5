// Package textnorm folds free text typed by people (headers, municipality
// names, yes/no answers) into comparable keys: lower case, no accents, no
// punctuation, single spaces. Non-breaking spaces count as spaces.
package textnorm

import (
	"strings"
	"sync/atomic"
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

// latinLimit bounds the characters Fold folds one by one: ASCII, Latin-1
// and Latin Extended-A and B, where Portuguese text lives. None of them
// combines with another one in NFD, so a text made only of them folds
// character by character (foldLatin) as foldNFD folds it whole:
// TestFoldLatinAsNFD checks every one.
const latinLimit = 0x250

// latinFolded is what foldNFD makes of one character: letters and digits,
// lower case and without accents (out), or a word separator (sep). slow
// marks a character that folds to both, which foldLatin leaves to foldNFD.
type latinFolded struct {
	out       string
	sep, slow bool
}

// latinFolds holds, for each character from U+0080 below latinLimit, what
// it folds to, found the first time it is met (a process meets a few
// dozen of them; finding all of them at start would cost every command).
var latinFolds [latinLimit - utf8.RuneSelf]atomic.Pointer[latinFolded]

func latinFold(r rune) *latinFolded {
	p := &latinFolds[r-utf8.RuneSelf]
	if f := p.Load(); f != nil {
		return f
	}
	f := &latinFolded{}
	switch folded := foldNFD("a" + string(r) + "a"); { // the character between two letters
	case folded == "a a":
		f.sep = true
	case strings.HasPrefix(folded, "a") && strings.HasSuffix(folded, "a") && !strings.Contains(folded, " "):
		f.out = folded[1 : len(folded)-1]
	default:
		f.slow = true
	}
	p.Store(f)
	return f
}

// foldLatin is Fold of a text made only of characters below latinLimit;
// ok is false for any other text.
func foldLatin(s string) (string, bool) {
	folded := true
	for i := 0; i < len(s) && folded; i++ {
		c := s[i]
		folded = 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
	}
	if folded {
		return s, true // lower-case ASCII letters and digits only
	}
	b := make([]byte, 0, len(s))
	space := false
	word := func() {
		if space && len(b) > 0 {
			b = append(b, ' ')
		}
		space = false
	}
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			word()
			b = append(b, byte(r))
		case 'A' <= r && r <= 'Z':
			word()
			b = append(b, byte(r)+'a'-'A')
		case r < utf8.RuneSelf:
			space = true
		case r < latinLimit:
			f := latinFold(r)
			switch {
			case f.slow:
				return "", false
			case f.sep:
				space = true
			case f.out != "":
				word()
				b = append(b, f.out...)
			}
		default:
			return "", false
		}
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
