// Package importers turns the programme's input files into records: it
// opens the file, recognises its kind from the headers (or takes the kind
// it is given), and hands each sheet to that kind's package. Importers never
// write to the database; internal/ingest persists what they return.
package importers

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/ses-mg/telemonitor/importers/abrangencia"
	"github.com/ses-mg/telemonitor/importers/cadastro"
	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/importers/envio"
	"github.com/ses-mg/telemonitor/importers/formalizacao"
	"github.com/ses-mg/telemonitor/importers/moodle"
	"github.com/ses-mg/telemonitor/importers/pontofocal"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/importers/teleconsultas"
	"github.com/ses-mg/telemonitor/internal/records"
)

// detectionOrder is the order kinds are tried in: the most specific
// headers first (an envio sheet also has a municipality and a núcleo; a
// teleconsultas sheet has both and a request id).
var detectionOrder = []*common.Importer{
	&moodle.Descriptor, &pontofocal.Descriptor, &teleconsultas.Descriptor, &cadastro.Descriptor,
	&envio.Descriptor, &formalizacao.Descriptor, &abrangencia.Descriptor,
}

// ByKind returns the importer of a kind.
func ByKind(k records.Kind) (*common.Importer, bool) {
	for _, imp := range detectionOrder {
		if imp.Kind == k {
			return imp, true
		}
	}
	return nil, false
}

// ParseKind validates a kind given by a person ("auto" or "" means detect).
func ParseKind(s string) (records.Kind, error) {
	if s == "" || s == "auto" {
		return "", nil
	}
	if _, ok := ByKind(records.Kind(s)); ok {
		return records.Kind(s), nil
	}
	return "", fmt.Errorf("tipo desconhecido %q (use auto, abrangencia, formalizacao, ponto-focal, moodle, cadastro, envio ou teleconsultas)", s)
}

// Parse reads a whole file. kind "" detects it. With ctx.Flush set, the
// records come out in blocks (the result keeps the last one, unflushed). A *table.FileError explains
// in Portuguese why a file cannot be taken at all. A panic while reading
// (a bug in a parser, whatever the file holds) is logged with its stack
// and comes back as a *table.FileError of that file only: see internalError.
func Parse(ctx *common.Context, data []byte, kind records.Kind) (res *records.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, internalError(ctx, kind, p, debug.Stack())
		}
	}()
	wb, err := table.Open(ctx.FileName, data)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	imp, err := pick(wb, kind)
	if err != nil {
		return nil, err
	}
	res = records.NewResult(imp.Kind)
	for _, name := range wb.SheetNames() {
		found, err := parseSheet(ctx, wb, name, imp, res)
		if err != nil {
			return nil, err
		}
		if found && !imp.AllSheets {
			break
		}
	}
	if res.Sheets == nil {
		return nil, &table.FileError{Msg: fmt.Sprintf("cabeçalho de %s não encontrado nas primeiras %d linhas de nenhuma aba; colunas esperadas: %s",
			imp.Kind, table.HeaderSearchRows, describe(imp.Spec))}
	}
	return res, nil
}

// InternalErrorMessage starts the message of a file whose reading hit a
// bug; the log record's reference follows it.
const InternalErrorMessage = "erro interno ao ler este arquivo; a equipe técnica foi avisada"

// internalError logs a parser panic with its stack under a fresh reference
// and returns the file's error, which quotes the reference so that the
// log record can be found from what the user reports.
func internalError(ctx *common.Context, kind records.Kind, p any, stack []byte) error {
	var b [4]byte
	rand.Read(b[:])
	ref := time.Now().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
	slog.Error("importer panic", "ref", ref, "file", ctx.FileName, "kind", string(kind), "panic", fmt.Sprint(p),
		"stack", string(stack))
	return &table.FileError{Msg: fmt.Sprintf("%s (registro %s)", InternalErrorMessage, ref)}
}

func parseSheet(ctx *common.Context, wb table.Workbook, name string, imp *common.Importer, res *records.Result) (bool, error) {
	sh, err := wb.Sheet(name)
	if err != nil {
		return false, err
	}
	defer sh.Close()
	sc, found, err := table.FindHeader(sh, imp.Spec)
	if err != nil || !found {
		return false, err
	}
	res.Sheets = append(res.Sheets, name)
	if ctx.Progress != nil {
		before := res.RowsRead
		sc.Progress = func(n int) { ctx.Progress(before + n) }
	}
	if ctx.Flush != nil {
		sc.After = func() error {
			if res.Held() < ctx.Block {
				return nil
			}
			return res.Flush(ctx.Flush)
		}
	}
	return true, imp.ParseSheet(ctx, sc, name, res)
}

// pick returns the forced kind's importer, or the first whose header
// appears in the first rows of any sheet.
func pick(wb table.Workbook, kind records.Kind) (*common.Importer, error) {
	if kind != "" {
		imp, ok := ByKind(kind)
		if !ok {
			return nil, fmt.Errorf("importers: unknown kind %q", kind)
		}
		return imp, nil
	}
	for _, name := range wb.SheetNames() {
		rows, err := head(wb, name)
		if err != nil {
			return nil, err
		}
		for _, imp := range detectionOrder {
			spec := imp.Spec
			for _, r := range rows {
				if _, ok := spec.Match(r.Cells); ok {
					return imp, nil
				}
			}
		}
	}
	return nil, &table.FileError{Msg: "tipo de arquivo não reconhecido: nenhuma aba tem, nas primeiras 20 linhas, os cabeçalhos de " +
		"abrangência, formalização, ponto focal, Moodle, cadastro, envio ou teleconsultas"}
}

func head(wb table.Workbook, name string) ([]table.Row, error) {
	sh, err := wb.Sheet(name)
	if err != nil {
		return nil, err
	}
	defer sh.Close()
	var rows []table.Row
	for len(rows) < table.HeaderSearchRows {
		r, err := sh.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func describe(s table.Spec) string {
	var groups []string
	for _, g := range s.Required {
		var names []string
		for _, k := range g {
			for _, f := range s.Fields {
				if f.Key == k {
					names = append(names, f.Names[0])
				}
			}
		}
		groups = append(groups, strings.Join(names, " ou "))
	}
	return strings.Join(groups, "; ")
}
