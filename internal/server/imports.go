package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/auth"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/store"
	"github.com/ses-mg/telemonitor/internal/uploads"
)

type importsData struct {
	Batches  []store.Batch
	Refused  []store.RefusedFile
	Limits   uploads.Limits
	MaxMB    int
	Problems []string
}

// imports is the import centre's home: the upload form and the history.
func (s *Server) imports(c *fiber.Ctx) error {
	return s.renderImports(c, nil)
}

func (s *Server) renderImports(c *fiber.Ctx, problems []string) error {
	bs, err := s.app.Store.Batches(c.UserContext())
	if err != nil {
		return err
	}
	refused, err := s.app.Store.RefusedFiles(c.UserContext())
	if err != nil {
		return err
	}
	noStore(c)
	if len(problems) > 0 {
		c.Status(fiber.StatusBadRequest)
	}
	return s.render(c, page{Name: "importacoes", Title: "Central de importação", Nav: "importacoes",
		Data: importsData{Batches: bs, Refused: refused, Limits: s.limits, MaxMB: maxUploadBytes >> 20, Problems: problems}})
}

// upload stages the sent files and shows their preview.
func (s *Server) upload(c *fiber.Ctx) error {
	in, err := s.staging.Receive()
	if err != nil {
		return err
	}
	defer in.Close()
	if err := receiveParts(c, in, "arquivos", s.limits); err != nil {
		return s.renderImports(c, []string{err.Error()})
	}
	parts, err := in.Files()
	if err != nil {
		return err
	}
	files, refused, err := uploads.Unpack(parts, s.limits)
	if err != nil {
		return s.renderImports(c, []string{err.Error()})
	}
	if len(files) == 0 {
		msgs := []string{"Nenhum arquivo aproveitável foi enviado."}
		for _, r := range refused {
			msgs = append(msgs, r.Name+": "+r.Reason)
		}
		return s.renderImports(c, msgs)
	}
	id, err := s.staging.Stage(principal(c).Email, files, refused)
	if err != nil {
		return err
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	if err := s.audit(c, audit.ImportPreview, id, strings.Join(names, ", "), audit.OK); err != nil {
		return err
	}
	return c.Redirect("/importacoes/previa/"+id, fiber.StatusSeeOther)
}

// receiveParts streams the files of a multipart field to the staging
// folder, part by part, as the request arrives.
func receiveParts(c *fiber.Ctx, in *uploads.Incoming, field string, lim uploads.Limits) error {
	mr, err := uploadReader(c)
	if err != nil {
		return err
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if errors.Is(err, errUploadTooLarge) {
			return err
		}
		if err != nil {
			return errors.New("o envio chegou incompleto; tente de novo")
		}
		if p.FormName() != field || p.FileName() == "" {
			continue
		}
		if in.Len() >= lim.MaxFiles {
			return fmt.Errorf("envie no máximo %d arquivos por vez", lim.MaxFiles)
		}
		if err := in.Add(p.FileName(), p, lim.MaxFileBytes); errors.Is(err, errUploadTooLarge) {
			return err
		} else if err != nil {
			return errors.New("o envio chegou incompleto; tente de novo")
		}
	}
	if in.Len() == 0 {
		return errors.New("escolha ao menos um arquivo")
	}
	return nil
}

type previewData struct {
	ID         string
	Owner      string
	Created    time.Time
	Reports    []fileReport
	Refused    []uploads.Refused
	Changes    []changeView
	Done       bool // imported (not a preview)
	Repeated   bool // confirmed already, by another request
	Failures   int
	Accepted   int
	Rejections int
	Warnings   int
	// Removal is the coverage list's removal that must be confirmed
	// before the set is imported (nil when none).
	Removal *ingest.Removal
	Problem string // why a confirmation did not import
}

type fileReport struct {
	ingest.Report
	KindLabel    string
	StatusText   string
	Rejected     []records.Issue
	More         int // rejected rows not listed
	Warned       []records.Issue
	MoreWarnings int // warnings not listed
}

// maxListedRejections keeps the preview page readable; the rest is in the
// rejection report.
const maxListedRejections = 50

// preview runs the staged files as a dry run and shows what would change.
func (s *Server) preview(c *fiber.Ctx) error {
	st, err := s.staging.Load(c.Params("id"))
	if errors.Is(err, uploads.ErrNotFound) {
		return fiber.NewError(fiber.StatusNotFound, "Prévia não encontrada: ela já foi confirmada ou descartada, ou expirou.")
	}
	if err != nil {
		return err
	}
	return s.renderPreview(c, st, "")
}

// renderPreview shows the dry run of staged files; problem says why a
// confirmation imported nothing.
func (s *Server) renderPreview(c *fiber.Ctx, st uploads.Staged, problem string) error {
	reps, err := s.app.Ingest.ImportSet(c.UserContext(), stagedFiles(st), ingest.Options{DryRun: true, By: principal(c).Email})
	if err != nil {
		return err
	}
	d := previewResult(reps, st.Refused)
	d.ID, d.Owner, d.Created, d.Problem = st.ID, st.Owner, st.Created, problem
	noStore(c)
	if problem != "" {
		c.Status(fiber.StatusConflict)
	}
	return s.render(c, page{Name: "previa", Title: "Prévia da importação", Nav: "importacoes", Data: d})
}

func stagedFiles(st uploads.Staged) []ingest.File {
	out := make([]ingest.File, len(st.Files))
	for i, f := range st.Files {
		out[i] = ingest.File{Name: f.Name, Data: f.Data, Open: f.Open}
	}
	return out
}

func previewResult(reps []ingest.Report, refused []uploads.Refused) previewData {
	d := previewData{Refused: refused}
	for _, r := range reps {
		fr := fileReport{Report: r, KindLabel: present.KindLabel(r.Kind), StatusText: present.ImportStatus(string(r.Status))}
		for _, i := range r.Issues {
			list, more := &fr.Rejected, &fr.More
			if i.Severity != records.Error {
				list, more = &fr.Warned, &fr.MoreWarnings
			}
			if len(*list) < maxListedRejections {
				*list = append(*list, i)
			} else {
				*more++
			}
		}
		if r.Status == ingest.Failed {
			d.Failures++
		}
		if r.Removal != nil && r.Removal.NeedsConfirm && d.Removal == nil {
			d.Removal = r.Removal
		}
		d.Accepted += r.Accepted
		d.Rejections += r.Rejected
		d.Warnings += r.Warnings
		d.Reports = append(d.Reports, fr)
	}
	for _, ch := range ingest.MergeChanges(reps) {
		d.Changes = append(d.Changes, viewChange(ch))
	}
	return d
}

// changeView is a municipality's change in words.
type changeView struct {
	IBGE, Name string
	From, To   string // situação
	Conditions []string
}

func viewChange(ch ingest.Change) changeView {
	v := changeView{IBGE: ch.IBGE, Name: ch.Name, From: present.Situation[conditions.Situation(ch.From)],
		To: present.Situation[conditions.Situation(ch.To)]}
	for _, cc := range ch.Conditions {
		v.Conditions = append(v.Conditions, fmt.Sprintf("%s: %s → %s", present.ConditionName[conditions.Condition(cc.Condition)],
			stateWord(cc.From), stateWord(cc.To)))
	}
	return v
}

func stateWord(s string) string {
	if w, ok := present.State[conditions.State(s)]; ok {
		return w
	}
	return "—"
}

// confirm imports the staged files for real. One request claims the
// preview; a repeated or simultaneous confirmation (a double click, a
// reload) is told that it changed nothing.
func (s *Server) confirm(c *fiber.Ctx) error {
	st, err := s.staging.Claim(c.Params("id"))
	if errors.Is(err, uploads.ErrClaimed) {
		noStore(c)
		return s.render(c, page{Name: "previa", Title: "Importação já confirmada", Nav: "importacoes", Data: previewData{Repeated: true}})
	}
	if errors.Is(err, uploads.ErrNotFound) {
		return fiber.NewError(fiber.StatusNotFound, "Prévia não encontrada: ela foi descartada ou expirou.")
	}
	if err != nil {
		return err
	}
	by := principal(c).Email
	confirmed, _ := strconv.Atoi(c.FormValue("confirmar_remocao"))
	reps, err := s.app.Ingest.ImportSet(c.UserContext(), stagedFiles(st), ingest.Options{By: by, ConfirmedRemoval: max(confirmed, 0)})
	if err != nil {
		return errors.Join(err, s.staging.Release(st.ID))
	}
	if held := ingest.Held(reps); held != nil {
		// Nothing was imported: the preview is given back, to be confirmed
		// with the removal's count.
		if err := s.staging.Release(st.ID); err != nil {
			return err
		}
		action, detail, outcome := held.AuditEntry(audit.ImportConfirm)
		if err := s.audit(c, action, st.ID, detail, outcome); err != nil {
			return err
		}
		return s.renderPreview(c, st, "Nada foi importado: marque a confirmação de que "+held.Removal.Message+" e confirme de novo.")
	}
	if err := s.staging.Done(st.ID); err != nil {
		return err
	}
	if err := s.auditConfirmed(c, st, reps); err != nil {
		return err
	}
	// Evaluate now, so the pages the admin opens next show the import
	// (Current would serve the previous state while rebuilding).
	if _, err := s.app.Snapshot(c.UserContext()); err != nil {
		return err
	}
	d := previewResult(reps, st.Refused)
	d.ID, d.Owner, d.Created, d.Done = st.ID, st.Owner, st.Created, true
	noStore(c)
	return s.render(c, page{Name: "previa", Title: "Importação concluída", Nav: "importacoes", Data: d})
}

// auditConfirmed records each file of a confirmed import, and each file
// refused on upload (too large, a damaged archive: not kept).
func (s *Server) auditConfirmed(c *fiber.Ctx, st uploads.Staged, reps []ingest.Report) error {
	for _, r := range reps {
		action, detail, outcome := r.AuditEntry(audit.ImportConfirm)
		if err := s.audit(c, action, st.ID, detail, outcome); err != nil {
			return err
		}
	}
	for _, r := range st.Refused {
		if err := s.audit(c, audit.ImportRefused, st.ID, r.Name+": recusado no envio: "+r.Reason, audit.Failed); err != nil {
			return err
		}
	}
	return nil
}

// discard drops a staged preview.
func (s *Server) discard(c *fiber.Ctx) error {
	id := c.Params("id")
	if err := s.staging.Remove(id); err != nil && !errors.Is(err, uploads.ErrNotFound) {
		return err
	}
	if err := s.audit(c, audit.ImportDiscard, id, "", audit.OK); err != nil {
		return err
	}
	return c.Redirect("/importacoes", fiber.StatusSeeOther)
}

type batchData struct {
	Batch     store.Batch
	KindLabel string
	Issues    []records.Issue
}

func (s *Server) batchParam(c *fiber.Ctx) (store.Batch, []byte, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return store.Batch{}, nil, fiber.NewError(fiber.StatusNotFound, "Lote não encontrado.")
	}
	b, content, err := s.app.Store.Batch(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return b, nil, fiber.NewError(fiber.StatusNotFound, "Lote não encontrado.")
	}
	return b, content, err
}

// batch shows one imported file with every rejected row and warning.
func (s *Server) batch(c *fiber.Ctx) error {
	b, _, err := s.batchParam(c)
	if err != nil {
		return err
	}
	issues, err := s.app.Store.BatchIssues(c.UserContext(), b.ID)
	if err != nil {
		return err
	}
	noStore(c)
	return s.render(c, page{Name: "lote", Title: "Lote " + strconv.FormatInt(b.ID, 10), Nav: "importacoes",
		Data: batchData{Batch: b, KindLabel: present.KindLabel(b.Kind), Issues: issues}})
}

// batchOriginal sends back the file exactly as it was imported.
func (s *Server) batchOriginal(c *fiber.Ctx) error {
	b, content, err := s.batchParam(c)
	if err != nil {
		return err
	}
	if err := s.audit(c, audit.FileDownload, strconv.FormatInt(b.ID, 10), b.FileName+" sha256 "+b.SHA256, audit.OK); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEOctetStream)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+attachmentName(b.FileName)+`"`)
	noStore(c)
	return c.Send(content)
}

// batchRejections is the rejection report of one batch as a workbook,
// with each row's values as the file has them. An administrator gets every
// row with personal data in full; an URS or municipality user, the rows of
// the municipalities in their scope, personal data masked per their role.
func (s *Server) batchRejections(c *fiber.Ctx) error {
	p, err := s.requireUser(c)
	if p == nil {
		return err
	}
	b, content, err := s.batchParam(c)
	if err != nil {
		return err
	}
	issues, err := s.app.Store.BatchIssues(c.UserContext(), b.ID)
	if err != nil {
		return err
	}
	rows, err := s.app.Ingest.IssueRows(b, content, issues)
	if err != nil {
		return err
	}
	target := strconv.FormatInt(b.ID, 10)
	if !p.IsAdmin() {
		if rows.Rows = s.inScope(p, rows.Rows); len(rows.Rows) == 0 {
			return s.deny(c, target)
		}
	}
	var buf bytes.Buffer
	if err := export.WriteIssues(&buf, b.FileName, rows, p.Reveal()); err != nil {
		return err
	}
	detail := fmt.Sprintf("%s: %d linhas", b.FileName, len(rows.Rows))
	if err := s.audit(c, audit.RejectReport, target, detail, audit.OK); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsxType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="rejeicoes_lote-%d_%s.xlsx"`, b.ID, time.Now().Format("2006-01-02")))
	noStore(c)
	return c.Send(buf.Bytes())
}

// inScope keeps the rows of municipalities p may see personal data of.
func (s *Server) inScope(p *auth.Principal, rows []ingest.IssueRow) []ingest.IssueRow {
	var out []ingest.IssueRow
	for _, r := range rows {
		if m, ok := s.app.Territory.ByCode(r.IBGE); ok && r.IBGE != "" && p.CanSee(m) {
			out = append(out, r)
		}
	}
	return out
}

// refusedOriginal sends back a refused file exactly as it was sent.
func (s *Server) refusedOriginal(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return fiber.NewError(fiber.StatusNotFound, "Arquivo recusado não encontrado.")
	}
	f, content, err := s.app.Store.RefusedFileContent(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return fiber.NewError(fiber.StatusNotFound, "Arquivo recusado não encontrado.")
	}
	if err != nil {
		return err
	}
	if err := s.audit(c, audit.FileDownload, "recusado "+c.Params("id"), f.FileName+" sha256 "+f.SHA256, audit.OK); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEOctetStream)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+attachmentName(f.FileName)+`"`)
	noStore(c)
	return c.Send(content)
}

// attachmentName keeps a stored file name safe inside the header.
func attachmentName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == '"' || r == '\\' || r == 0x7f {
			return '_'
		}
		return r
	}, name)
}
