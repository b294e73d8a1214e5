package ingest

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/store"
)

// recordRefusal keeps a file that could not be read on record (who sent
// it, when, its checksum, its bytes and why), so that "we sent it" can be
// checked later. The same bytes refused again count one more attempt.
func (s *Service) recordRefusal(ctx context.Context, f File, opt Options, rep *Report) error {
	data, err := f.bytes()
	if err != nil || rep.SHA256 == "" {
		return nil // unreadable from disk: nothing to keep on record
	}
	rf, err := s.Store.RecordRefusal(ctx, store.RefusedFile{FileName: filepath.Base(f.Name), SHA256: rep.SHA256,
		Size: int64(len(data)), Reason: rep.Error, LastBy: opt.By, LastAt: s.now()}, data)
	if err != nil {
		return fmt.Errorf("ingest: %s: %w", f.Name, err)
	}
	rep.RefusedID, rep.Attempts = rf.ID, rf.Attempts
	return nil
}

// AuditEntry is how a file's real import goes to the audit log: the
// action (base, or audit.ImportRefused for a file that could not be
// read), a detail naming the file, its checksum and the outcome in words,
// and the outcome.
func (r Report) AuditEntry(base string) (action, detail, outcome string) {
	action, outcome = base, audit.OK
	switch r.Status {
	case Failed:
		action, outcome = audit.ImportRefused, audit.Failed
		detail = fmt.Sprintf("%s: recusado: %s", filepath.Base(r.File), r.Error)
		if r.Attempts > 1 {
			detail += fmt.Sprintf(" (%dª tentativa com o mesmo conteúdo)", r.Attempts)
		}
	case Blocked:
		outcome = audit.Refused
		detail = fmt.Sprintf("%s: não aplicado: %s", filepath.Base(r.File), r.Error)
	default:
		detail = fmt.Sprintf("%s: %s, %d aceitas, %d rejeitadas", filepath.Base(r.File), r.Status, r.Accepted, r.Rejected)
		if r.BatchID > 0 {
			detail += fmt.Sprintf(", lote %d", r.BatchID)
		}
		if r.Removal != nil && r.Removal.Confirmed {
			detail += "; remoção confirmada: " + r.Removal.Message
		}
	}
	if r.SHA256 != "" {
		detail += ", sha256 " + r.SHA256
	}
	return action, detail, outcome
}
