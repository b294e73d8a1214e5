package ingest

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/ses-mg/telemonitor/importers"
	"github.com/ses-mg/telemonitor/importers/cadastro"
	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/store"
)

// The types of a rejection report's rows live in records (pure); these
// names keep the package's API.
type (
	Personal  = records.Personal
	Column    = records.Column
	IssueRow  = records.IssueRow
	IssueRows = records.IssueRows
)

// The personal data of FORMATS.md.
const (
	NotPersonal   = records.NotPersonal
	PersonalCPF   = records.PersonalCPF
	PersonalCNS   = records.PersonalCNS
	PersonalEmail = records.PersonalEmail
	PersonalPhone = records.PersonalPhone
)

var personalKeys = map[string]Personal{
	"cpf": PersonalCPF, "cns": PersonalCNS, "email": PersonalEmail, "resp_email": PersonalEmail, "telefone": PersonalPhone,
}

// IssueRows reads back, from a batch's original bytes, the row of each
// issue and its municipality, for a rejection report that can be sent to
// the municipality as it is. An issue whose row cannot be found keeps
// empty values.
func (s *Service) IssueRows(b store.Batch, content []byte, issues []records.Issue) (IssueRows, error) {
	out := IssueRows{Rows: make([]IssueRow, len(issues))}
	wanted := map[string]map[int][]int{} // sheet → row → issue indexes
	for i, is := range issues {
		out.Rows[i] = IssueRow{Issue: is}
		if wanted[is.Sheet] == nil {
			wanted[is.Sheet] = map[int][]int{}
		}
		wanted[is.Sheet][is.Row] = append(wanted[is.Sheet][is.Row], i)
	}
	imp, ok := importers.ByKind(b.Kind)
	if !ok || len(issues) == 0 {
		return out, nil
	}
	wb, err := table.Open(b.FileName, content)
	if err != nil {
		return out, fmt.Errorf("ingest: rows of batch %d: %w", b.ID, err)
	}
	defer wb.Close()
	cols := columnSet{}
	for _, name := range wb.SheetNames() {
		if rows := wanted[name]; rows != nil {
			if err := s.sheetRows(wb, name, imp, b.FileName, rows, &out, &cols); err != nil {
				return out, fmt.Errorf("ingest: rows of batch %d: %w", b.ID, err)
			}
		}
	}
	out.Columns = cols.list
	for i := range out.Rows {
		out.Rows[i].Values = append(out.Rows[i].Values, make([]string, len(cols.list)-len(out.Rows[i].Values))...)
	}
	return out, nil
}

// sheetRows fills the rows of one sheet's issues.
func (s *Service) sheetRows(wb table.Workbook, name string, imp *common.Importer, file string, want map[int][]int,
	out *IssueRows, cols *columnSet) error {
	sh, err := wb.Sheet(name)
	if err != nil {
		return err
	}
	defer sh.Close()
	sc, found, err := table.FindHeader(sh, imp.Spec)
	if err != nil || !found {
		return err
	}
	h := withMunicipality(sc.Head)
	at := cols.add(h)
	fallback := sc.TitleMunicipality()
	if fallback == "" {
		fallback = cadastro.FromFileName(s.Territory, file)
	}
	ctx := &common.Context{Territory: s.Territory, Config: s.Config, FileName: file}
	for left := len(want); left > 0; {
		r, err := sc.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		idx, ok := want[r.Num]
		if !ok {
			continue
		}
		left--
		m, _, resolved := common.ResolveRow(ctx, h, r, fallback)
		for _, i := range idx {
			row := &out.Rows[i]
			row.Values = make([]string, cols.len())
			for c, col := range at {
				row.Values[col] = r.Cell(c)
			}
			if resolved {
				row.IBGE, row.Municipality = m.IBGE, m.Name
			} else {
				row.Municipality = common.MunicipalityText(h, r)
			}
		}
	}
	return nil
}

// withMunicipality adds the municipality columns to the header of a kind
// that does not read them (a Moodle report's "Município" identity field),
// so that its rows can be given to their municipality.
func withMunicipality(h table.Header) table.Header {
	if h.Has(common.KeyIBGE) || h.Has(common.KeyMunicipio) {
		return h
	}
	extra, _ := table.Spec{Fields: common.MunicipalityFields}.Match(h.Names)
	if len(extra.Index) == 0 {
		return h
	}
	index := make(map[string]int, len(h.Index)+len(extra.Index))
	for k, c := range h.Index {
		index[k] = c
	}
	for k, c := range extra.Index {
		if !slices.Contains(slices.Collect(maps.Values(h.Index)), c) {
			index[k] = c
		}
	}
	h.Index = index
	return h
}

// columnSet collects the columns of several sheets, one per header text.
type columnSet struct {
	list  []Column
	index map[string]int
}

func (cs *columnSet) len() int { return len(cs.list) }

// add registers a sheet's header and returns, per column of the sheet,
// its position in the set.
func (cs *columnSet) add(h table.Header) []int {
	if cs.index == nil {
		cs.index = map[string]int{}
	}
	kind := map[int]string{}
	for key, c := range h.Index {
		kind[c] = key
	}
	at := make([]int, len(h.Names))
	for c, raw := range h.Names {
		name := strings.TrimSpace(raw)
		if name == "" {
			name = fmt.Sprintf("Coluna %d", c+1)
		}
		key, known := kind[c]
		id := name + "\x00" + key
		pos, ok := cs.index[id]
		if !ok {
			pos = len(cs.list)
			cs.index[id] = pos
			cs.list = append(cs.list, Column{Name: name, Personal: personalKeys[key], Known: known})
		}
		at[c] = pos
	}
	return at
}
