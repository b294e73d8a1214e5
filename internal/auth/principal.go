package auth

import (
	"fmt"

	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/store"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// Role is what a user is allowed to do.
type Role string

// The roles. The public (no login) is a nil *Principal.
const (
	Admin     Role = "admin"     // SES: everything, imports, users, audit log
	URS       Role = "urs"       // regional staff: one URS's municipalities
	Municipio Role = "municipio" // focal point: one municipality
)

// Label is the role in Portuguese.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "Administrador(a) SES-MG"
	case URS:
		return "Equipe da URS"
	case Municipio:
		return "Ponto focal municipal"
	}
	return string(r)
}

// Principal is the logged-in user a request acts for; nil is the public.
type Principal struct {
	UserID int64
	Email  string
	Role   Role
	URS    string // for URS
	IBGE   string // for Municipio
	CSRF   string // the session's CSRF token
}

// FromUser builds the principal of a stored user.
func FromUser(u store.User) *Principal {
	return &Principal{UserID: u.ID, Email: u.Email, Role: Role(u.Role), URS: u.URS, IBGE: u.IBGE}
}

// CheckScope checks a user's role and scope against the territory before
// the user is stored; it returns the municipality's 7-digit code (a 6-digit
// one is accepted).
func CheckScope(t *territory.Territory, role Role, urs, ibge string) (string, error) {
	switch role {
	case Admin:
		if urs != "" || ibge != "" {
			return "", fmt.Errorf("o perfil admin abrange todo o estado: não informe URS nem município")
		}
	case URS:
		if ibge != "" {
			return "", fmt.Errorf("o perfil urs não leva município")
		}
		for _, u := range t.URSs() {
			if u.Name == urs {
				return "", nil
			}
		}
		return "", fmt.Errorf("URS %q não existe (use o nome como no painel, ex.: Itabira)", urs)
	case Municipio:
		if urs != "" {
			return "", fmt.Errorf("o perfil municipio não leva URS")
		}
		m, ok := t.ByCode(ibge)
		if !ok {
			return "", fmt.Errorf("município %q não existe (use o código IBGE)", ibge)
		}
		return m.IBGE, nil
	default:
		return "", fmt.Errorf("perfil %q desconhecido (use admin, urs ou municipio)", role)
	}
	return "", nil
}

// CanSee reports whether p may see the personal data of municipality m.
func (p *Principal) CanSee(m territory.Municipality) bool {
	if p == nil {
		return false
	}
	switch p.Role {
	case Admin:
		return true
	case URS:
		return m.URS == p.URS
	case Municipio:
		return m.IBGE == p.IBGE
	}
	return false
}

// IsAdmin reports whether p is an SES administrator.
func (p *Principal) IsAdmin() bool { return p != nil && p.Role == Admin }

// Reveal says which personal values a role sees in full (records owns the
// type, so that the reports that mask by it need not import auth).
type Reveal = records.Reveal

// Reveal is the policy of p's role; lists on pages always mask e-mails.
func (p *Principal) Reveal() Reveal {
	if p == nil {
		return Reveal{}
	}
	return Reveal{CPF: p.Role == Admin, Contacts: true}
}

// ScopeLabel describes p's scope in Portuguese.
func (p *Principal) ScopeLabel(t *territory.Territory) string {
	switch p.Role {
	case URS:
		return "URS " + p.URS
	case Municipio:
		if m, ok := t.ByCode(p.IBGE); ok {
			return m.Name
		}
		return p.IBGE
	}
	return "Minas Gerais (todo o estado)"
}
