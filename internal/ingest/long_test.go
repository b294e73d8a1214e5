package ingest_test

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/scale"
	"github.com/ses-mg/telemonitor/internal/store"
)

// sampleSet is every sample file, as a set to import.
func sampleSet(t *testing.T) []ingest.File {
	t.Helper()
	names, err := app.SampleFiles()
	if err != nil {
		t.Fatal(err)
	}
	files := make([]ingest.File, len(names))
	for i, n := range names {
		if files[i].Data, err = data.Samples.ReadFile(n); err != nil {
			t.Fatal(err)
		}
		files[i].Name = n
	}
	return files
}

// fixedClock makes an app's imports stamp one time, so that two databases
// can be compared.
func fixedClock(a *app.App) {
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.Local)
	a.Ingest.Now = func() time.Time { return at }
}

// TestLongFilesEqualOneBlock imports the samples with every file read as
// a long one (blocks of 5 records and issues, stored as they are read; or
// long by its size, in the usual blocks) and as usual (each file whole in
// memory): the reports, the batches with their issues, the programme, the
// requests and the history are the same.
func TestLongFilesEqualOneBlock(t *testing.T) {
	for _, by := range []string{"rows", "bytes", "off the heap"} {
		t.Run(by, func(t *testing.T) { longEqualsWhole(t, by) })
	}
}

func longEqualsWhole(t *testing.T, by string) {
	ctx := context.Background()
	files := sampleSet(t)
	whole, long := openApp(t), openApp(t)
	fixedClock(whole)
	fixedClock(long)
	want, err := whole.Ingest.ImportSet(ctx, files, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	restore := ingest.SetBlockRows(5)
	longFiles := files
	switch by {
	case "bytes":
		restore = ingest.SetLongBytes(0)
	case "off the heap": // every file opened from disk and read outside the heap
		restore = ingest.SetLongBytes(0)
		longFiles = onDisk(t, files)
	}
	got, err := long.Ingest.ImportSet(ctx, longFiles, ingest.Options{})
	restore()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("%s: long %+v\nwhole %+v", want[i].File, summary(got[i]), summary(want[i]))
			}
		}
	}
	for _, r := range want {
		if r.Status != ingest.Imported {
			t.Errorf("%s: %s %s", r.File, r.Status, r.Error)
		}
	}
	same := func(what string, read func(*app.App) (any, error)) {
		t.Helper()
		a, err := read(long)
		if err != nil {
			t.Fatal(err)
		}
		b, err := read(whole)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differs when read in blocks", what)
		}
	}
	same("programme", func(a *app.App) (any, error) { return a.Store.LoadProgramme(ctx) })
	same("files stored", func(a *app.App) (any, error) {
		var out [][]byte
		for _, r := range want {
			_, content, err := a.Store.Batch(ctx, r.BatchID)
			if err != nil {
				return nil, err
			}
			out = append(out, content)
		}
		return out, nil
	})
	same("requests", func(a *app.App) (any, error) { return a.Store.Teleconsultations(ctx, store.RequestFilter{}) })
	same("history", func(a *app.App) (any, error) { return a.Store.AllHistory(ctx) })
	same("batches and issues", func(a *app.App) (any, error) {
		bs, err := a.Store.Batches(ctx)
		out := []any{bs}
		for _, b := range bs {
			is, err := a.Store.BatchIssues(ctx, b.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, is)
		}
		return out, err
	})
	// A long file of requests or professionals loads without the table's
	// indexes (store.BulkLoad), which must be back as they were.
	same("indexes", func(a *app.App) (any, error) { return indexes(ctx, a) })
}

// indexes are the name and definition of every index of a's database. A
// long file of requests loads without the table's index by municipality
// (store.BulkLoad), which must be back as it was.
func indexes(ctx context.Context, a *app.App) ([]string, error) {
	db, err := sql.Open("sqlite3", "file:"+a.Store.Path()+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		var def sql.NullString
		if err := rows.Scan(&name, &def); err != nil {
			return nil, err
		}
		out = append(out, name+" "+def.String)
	}
	if !slices.Contains(out, "teleconsultations_ibge CREATE INDEX teleconsultations_ibge ON teleconsultations(ibge, sent_at)") {
		return nil, fmt.Errorf("no teleconsultations index among %q", out)
	}
	return out, rows.Err()
}

// onDisk writes the files to a folder and returns them as files to open
// from it, which may be read off the heap.
func onDisk(t *testing.T, files []ingest.File) []ingest.File {
	t.Helper()
	dir := t.TempDir()
	out := make([]ingest.File, len(files))
	for i, f := range files {
		path := filepath.Join(dir, fmt.Sprint(i))
		if err := os.WriteFile(path, f.Data, 0o600); err != nil {
			t.Fatal(err)
		}
		out[i] = ingest.File{Name: f.Name, Open: func() (*os.File, error) { return os.Open(path) }, OffHeap: true}
	}
	return out
}

func summary(r ingest.Report) string {
	return fmt.Sprintf("%s %s read %d accepted %d rejected %d warnings %d issues %d changes %d",
		r.Kind, r.Status, r.RowsRead, r.Accepted, r.Rejected, r.Warnings, len(r.Issues), len(r.Changes))
}

// TestLongFileRepeatsAcrossBlocks: a request repeated in a later block and
// a professional repeated in a later block are caught as in one block: the
// later request is the one stored, the repeated CPF is warned about once.
func TestLongFileRepeatsAcrossBlocks(t *testing.T) {
	ctx := context.Background()
	a := openApp(t)
	var tele strings.Builder
	tele.WriteString("Núcleo;Protocolo;Município;Data da solicitação;Data da resposta;Situação;Especialidade\n")
	for i := range 12 {
		fmt.Fprintf(&tele, "Feluma;R-%d;Itabira;03/02/2025 08:00;04/02/2025 09:%02d;Respondida;Cardiologia\n", i, i)
	}
	tele.WriteString("Feluma;R-0;Itabira;03/02/2025 08:00;06/02/2025 10:00;Respondida;Dermatologia\n")
	cad := "Município;Nome;CPF;Nível de atenção\nItabira;Ana;529.982.247-25;APS\n"
	for i := range 10 {
		cad += fmt.Sprintf("Itabira;Pessoa %d;%s;APS\n", i, scale.CPF(100000000+i*7919))
	}
	cad += "Itabira;Ana de novo;529.982.247-25;APS\n"
	restore := ingest.SetBlockRows(4)
	reps, err := a.Ingest.ImportSet(ctx, []ingest.File{
		{Name: "teleconsultas_Feluma.csv", Data: []byte(tele.String())},
		{Name: "cadastro_consolidado.csv", Data: []byte(cad)},
	}, ingest.Options{})
	restore()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reps {
		if r.Status != ingest.Imported {
			t.Fatalf("%s: %s %s", r.File, r.Status, r.Error)
		}
		var dups []string
		for _, is := range r.Issues {
			dups = append(dups, fmt.Sprintf("%s@%d", is.Code, is.Row))
		}
		switch r.Kind {
		case records.Teleconsultas:
			if r.Accepted != 13 || strings.Join(dups, ",") != "solicitacao_duplicada@14" {
				t.Errorf("teleconsultas: accepted %d, issues %v", r.Accepted, dups)
			}
		case records.Cadastro:
			if r.Accepted != 12 || strings.Join(dups, ",") != "cpf_duplicado@13" {
				t.Errorf("cadastro: accepted %d, issues %v", r.Accepted, dups)
			}
		}
	}
	reqs, err := a.Store.Teleconsultations(ctx, store.RequestFilter{})
	if err != nil {
		t.Fatal(err)
	}
	derm := 0
	for _, r := range reqs {
		if r.Specialty == "Dermatologia" {
			derm++
		}
	}
	if len(reqs) != 12 || derm != 1 {
		t.Errorf("%d requests stored (%d Dermatologia), want 12 with the later R-0 (Dermatologia)", len(reqs), derm)
	}
	prog, err := a.Store.LoadProgramme(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(prog.Input("3131703").Professionals); n != 11 {
		t.Errorf("Itabira has %d professionals, want 11", n)
	}
}

// TestLongFileBrokenPastFirstBlock: an .xlsx that breaks after its first
// block fails alone. Its blocks already stored are taken back, the file is
// on record as refused, and the file imported with it is kept, in a real
// import and in a dry run.
func TestLongFileBrokenPastFirstBlock(t *testing.T) {
	ctx := context.Background()
	var rows strings.Builder
	rows.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>Município</t></is></c><c r="B1" t="inlineStr"><is><t>Data de envio</t></is></c></row>`)
	for i := 2; i < 30; i++ {
		fmt.Fprintf(&rows, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>Itabira</t></is></c><c r="B%d" t="inlineStr"><is><t>02/09/2024</t></is></c></row>`, i, i, i)
	}
	rows.WriteString(`<row r="30"><c r="A30" t="inlineStr"><is><t>Itabira</t></is></c><c r="B30"`) // cut off
	broken := xlsxWith(t, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+rows.String())
	formal, err := data.Samples.ReadFile("samples/formalizacao_2024-07-15.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	files := []ingest.File{{Name: "envio.xlsx", Data: broken}, {Name: "formalizacao_2024-07-15.xlsx", Data: formal}}
	for _, dry := range []bool{true, false} {
		a := openApp(t)
		restore := ingest.SetBlockRows(8)
		reps, err := a.Ingest.ImportSet(ctx, files, ingest.Options{DryRun: dry})
		restore()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reps {
			switch r.File {
			case "envio.xlsx":
				if r.Status != ingest.Failed || r.Error == "" || r.BatchID != 0 {
					t.Errorf("dry %v: broken file %s %q batch %d", dry, r.Status, r.Error, r.BatchID)
				}
				if !dry && r.RefusedID == 0 {
					t.Errorf("broken file not on record as refused")
				}
			default:
				if want := map[bool]ingest.Status{true: ingest.DryRun, false: ingest.Imported}[dry]; r.Status != want || r.Accepted == 0 {
					t.Errorf("dry %v: %s %s accepted %d", dry, r.File, r.Status, r.Accepted)
				}
			}
		}
		bs, err := a.Store.Batches(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 0, false: 1}[dry]; len(bs) != want {
			t.Errorf("dry %v: %d batches stored, want %d", dry, len(bs), want)
		}
		prog, err := a.Store.LoadProgramme(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if in := prog.Input("3131703"); !in.DataSentOn.IsZero() {
			t.Errorf("dry %v: a date sent from the broken file was kept: %v", dry, in.DataSentOn)
		}
	}
}

// xlsxWith packs one worksheet's XML into a minimal workbook.
func xlsxWith(t *testing.T, sheet string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Envio" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": sheet,
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"} {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(parts[name]))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestLongFileChangedBeforeApply: a long file read again when it applies
// (off the heap) that changed on disk since it was prepared fails alone,
// with nothing of it stored, and says so.
func TestLongFileChangedBeforeApply(t *testing.T) {
	ctx := context.Background()
	defer ingest.SetLongBytes(0)()
	name := "samples/moodle/completion-telessaude_mg_bloco1-20241014_1620-comma_separated.csv"
	data, err := data.Samples.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "moodle.csv")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	opened := 0
	open := func() (*os.File, error) {
		if opened++; opened == 2 { // prepared; someone saves the file again before it applies
			if err := os.WriteFile(path, append(data, data[len(data)-80:]...), 0o600); err != nil {
				return nil, err
			}
		}
		return os.Open(path)
	}
	a := openApp(t)
	reps, err := a.Ingest.ImportSet(ctx, []ingest.File{{Name: name, Open: open, OffHeap: true}}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 1 || reps[0].Status != ingest.Failed || !strings.Contains(reps[0].Error, "o arquivo mudou durante a importação") {
		t.Fatalf("got %+v", reps)
	}
	if bs, err := a.Store.Batches(ctx); err != nil || len(bs) != 0 {
		t.Errorf("batches stored: %d, %v", len(bs), err)
	}
}

// TestCumulativeExportOverStoredRequests: a núcleo's cumulative export
// (100 thousand requests, one of them now cancelled) previewed and then
// imported over the first half of it. Until 29/11/2026 both failed with
// "database or disk is full": the journal of the file's savepoint passed
// the 4 MB SQLite kept in memory, and the unix VFS could not write it out
// (store.TestLargeSavepointJournal). The later file's rows are the ones
// stored, and the index by municipality is back.
func TestCumulativeExportOverStoredRequests(t *testing.T) {
	ctx := context.Background()
	a := openApp(t)
	path, err := scale.Teleconsultas(a.Territory, 100_000, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(whole), "\r\n")
	half := strings.Join(lines[:50_001], "")
	// The first request, answered in the first file, is cancelled in the
	// second.
	first := strings.Split(lines[1], ";")
	first[4], first[5] = "", "Cancelada"
	lines[1] = strings.Join(first, ";")
	later := strings.Join(lines, "")
	cancelled := strings.Count(later, ";Cancelada;")
	if strings.Count(half, ";Cancelada;") >= cancelled {
		t.Fatalf("the second file cancels nothing more than the first")
	}
	steps := []struct {
		name string
		data string
		opt  ingest.Options
		want ingest.Status
	}{
		{"teleconsultas_ate_junho.csv", half, ingest.Options{}, ingest.Imported},
		{"teleconsultas_acumulado.csv", later, ingest.Options{DryRun: true}, ingest.DryRun},
		{"teleconsultas_acumulado.csv", later, ingest.Options{}, ingest.Imported},
	}
	for _, s := range steps {
		reps, err := a.Ingest.ImportSet(ctx, []ingest.File{{Name: s.name, Data: []byte(s.data)}}, s.opt)
		if err != nil {
			t.Fatalf("%s (dry run %v): %v", s.name, s.opt.DryRun, err)
		}
		if r := reps[0]; r.Status != s.want || r.Accepted != strings.Count(s.data, "\r\n")-1 {
			t.Fatalf("%s (dry run %v): %s, %d accepted, %q", s.name, s.opt.DryRun, r.Status, r.Accepted, r.Error)
		}
	}
	reqs, err := a.Store.Teleconsultations(ctx, store.RequestFilter{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range reqs {
		if r.Cancelled {
			n++
		}
	}
	if len(reqs) != 100_000 || n != cancelled {
		t.Errorf("%d requests stored, %d cancelled; want 100000, %d", len(reqs), n, cancelled)
	}
	if _, err := indexes(ctx, a); err != nil {
		t.Error(err)
	}
}
