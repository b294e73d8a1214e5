package territory

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/textnorm"
)

// aliases maps known alternative spellings (older IBGE names, common
// variants) to the official name's key.
var aliases = map[string]string{
	"Barão do Monte Alto":  "Barão de Monte Alto",
	"Brasópolis":           "Brazópolis",
	"Dona Eusébia":         "Dona Euzébia",
	"São Thomé das Letras": "São Tomé das Letras",
	"Olhos d'Água":         "Olhos-d'Água",
	"Passa-Vinte":          "Passa Vinte",
}

func (t *Territory) index() error {
	t.byCode = make(map[string]int, len(t.Municipalities))
	t.byCode6 = make(map[string]int, len(t.Municipalities))
	t.byKey = make(map[string]int, len(t.Municipalities)+len(aliases))
	for i, m := range t.Municipalities {
		t.byCode[m.IBGE] = i
		t.byCode6[m.IBGE6] = i
		k := textnorm.Key(m.Name)
		if j, dup := t.byKey[k]; dup {
			return fmt.Errorf("territory: %q and %q fold to the same key", m.Name, t.Municipalities[j].Name)
		}
		t.byKey[k] = i
	}
	for alt, official := range aliases {
		i, ok := t.byKey[textnorm.Key(official)]
		if !ok {
			return fmt.Errorf("territory: alias target %q is not a municipality", official)
		}
		t.byKey[textnorm.Key(alt)] = i
	}
	return nil
}

// stateSuffix matches "/MG", "- MG", "(MG)" and the like at the end of a name.
var stateSuffix = regexp.MustCompile(`(?i)\s*(/|-|–|\(|,)\s*([a-z]{2})\s*\)?\s*$`)

// Resolve finds the municipality a cell names: a 7- or 6-digit IBGE code,
// or a name compared without case, accents, hyphens, apostrophes or spaces,
// with known alternative spellings and an optional "/MG" suffix. A name
// carrying another state's suffix does not resolve.
func (t *Territory) Resolve(text string) (Municipality, bool) {
	s := strings.TrimSpace(textnorm.Clean(text))
	if s == "" {
		return Municipality{}, false
	}
	if code := ident.IBGE6(s); code != "" && isCode(s) {
		return t.ByCode(code)
	}
	if m := stateSuffix.FindStringSubmatch(s); m != nil {
		if !strings.EqualFold(m[2], "MG") {
			// "Abaeté - Centro" is not a state; only 2 letters reach here,
			// and the rest of Brazil's states are not MG.
			if _, isUF := ufs[strings.ToUpper(m[2])]; isUF {
				return Municipality{}, false
			}
		} else {
			s = s[:len(s)-len(m[0])]
		}
	}
	if i, ok := t.byKey[textnorm.Key(s)]; ok {
		return t.Municipalities[i], true
	}
	return Municipality{}, false
}

func isCode(s string) bool {
	d := strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r == ' ' {
			return -1
		}
		return r
	}, s)
	for _, r := range d {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

var ufs = map[string]struct{}{
	"AC": {}, "AL": {}, "AP": {}, "AM": {}, "BA": {}, "CE": {}, "DF": {}, "ES": {}, "GO": {}, "MA": {}, "MT": {}, "MS": {},
	"PA": {}, "PB": {}, "PR": {}, "PE": {}, "PI": {}, "RJ": {}, "RN": {}, "RS": {}, "RO": {}, "RR": {}, "SC": {}, "SP": {},
	"SE": {}, "TO": {},
}
