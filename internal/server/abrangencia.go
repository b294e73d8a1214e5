package server

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/charts"
	"github.com/ses-mg/telemonitor/internal/guidance"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// nucleoGroup is a núcleo with the municipalities it serves.
type nucleoGroup struct {
	Contact guidance.Contact
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
	Contact   *guidance.Contact
	Groups    []nucleoGroup
	Conflicts []conflict
	Outside   int
}

// abrangenciaKey: the municipality searched for, by its code; a search
// that finds nothing is answered without being kept.
func (s *Server) abrangenciaKey(c *fiber.Ctx, _ *monitor.Snapshot) (string, error) {
	q := c.Query("municipio")
	if q == "" {
		return "-", nil
	}
	if m, ok := s.app.Territory.Resolve(q); ok {
		return m.IBGE, nil
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
		if m, ok := s.app.Territory.Resolve(d.Query); ok {
			// The found municipality's name fills the search box: the
			// cached page is the same for every spelling that finds it.
			r, _ := snap.Row(m.IBGE)
			d.Query = r.Name
			d.Found = &r
			if ct, ok := guidance.NucleoContact(r.Nucleo()); ok {
				d.Contact = &ct
			}
		}
	}
	for _, n := range territory.Nucleos {
		ct, _ := guidance.NucleoContact(n.Code)
		g := nucleoGroup{Contact: ct, Code: n.Code, Class: charts.NucleoClass(n.Code)}
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
	var contacts []guidance.Contact
	for _, n := range territory.Nucleos {
		ct, _ := guidance.NucleoContact(n.Code)
		contacts = append(contacts, ct)
	}
	return page{Name: "ajuda", Title: "Ajuda", Nav: "ajuda", Data: struct {
		Nucleos     []guidance.Contact
		SES         string
		Specialties []string
	}{contacts, territory.SESMailbox, specialties}}, nil
}

// specialties offered by the teleconsultation service (DOMAIN.md).
var specialties = []string{"Ginecologia", "Obstetrícia", "Mastologia", "Pediatria", "Endocrinologia", "Dermatologia", "Ortopedia",
	"Urologia", "Reumatologia", "Proctologia", "Cardiologia", "Neurologia", "Pneumologia", "Gastrenterologia", "Nefrologia", "Geriatria"}
