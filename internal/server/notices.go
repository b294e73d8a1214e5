package server

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/mail"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/notices"
)

type noticesData struct {
	Scope    string
	Query    template.URL // the filter as a query string (url.Values.Encode escapes it)
	Notices  []notices.Notice
	CanSend  bool // URS and admin send; a focal point only reads
	SMTP     bool // a server is configured
	Filtered bool
}

// noticeRows reads the filter of a notices request (the :ibge parameter
// wins) and checks that the user may see every municipality it selects.
// A user without a filter gets their own scope.
func (s *Server) noticeRows(c *fiber.Ctx, p *auth.Principal) (*monitor.Snapshot, []monitor.Row, monitor.Filter, error) {
	f, err := s.validFilter(c)
	if err != nil {
		return nil, nil, f, err
	}
	if ibge := c.Params("ibge"); ibge != "" {
		f = monitor.Filter{IBGE: ibge}
	}
	if f == (monitor.Filter{}) {
		f.URS, f.IBGE = p.URS, p.IBGE
	}
	snap, err := s.app.Snapshot(c.UserContext())
	if err != nil {
		return nil, nil, f, err
	}
	if _, ok := snap.Row(f.IBGE); f.IBGE != "" && !ok {
		return nil, nil, f, fiber.NewError(fiber.StatusNotFound, "Município não encontrado.")
	}
	var rows []monitor.Row
	for _, r := range snap.Select(f) {
		if !p.CanSee(r.Municipality) {
			return nil, nil, f, s.deny(c, "avisos "+export.Scope{Filter: f}.Describe())
		}
		if r.Coverage != nil { // outside the stage: nothing to notify
			rows = append(rows, r)
		}
	}
	return snap, rows, f, nil
}

// noticeQuery is the filter as a query string.
func noticeQuery(f monitor.Filter) string {
	q := url.Values{}
	for k, v := range map[string]string{"ibge": f.IBGE, "macro": f.Macro, "micro": f.Micro, "urs": f.URS, "nucleo": f.Nucleo,
		"situacao": f.Situacao, "condicao": f.Condition, "estado": f.ConditionState} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.Missing > 0 {
		q.Set("faltam", fmt.Sprint(f.Missing))
	}
	return q.Encode()
}

// noticesPage shows the notices of the filter, one A4 page each.
func (s *Server) noticesPage(c *fiber.Ctx) error {
	p, err := s.requireUser(c)
	if p == nil {
		return err
	}
	_, rows, f, err := s.noticeRows(c, p)
	if err != nil {
		return err
	}
	rev, err := s.app.Settings(c.UserContext())
	if err != nil {
		return err
	}
	ibges := make([]string, len(rows))
	for i, r := range rows {
		ibges[i] = r.Municipality.IBGE
	}
	log, err := s.app.Store.Followups(c.UserContext(), ibges)
	if err != nil {
		return err
	}
	now := time.Now()
	d := noticesData{Scope: export.Scope{Filter: f}.Describe(), Query: template.URL(noticeQuery(f)), CanSend: p.Role != auth.Municipio,
		SMTP: rev.SMTP.Configured()}
	for _, r := range rows {
		d.Notices = append(d.Notices, notices.Build(r, rev.Settings, log, now))
	}
	if len(rows) == 1 {
		d.Scope = rows[0].Name
	}
	noStore(c)
	return s.render(c, page{Name: "avisos", Title: "Avisos de pendências", Nav: "avisos", Data: d})
}

// noticesEML downloads the notices as .eml files: one file for one
// municipality, a .zip for several.
func (s *Server) noticesEML(c *fiber.Ctx) error {
	p, err := s.requireUser(c)
	if p == nil {
		return err
	}
	snap, rows, f, err := s.noticeRows(c, p)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return fiber.NewError(fiber.StatusNotFound, "Nenhum município contemplado neste filtro.")
	}
	now := time.Now()
	list, err := s.app.Notices(c.UserContext(), snap, rows, now)
	if err != nil {
		return err
	}
	rev, err := s.app.Settings(c.UserContext())
	if err != nil {
		return err
	}
	from := rev.SMTP.From
	if from == "" {
		from = rev.SESMailbox
	}
	body, name, ctype, err := emlFiles(list, from, f, now)
	if err != nil {
		return err
	}
	if err := s.audit(c, audit.NoticeDownload, name, fmt.Sprintf("%d aviso(s) .eml: %s", len(list),
		export.Scope{Filter: f}.Describe()), audit.OK); err != nil {
		return err
	}
	noStore(c)
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Send(body)
}

// emlFiles writes the notices as one .eml or a .zip of them.
func emlFiles(list []app.Outgoing, from string, f monitor.Filter, now time.Time) ([]byte, string, string, error) {
	files := make([][]byte, len(list))
	names := make([]string, len(list))
	for i, o := range list {
		b, err := mail.EML(from, o.Message, now)
		if err != nil {
			return nil, "", "", err
		}
		files[i] = b
		names[i] = strings.TrimSuffix(export.FileName(export.Scope{Filter: monitor.Filter{IBGE: o.Notice.IBGE}, Name: o.Notice.Municipality},
			now, "eml"), ".eml")
		names[i] = "aviso" + strings.TrimPrefix(names[i], "condicionalidades") + ".eml"
	}
	if len(list) == 1 {
		return files[0], names[0], "message/rfc822", nil
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i, b := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: names[i], Method: zip.Deflate, Modified: now})
		if err != nil {
			return nil, "", "", err
		}
		if _, err := w.Write(b); err != nil {
			return nil, "", "", err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, "", "", err
	}
	zipName := "avisos" + strings.TrimPrefix(export.FileName(export.Scope{Filter: f}, now, "zip"), "condicionalidades")
	return buf.Bytes(), zipName, "application/zip", nil
}
