package territory

import "github.com/ses-mg/telemonitor/internal/textnorm"

// Nucleo is a núcleo de telessaúde, one of the three centres that answer
// teleconsultations. The contacts are those published by SES-MG (DOMAIN.md).
type Nucleo struct {
	Code     string // short name used everywhere: FM-UFMG, Feluma, HC-UFMG
	FullName string
	Phone    string
	Email    string
}

// Nucleos are the three núcleos of the programme.
var Nucleos = []Nucleo{
	{Code: "FM-UFMG", FullName: "Faculdade de Medicina – UFMG", Phone: "(31) 3409-9677", Email: "apoio.nutelfm@gmail.com"},
	{Code: "Feluma", FullName: "Fundação Lucas Machado", Phone: "(31) 99635-5502", Email: "telessaude@feluma.org.br"},
	{Code: "HC-UFMG", FullName: "Hospital das Clínicas – UFMG", Phone: "(31) 3307-9201", Email: "telerregulacao.ctshc@ebserh.gov.br"},
}

// SESMailbox is SES-MG's central teleconsultation mailbox, the last step of
// escalation.
const SESMailbox = "teleconsultoria@saude.mg.gov.br"

var nucleoNames = map[string]string{
	"fm ufmg": "FM-UFMG", "faculdade de medicina ufmg": "FM-UFMG", "nutel fm": "FM-UFMG", "faculdade de medicina": "FM-UFMG",
	"feluma": "Feluma", "fundacao lucas machado": "Feluma",
	"hc ufmg": "HC-UFMG", "hospital das clinicas ufmg": "HC-UFMG", "cts hc": "HC-UFMG", "hospital das clinicas": "HC-UFMG",
}

// ResolveNucleo maps the ways a núcleo is written to its short code.
func ResolveNucleo(text string) (string, bool) {
	code, ok := nucleoNames[textnorm.Fold(text)]
	return code, ok
}

// NucleoByCode returns the núcleo with that short code.
func NucleoByCode(code string) (Nucleo, bool) {
	for _, n := range Nucleos {
		if n.Code == code {
			return n, true
		}
	}
	return Nucleo{}, false
}
