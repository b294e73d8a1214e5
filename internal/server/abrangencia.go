package server

import (
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/charts"
	"github.com/ses-mg/telemonitor/internal/guidance"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/territory"
	"github.com/ses-mg/telemonitor/internal/textnorm"
)

// contact is a núcleo's contact with its phone as a tel: link.
type contact struct {
	guidance.Contact
	Tel template.URL
}

func contactOf(c guidance.Contact) contact {
	return contact{Contact: c, Tel: telURL(c.Phone)}
}

// telURL is the tel: link of a Brazilian phone number as people write it
// ("(31) 3409-9677" → tel:+553134099677).
func telURL(phone string) template.URL {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)
	if digits == "" {
		return ""
	}
	return template.URL("tel:+55" + strings.TrimPrefix(digits, "0"))
}

// findMunicipalities resolves what a person typed: the municipality it
// names exactly (code or name, as Territory.Resolve), or else every
// municipality whose name contains it, accents, case, spaces and hyphens
// ignored ("sao joao" finds the eight São João…).
func findMunicipalities(t *territory.Territory, q string) []territory.Municipality {
	if m, ok := t.Resolve(q); ok {
		return []territory.Municipality{m}
	}
	key := textnorm.Key(q)
	if key == "" {
		return nil
	}
	var out []territory.Municipality
	for _, m := range t.Municipalities {
		if strings.Contains(textnorm.Key(m.Name), key) {
			out = append(out, m)
		}
	}
	return out
}

// nucleoGroup is a núcleo with the municipalities it serves.
type nucleoGroup struct {
	Contact contact
	Code    string
	Class   int // its colour class on the map (charts.NucleoClasses)
	Rows    []monitor.Row
}

type conflict struct {
	Row     monitor.Row
	Nucleos []string
}

type abrangenciaData struct {
	Map       template.HTML
	Legend    []charts.Class
	Query     string
	Searched  bool
	Found     *monitor.Row
	Matches   []monitor.Row // several municipalities contain what was typed
	Contact   *contact
	Groups    []nucleoGroup
	Conflicts []conflict
	Outside   int
}

// abrangenciaKey: the municipality searched for, by its code; a search
// that finds none or several is answered without being kept.
func (s *Server) abrangenciaKey(c *fiber.Ctx, _ *monitor.Snapshot) (string, error) {
	q := c.Query("municipio")
	if q == "" {
		return "-", nil
	}
	if found := findMunicipalities(s.app.Territory, q); len(found) == 1 {
		return found[0].IBGE, nil
	}
	return "", nil
}

func (s *Server) abrangencia(c *fiber.Ctx, snap *monitor.Snapshot) (page, error) {
	d := abrangenciaData{Legend: charts.NucleoClasses, Query: c.Query("municipio")}
	twice := map[string]bool{}
	for ibge, list := range snap.NucleoConflicts {
		twice[ibge] = true
		if r, ok := snap.Row(ibge); ok {
			d.Conflicts = append(d.Conflicts, conflict{r, list})
		}
	}
	var err error
	if d.Map, err = charts.NucleoMap("mapa-nucleos", snap.Rows, twice).HTML(); err != nil {
		return page{}, err
	}
	if d.Query != "" {
		d.Searched = true
		found := findMunicipalities(s.app.Territory, d.Query)
		switch {
		case len(found) == 1:
			// The found municipality's name fills the search box: the
			// cached page is the same for every spelling that finds it.
			r, _ := snap.Row(found[0].IBGE)
			d.Query = r.Name
			d.Found = &r
			if ct, ok := guidance.NucleoContact(r.Nucleo()); ok {
				ctv := contactOf(ct)
				d.Contact = &ctv
			}
		case len(found) > 1:
			for _, m := range found {
				r, _ := snap.Row(m.IBGE)
				d.Matches = append(d.Matches, r)
			}
		}
	}
	for _, n := range territory.Nucleos {
		ct, _ := guidance.NucleoContact(n.Code)
		g := nucleoGroup{Contact: contactOf(ct), Code: n.Code, Class: charts.NucleoClass(n.Code)}
		for _, r := range snap.Rows {
			if r.Nucleo() == n.Code {
				g.Rows = append(g.Rows, r)
			}
		}
		d.Groups = append(d.Groups, g)
	}
	for _, r := range snap.Rows {
		if r.Nucleo() == "" {
			d.Outside++
		}
	}
	return page{Name: "abrangencia", Title: "Regiões de abrangência", Nav: "abrangencia", Data: d}, nil
}

func (s *Server) ajuda(c *fiber.Ctx, _ *monitor.Snapshot) (page, error) {
	var contacts []contact
	for _, n := range territory.Nucleos {
		ct, _ := guidance.NucleoContact(n.Code)
		contacts = append(contacts, contactOf(ct))
	}
	return page{Name: "ajuda", Title: "Ajuda", Nav: "ajuda", Data: struct {
		Nucleos     []contact
		SES         string
		Specialties []string
	}{contacts, territory.SESMailbox, specialties}}, nil
}

// specialties offered by the teleconsultation service (DOMAIN.md).
var specialties = []string{"Ginecologia", "Obstetrícia", "Mastologia", "Pediatria", "Endocrinologia", "Dermatologia", "Ortopedia",
	"Urologia", "Reumatologia", "Proctologia", "Cardiologia", "Neurologia", "Pneumologia", "Gastrenterologia", "Nefrologia", "Geriatria"}
