package server

import (
	"bytes"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/export"
)

// exportMunicipios serves the workbook or the CSV of the dashboard's
// filters (or of one municipality, ?ibge=).
func (s *Server) exportMunicipios(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f := filterFromQuery(c)
		f.IBGE = c.Query("ibge")
		if err := f.Validate(s.app.Territory); err != nil {
			return fiber.NewError(fiber.StatusBadRequest, "Filtro inválido: "+err.Error())
		}
		snap, err := s.app.Snapshot(c.UserContext())
		if err != nil {
			return err
		}
		scope := export.Scope{Filter: f}
		if r, ok := snap.Row(f.IBGE); ok && f.IBGE != "" {
			scope.Name = r.Name
		}
		rows := snap.Select(f)
		now := time.Now()
		var buf bytes.Buffer
		if format == "csv" {
			err = export.WriteCSV(&buf, rows)
			c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		} else {
			err = export.WriteXLSX(&buf, scope, rows, now)
			c.Set(fiber.HeaderContentType, xlsxType)
		}
		if err != nil {
			return err
		}
		name := export.FileName(scope, now, format)
		if err := s.audit(c, audit.Export, name, fmt.Sprintf("sem dados pessoais: %s, %d municípios", scope.Describe(), len(rows)), audit.OK); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Send(buf.Bytes())
	}
}
