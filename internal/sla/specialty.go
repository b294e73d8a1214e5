package sla

import "github.com/ses-mg/telemonitor/internal/textnorm"

// Specialties are the 16 specialties the service offers (DOMAIN.md).
var Specialties = []string{"Ginecologia", "Obstetrícia", "Mastologia", "Pediatria", "Endocrinologia", "Dermatologia",
	"Ortopedia", "Urologia", "Reumatologia", "Proctologia", "Cardiologia", "Neurologia", "Pneumologia",
	"Gastrenterologia", "Nefrologia", "Geriatria"}

var specialtyKeys = func() map[string]string {
	m := make(map[string]string, len(Specialties)+1)
	for _, s := range Specialties {
		m[textnorm.Key(s)] = s
	}
	// Spellings seen in the núcleos' platforms.
	m["gastroenterologia"] = "Gastrenterologia"
	return m
}()

// ResolveSpecialty maps a specialty as written (any case, accents,
// punctuation) to its canonical name; ok is false for anything else.
func ResolveSpecialty(s string) (string, bool) {
	c, ok := specialtyKeys[textnorm.Key(s)]
	return c, ok
}
