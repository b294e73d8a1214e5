package table

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// MaxRun is the most bytes an XML part may hold between two '<' or '>':
// a cell's text (Excel allows 32,767 characters, each at most ten bytes
// as a character reference) or a tag. A longer run is a broken or hostile
// file, refused before the XML decoder buffers it.
const MaxRun = 1 << 20

var (
	errUnzipLimit = errors.New("unzip limit")
	errLongRun    = errors.New("long run")
)

// zipPackage is an opened zip container (.xlsx or .ods) whose parts are
// inflated while read, never whole, and counted against MaxUnzipped as
// they are inflated: the sizes in the zip directory are not trusted.
type zipPackage struct {
	kind  string // ".xlsx" or ".ods", for messages
	files map[string]*zip.File
	// inflated is how far each part has been read; total is their sum.
	// A part read twice counts once.
	inflated map[string]int64
	total    int64
}

func openZip(data []byte, kind string) (*zipPackage, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fileErrorf("não foi possível abrir a planilha %s (arquivo corrompido ou incompleto): %v", kind, err)
	}
	p := &zipPackage{kind: kind, files: make(map[string]*zip.File, len(zr.File)), inflated: map[string]int64{}}
	var declared uint64
	for _, f := range zr.File {
		p.files[strings.TrimPrefix(f.Name, "/")] = f
		declared += f.UncompressedSize64
	}
	// An honest directory already tells a bomb: refuse it before
	// inflating anything. A dishonest one is caught while reading.
	if declared > MaxUnzipped {
		return nil, p.tooBig()
	}
	return p, nil
}

func (p *zipPackage) tooBig() error {
	return fileErrorf("a planilha %s descompactada passaria de %d MB: divida o arquivo em partes menores", p.kind, MaxUnzipped>>20)
}

// has reports whether the package holds a part.
func (p *zipPackage) has(name string) bool { _, ok := p.files[name]; return ok }

// open returns a part's inflating reader.
func (p *zipPackage) open(name string) (io.ReadCloser, error) {
	f, ok := p.files[name]
	if !ok {
		return nil, fileErrorf("a planilha %s está incompleta: falta a parte %s", p.kind, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fileErrorf("não foi possível ler a parte %s da planilha %s: %v", name, p.kind, err)
	}
	return &partReader{rc: rc, name: name, pkg: p}, nil
}

// partReader counts what it inflates against the package's budget and
// refuses runs of more than MaxRun bytes without markup.
type partReader struct {
	rc   io.ReadCloser
	name string
	pkg  *zipPackage
	pos  int64
	run  int
}

func (r *partReader) Read(b []byte) (int, error) {
	n, err := r.rc.Read(b)
	r.pos += int64(n)
	if seen := r.pkg.inflated[r.name]; r.pos > seen {
		r.pkg.total += r.pos - seen
		r.pkg.inflated[r.name] = r.pos
		if r.pkg.total > MaxUnzipped {
			return 0, errUnzipLimit
		}
	}
	chunk := b[:n]
	last := max(bytes.LastIndexByte(chunk, '<'), bytes.LastIndexByte(chunk, '>'))
	if r.run+len(chunk) > MaxRun {
		// Only now is it worth finding where the run before this chunk ends.
		first := bytes.IndexAny(chunk, "<>")
		if first < 0 || r.run+first > MaxRun {
			return 0, errLongRun
		}
	}
	if last >= 0 {
		r.run = len(chunk) - 1 - last
	} else {
		r.run += len(chunk)
	}
	return n, err
}

func (r *partReader) Close() error { return r.rc.Close() }

// explain turns an error met while reading a part into a FileError.
func (p *zipPackage) explain(err error, where string) error {
	switch {
	case err == nil || IsFileError(err):
		return err
	case errors.Is(err, errUnzipLimit):
		return p.tooBig()
	case errors.Is(err, errLongRun):
		return fileErrorf("%s tem um texto de mais de %d MB seguidos: o arquivo está corrompido", where, MaxRun>>20)
	case errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF):
		return fileErrorf("%s está corrompida (%v): salve o arquivo de novo", where, err)
	}
	return fileErrorf("erro ao ler %s: %v", where, err)
}

// newDecoder is an XML decoder for a part, accepting the encodings an XML
// declaration may name.
func newDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("codificação %q desconhecida", label)
		}
		return enc.NewDecoder().Reader(input), nil
	}
	return d
}

// attr returns the value of the attribute with this local name.
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// resolvePart turns a relationship target into a part name, relative to
// the folder of the part that holds the relationship.
func resolvePart(dir, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if strings.HasPrefix(target, "/") {
		return path.Clean(target)[1:]
	}
	return strings.TrimPrefix(path.Clean(path.Join(dir, target)), "/")
}

// openZipSpreadsheet opens a zip container as the spreadsheet it holds.
func openZipSpreadsheet(data []byte) (Workbook, error) {
	pkg, err := openZip(data, ".xlsx")
	if err != nil {
		return nil, err
	}
	if pkg.has("mimetype") || pkg.has("content.xml") {
		mime, err := pkg.readSmall("mimetype")
		if err != nil && pkg.has("mimetype") {
			return nil, err
		}
		switch m := strings.TrimSpace(string(mime)); {
		case strings.HasPrefix(m, odsMimeType) || m == "" && !pkg.has("xl/workbook.xml"):
			return openODS(pkg)
		case strings.HasPrefix(m, "application/vnd.oasis.opendocument."):
			return nil, fileErrorf("o arquivo é um documento do LibreOffice que não é planilha (%s): envie a planilha em .ods, .xlsx ou .csv", m)
		}
	}
	switch {
	case pkg.has("xl/workbook.bin"):
		return nil, fileErrorf("arquivos .xlsb (pasta de trabalho binária do Excel) não são aceitos: abra no Excel e salve como .xlsx ou .csv")
	case pkg.has("word/document.xml"):
		return nil, fileErrorf("o arquivo é um documento do Word, não uma planilha: envie a planilha em .xlsx, .ods ou .csv")
	}
	return openXLSX(pkg)
}
