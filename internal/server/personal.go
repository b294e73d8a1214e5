package server

import (
	"bytes"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/people"
	"github.com/ses-mg/telemonitor/internal/present"
)

type professionalsData struct {
	Row      monitor.Row
	Situacao string
	Focal    *focalContact
	People   []people.Professional
	Trained  int
	FullCPF  bool
	Received []receivedRows
}

// receivedRows are the rows of a file that were not (or not fully)
// accepted for the municipality, masked.
type receivedRows struct {
	receivedFile
	BatchID int64
	Header  []string
	Lines   []export.ScreenRow
}

type focalContact struct {
	Name, Role, Email, Phone string
	At                       time.Time
}

// professionals is a municipality's personal-data page: its focal point's
// contacts and its registered professionals (CPF and e-mail masked).
func (s *Server) professionals(c *fiber.Ctx) error {
	p, err := s.requireUser(c)
	if p == nil {
		return err
	}
	snap, err := s.app.Snapshot(c.UserContext())
	if err != nil {
		return err
	}
	r, ok := snap.Row(c.Params("ibge"))
	if !ok {
		return fiber.NewError(fiber.StatusNotFound, "Município não encontrado.")
	}
	if !p.CanSee(r.Municipality) {
		return s.deny(c, r.Municipality.IBGE)
	}
	rv := p.Reveal()
	rv.Contacts = false // lists on screen mask e-mails and phones
	list, err := people.Professionals(c.UserContext(), s.app.Store, snap, []monitor.Row{r}, rv)
	if err != nil {
		return err
	}
	d := professionalsData{Row: r, Situacao: present.Situation[r.Situation], People: list, FullCPF: rv.CPF}
	for _, pr := range list {
		if pr.Trained {
			d.Trained++
		}
	}
	fp, ok, err := people.FocalPoint(c.UserContext(), s.app.Store, r)
	if err != nil {
		return err
	}
	if ok {
		d.Focal = &focalContact{Name: fp.Name, Role: fp.Role, Email: fp.Email, Phone: fp.Phone, At: fp.CompletedAt}
	}
	if d.Received, err = s.receivedRows(c, r.Municipality.IBGE); err != nil {
		return err
	}
	if err := s.audit(c, audit.PersonalView, r.Municipality.IBGE, fmt.Sprintf("profissionais de %s (%d)", r.Name, len(list)), audit.OK); err != nil {
		return err
	}
	noStore(c)
	return s.render(c, page{Name: "profissionais", Title: "Profissionais de " + r.Name, Nav: "conta", Data: d})
}

// exportProfessionals serves the workbook with the Profissionais sheet for
// a scope the user is authorised for in full.
func (s *Server) exportProfessionals(c *fiber.Ctx) error {
	p, err := s.requireUser(c)
	if p == nil {
		return err
	}
	f := filterFromQuery(c)
	f.IBGE = c.Query("ibge")
	f.All = true
	if err := f.Validate(s.app.Territory); err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "Filtro inválido: "+err.Error())
	}
	snap, err := s.app.Snapshot(c.UserContext())
	if err != nil {
		return err
	}
	rows := snap.Select(f)
	for _, r := range rows {
		if !p.CanSee(r.Municipality) {
			return s.deny(c, "planilha "+export.Scope{Filter: f}.Describe())
		}
	}
	scope := export.Scope{Filter: f}
	if r, ok := snap.Row(f.IBGE); ok && f.IBGE != "" {
		scope.Name = r.Name
	}
	list, err := people.Professionals(c.UserContext(), s.app.Store, snap, rows, p.Reveal())
	if err != nil {
		return err
	}
	if scope.Focal, err = export.FocalContacts(c.UserContext(), s.app.Store, rows, p.Reveal()); err != nil {
		return err
	}
	now := time.Now()
	var buf bytes.Buffer
	if err := export.WriteXLSXProfessionals(&buf, scope, rows, now, list); err != nil {
		return err
	}
	name := export.FileName(scope, now, "xlsx")
	if err := s.audit(c, audit.Export, name, fmt.Sprintf("planilha com profissionais: %s, %d municípios, %d profissionais%s",
		scope.Describe(), len(rows), len(list), cpfNote(p)), audit.OK); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsxType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	noStore(c)
	return c.Send(buf.Bytes())
}

func cpfNote(p *auth.Principal) string {
	if p.Reveal().CPF {
		return ", CPF completo"
	}
	return ", CPF mascarado"
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// receivedRows reads back, from the original files, the municipality's
// rows that were not accepted or came with a warning.
func (s *Server) receivedRows(c *fiber.Ctx, ibge string) ([]receivedRows, error) {
	received, err := s.app.Store.ReceivedFor(c.UserContext(), ibge)
	if err != nil {
		return nil, err
	}
	var out []receivedRows
	for _, rc := range received {
		b, content, err := s.app.Store.Batch(c.UserContext(), rc.BatchID)
		if err != nil {
			return nil, err
		}
		rows, err := s.app.Ingest.IssueRows(b, content, rc.Issues)
		if err != nil {
			return nil, err
		}
		rr := receivedRows{receivedFile: describeReceived(rc), BatchID: rc.BatchID}
		rr.Header, rr.Lines = export.ScreenRows(rows)
		out = append(out, rr)
	}
	return out, nil
}
