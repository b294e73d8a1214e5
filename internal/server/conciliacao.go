package server

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/reconcile"
	"github.com/ses-mg/telemonitor/internal/store"
)

// The reconciliation desk: URS staff (their municipalities) and SES admins
// (all) see the Block-1 completions that match nobody and the registered
// professionals without a completion, with ranked candidates, and confirm
// or undo links. A candidate is never applied by itself.

// deskPageSize bounds the cards of one page.
const deskPageSize = 40

type deskCompletion struct {
	reconcile.Completion
	Who        string // name and masked identifiers
	Town       string // the municipality the Moodle report gives
	Candidates []deskCandidate
}

type deskCandidate struct {
	Course, PersonKey string // the completion, for the form
	Who               string
	IBGE              string
	Town              string
	CPF               string // the professional's, for the form
	Score             int
	Evidence          string
	Reason            string // the evidence as the link's default reason
}

type deskProfessional struct {
	Who        string
	Town       string
	IBGE, CPF  string
	Candidates []deskCompletionCandidate
}

type deskCompletionCandidate struct {
	Who               string
	Course, PersonKey string
	Evidence, Reason  string
}

type deskLink struct {
	store.LinkRow
	Completion, Professional, Town string
	CanUndo                        bool
}

type deskData struct {
	View          string // "conclusoes" or "profissionais"
	Completions   []deskCompletion
	Professionals []deskProfessional
	Total         int // of the view, before paging
	Unmatched     int // every unmatched completion (state-wide)
	Page, Pages   int
	Prev, Next    int
	Links         []deskLink
	Message       string
	PageURL       string
}

// deskMessages are the outcomes shown after a link or an undo (a fixed
// list: the address never carries text to show).
var deskMessages = map[string]string{
	"vinculado": "Vínculo confirmado: a conclusão passa a contar para o profissional, e a situação do município foi recalculada.",
	"existente": "Este vínculo já estava confirmado.",
	"desfeito":  "Vínculo desfeito: a conclusão deixa de contar para o profissional.",
}

// requireDesk lets URS and admin users in.
func (s *Server) requireDesk(c *fiber.Ctx) (*auth.Principal, error) {
	p, err := s.requireUser(c)
	if p == nil {
		return nil, err
	}
	if !p.IsAdmin() && p.URS == "" {
		return nil, s.deny(c, "conciliacao")
	}
	return p, nil
}

func (s *Server) inScopeFunc(p *auth.Principal) func(string) bool {
	if p.IsAdmin() {
		return nil
	}
	return func(ibge string) bool {
		m, ok := s.app.Territory.ByCode(ibge)
		return ok && p.CanSee(m)
	}
}

func (s *Server) townName(ibge string) string {
	if m, ok := s.app.Territory.ByCode(ibge); ok {
		return m.Name
	}
	return ""
}

// person is a name with masked identifiers, as the desk shows people.
func person(name, cpf, email string) string {
	var ids []string
	if cpf != "" {
		ids = append(ids, "CPF "+ident.MaskCPF(cpf))
	}
	if email != "" {
		ids = append(ids, ident.MaskEmail(email))
	}
	if name == "" {
		name = "(sem nome)"
	}
	if len(ids) == 0 {
		return name
	}
	return name + " · " + strings.Join(ids, " · ")
}

func (s *Server) desk(c *fiber.Ctx) error {
	p, err := s.requireDesk(c)
	if p == nil {
		return err
	}
	scope := s.inScopeFunc(p)
	desk, raw, err := s.buildDesk(c, scope)
	if err != nil {
		return err
	}
	d := deskData{View: "conclusoes", Unmatched: desk.UnmatchedTotal, Message: deskMessages[c.Query("aviso")]}
	if c.Query("vista") == "profissionais" {
		d.View = "profissionais"
	}
	d.Page, _ = strconv.Atoi(c.Query("pagina"))
	d.Page = max(d.Page, 1)
	from := (d.Page - 1) * deskPageSize
	if d.View == "conclusoes" {
		d.Total = len(desk.Unmatched)
		for _, u := range window(desk.Unmatched, from) {
			dc := deskCompletion{Completion: u.Completion, Who: person(u.Name, u.CPF, u.Email), Town: s.townName(u.IBGE)}
			for _, k := range u.Candidates {
				ev := strings.Join(k.Evidence, "; ")
				dc.Candidates = append(dc.Candidates, deskCandidate{Course: u.Course, PersonKey: u.PersonKey,
					Who:  person(k.Item.Name, k.Item.CPF, k.Item.Email),
					IBGE: k.Item.IBGE, Town: s.townName(k.Item.IBGE), CPF: k.Item.CPF, Score: k.Score, Evidence: ev, Reason: ev})
			}
			d.Completions = append(d.Completions, dc)
		}
	} else {
		d.Total = len(desk.Untrained)
		for _, u := range window(desk.Untrained, from) {
			dp := deskProfessional{Who: person(u.Name, u.CPF, u.Email), Town: s.townName(u.IBGE), IBGE: u.IBGE, CPF: u.CPF}
			for _, k := range u.Candidates {
				ev := strings.Join(k.Evidence, "; ")
				dp.Candidates = append(dp.Candidates, deskCompletionCandidate{Who: person(k.Item.Name, k.Item.CPF, k.Item.Email),
					Course: k.Item.Course, PersonKey: k.Item.PersonKey, Evidence: ev, Reason: ev})
			}
			d.Professionals = append(d.Professionals, dp)
		}
	}
	d.Pages = max(1, (d.Total+deskPageSize-1)/deskPageSize)
	d.Prev, d.Next = d.Page-1, d.Page+1
	d.PageURL = "/conciliacao?vista=" + d.View + "&pagina="
	for _, l := range raw.Links {
		if scope != nil && !scope(l.ProfessionalIBGE) {
			continue
		}
		d.Links = append(d.Links, deskLink{LinkRow: l, Completion: person(l.CompletionName, l.CompletionCPF, l.CompletionEmail),
			Professional: person(l.ProfessionalName, l.ProfessionalCPF, ""), Town: s.townName(l.ProfessionalIBGE),
			CanUndo: l.UndoneAt.IsZero()})
	}
	if err := s.audit(c, audit.PersonalView, "conciliacao", fmt.Sprintf("mesa de conciliação (%s, %d itens)", d.View, d.Total), audit.OK); err != nil {
		return err
	}
	noStore(c)
	return s.render(c, page{Name: "conciliacao", Title: "Conciliação da capacitação", Nav: "conciliacao", Data: d})
}

// buildDesk reads the desk's data and builds it for a scope.
func (s *Server) buildDesk(c *fiber.Ctx, scope func(string) bool) (reconcile.Desk, store.ReconciliationData, error) {
	raw, err := s.app.Store.Reconciliation(c.UserContext())
	if err != nil {
		return reconcile.Desk{}, raw, err
	}
	return reconcile.BuildDesk(raw.Completions, raw.Professionals, raw.ActiveLinks(), s.app.Engine, scope), raw, nil
}

// window is one page of list.
func window[T any](list []T, from int) []T {
	if from >= len(list) {
		return nil
	}
	return list[from:min(len(list), from+deskPageSize)]
}

// link confirms a candidate: the completion counts as the professional's.
func (s *Server) link(c *fiber.Ctx) error {
	p, err := s.requireDesk(c)
	if p == nil {
		return err
	}
	l := store.LinkRow{Course: c.FormValue("curso"), PersonKey: c.FormValue("pessoa"), ProfessionalIBGE: c.FormValue("ibge"),
		ProfessionalCPF: c.FormValue("cpf"), Reason: strings.TrimSpace(c.FormValue("motivo")), LinkedBy: p.Email}
	m, ok := s.app.Territory.ByCode(l.ProfessionalIBGE)
	if !ok || !p.CanSee(m) {
		return s.deny(c, l.ProfessionalIBGE)
	}
	if l.Reason == "" || len(l.Reason) > 500 || l.Course == "" || l.PersonKey == "" || len(l.ProfessionalCPF) != 11 {
		return fiber.NewError(fiber.StatusBadRequest, "Informe o motivo do vínculo (até 500 caracteres).")
	}
	id, err := s.app.Store.AddLink(c.UserContext(), l)
	msg := "vinculado"
	switch {
	case errors.Is(err, store.ErrLinked):
		msg = "existente"
	case errors.Is(err, store.ErrNotFound):
		return fiber.NewError(fiber.StatusNotFound, "Conclusão não encontrada: os relatórios do Moodle mudaram; recarregue a página.")
	case err != nil:
		return err
	default:
		detail := fmt.Sprintf("vínculo %d: conclusão %s/%s → profissional %s de %s; motivo: %s", id, l.Course, l.PersonKey,
			ident.MaskCPF(l.ProfessionalCPF), m.Name, l.Reason)
		if err := s.audit(c, audit.LinkConfirmed, m.IBGE, detail, audit.OK); err != nil {
			return err
		}
		// Evaluate now: the pages opened next show the condition met.
		if _, err := s.app.Snapshot(c.UserContext()); err != nil {
			return err
		}
	}
	return c.Redirect("/conciliacao?aviso="+msg, fiber.StatusSeeOther)
}

// unlink undoes a link (it stays on record as undone).
func (s *Server) unlink(c *fiber.Ctx) error {
	p, err := s.requireDesk(c)
	if p == nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.NewError(fiber.StatusNotFound, "Vínculo não encontrado.")
	}
	l, err := s.app.Store.Link(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return fiber.NewError(fiber.StatusNotFound, "Vínculo não encontrado.")
	}
	if err != nil {
		return err
	}
	m, ok := s.app.Territory.ByCode(l.ProfessionalIBGE)
	if !ok || !p.CanSee(m) {
		return s.deny(c, l.ProfessionalIBGE)
	}
	if err := s.app.Store.UndoLink(c.UserContext(), id, p.Email); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := s.audit(c, audit.LinkUndone, m.IBGE, fmt.Sprintf("vínculo %d desfeito (%s → %s de %s)", id, l.PersonKey,
		ident.MaskCPF(l.ProfessionalCPF), m.Name), audit.OK); err != nil {
		return err
	}
	if _, err := s.app.Snapshot(c.UserContext()); err != nil {
		return err
	}
	return c.Redirect("/conciliacao?aviso=desfeito", fiber.StatusSeeOther)
}
