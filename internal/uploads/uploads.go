// Package uploads takes the files an administrator sends to the import
// centre: it unpacks .zip archives (within limits on entries and
// decompressed size), tells an archive from an .xlsx by its content, and
// keeps the files of a preview in a staging folder until they are
// confirmed or discarded. Every file operation goes through an os.Root
// opened on that folder, so no name can make it write elsewhere.
package uploads

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// Limits bound what one upload may bring.
type Limits struct {
	MaxFiles      int   // files after unpacking archives
	MaxFileBytes  int64 // one file, decompressed
	MaxTotalBytes int64 // all files, decompressed
}

// DefaultLimits fit the programme's real files with a wide margin: the
// largest, a Moodle export of the whole state, is a few MB, and a .zip of
// every municipality's registration sheet holds several hundred files.
var DefaultLimits = Limits{MaxFiles: 1000, MaxFileBytes: 64 << 20, MaxTotalBytes: 128 << 20}

// File is one uploaded file: its bytes, or, for a staged preview, how to
// read them (a preview's files are read one at a time, when imported).
type File struct {
	Name string // base name only, cleaned (SafeName)
	Data []byte
	Open func() (*os.File, error)
}

// Bytes returns the file's content.
func (f File) Bytes() ([]byte, error) {
	if f.Data != nil || f.Open == nil {
		return f.Data, nil
	}
	r, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// Refused is a file (or archive entry) that was not taken, with the reason
// in Portuguese.
type Refused struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

var zipMagic = []byte("PK\x03\x04")

// IsArchive reports whether data is a .zip of files rather than an .xlsx
// (which is a zip too, with the workbook's parts inside).
func IsArchive(data []byte) bool {
	if !bytes.HasPrefix(data, zipMagic) {
		return false
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if f.Name == "[Content_Types].xml" || strings.HasPrefix(f.Name, "xl/") {
			return false
		}
	}
	return true
}

// Unpack expands archives among parts and applies the limits. Files over a
// limit are refused one by one; the error is only for an upload that
// brings too many files altogether.
func Unpack(parts []File, lim Limits) ([]File, []Refused, error) {
	var out []File
	var refused []Refused
	var total int64
	take := func(f File) {
		switch {
		case int64(len(f.Data)) > lim.MaxFileBytes:
			refused = append(refused, Refused{f.Name, fmt.Sprintf("arquivo maior que o limite de %d MB", lim.MaxFileBytes>>20)})
		case total+int64(len(f.Data)) > lim.MaxTotalBytes:
			refused = append(refused, Refused{f.Name, fmt.Sprintf("o envio passa do limite total de %d MB", lim.MaxTotalBytes>>20)})
		default:
			total += int64(len(f.Data))
			out = append(out, f)
		}
	}
	for _, p := range parts {
		p.Name = SafeName(p.Name)
		if !IsArchive(p.Data) {
			take(p)
			continue
		}
		entries, bad, err := unzip(p, lim, lim.MaxTotalBytes-total)
		if err != nil { // the whole archive is refused
			refused = append(refused, Refused{p.Name, err.Error()})
			continue
		}
		refused = append(refused, bad...)
		for _, e := range entries {
			take(e)
		}
	}
	if len(out) > lim.MaxFiles {
		return nil, refused, fmt.Errorf("o envio tem %d arquivos; o limite é %d por vez", len(out), lim.MaxFiles)
	}
	return out, refused, nil
}

// unzip reads an archive's files, never inflating more than the limits
// (the sizes in the archive's directory are not trusted: reads are capped).
func unzip(archive File, lim Limits, room int64) ([]File, []Refused, error) {
	zr, err := zip.NewReader(bytes.NewReader(archive.Data), int64(len(archive.Data)))
	if err != nil {
		return nil, nil, fmt.Errorf("o arquivo .zip está danificado")
	}
	var files []File
	var refused []Refused
	count := 0
	for _, zf := range zr.File {
		name := path.Base(strings.ReplaceAll(zf.Name, "\\", "/"))
		if zf.FileInfo().IsDir() || strings.HasPrefix(name, ".") || strings.Contains(zf.Name, "__MACOSX") {
			continue
		}
		if count++; count > lim.MaxFiles {
			return nil, nil, fmt.Errorf("o .zip tem mais de %d arquivos: divida-o em partes menores", lim.MaxFiles)
		}
		shown := archive.Name + " › " + SafeName(name)
		if zf.Method != zip.Store && zf.Method != zip.Deflate {
			refused = append(refused, Refused{shown, "método de compressão não suportado"})
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			refused = append(refused, Refused{shown, "entrada do .zip ilegível"})
			continue
		}
		limit := min(lim.MaxFileBytes, room)
		data, err := io.ReadAll(io.LimitReader(rc, limit+1))
		rc.Close()
		switch {
		case err != nil:
			refused = append(refused, Refused{shown, "entrada do .zip danificada"})
		case int64(len(data)) > limit:
			return nil, nil, fmt.Errorf("%s: descompactado, passa do limite de %d MB (possível “bomba zip”); nada deste .zip foi aproveitado",
				SafeName(name), limit>>20)
		default:
			room -= int64(len(data))
			files = append(files, File{Name: SafeName(name), Data: data})
		}
	}
	return files, refused, nil
}

var unsafeChars = regexp.MustCompile(`[^\p{L}\p{N} ._()\-]+`)

// SafeName reduces an uploaded name to a plain base name for display and
// for the importers' file-name rules (e.g. cadastro_Agua_Comprida.csv):
// no folders, no control or shell characters, at most 120 characters.
func SafeName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(unsafeChars.ReplaceAllString(name, "_"))
	name = strings.TrimLeft(name, ".")
	if r := []rune(name); len(r) > 120 {
		name = string(r[len(r)-120:])
	}
	if name == "" || name == "/" {
		return "arquivo"
	}
	return name
}

// Area is the staging folder of previews.
type Area struct {
	root *os.Root
	dir  string
}

// OpenArea opens (creating it) the staging folder dir.
func OpenArea(dir string) (*Area, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("uploads: staging folder: %w", err)
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("uploads: staging folder: %w", err)
	}
	a := &Area{root: r, dir: dir}
	// Uploads being received when the process last stopped (killed, or
	// the machine went down) are incomplete: remove them.
	entries, err := fs.ReadDir(r.FS(), ".")
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("uploads: staging folder: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, incomingPrefix):
			err = r.RemoveAll(name)
		case strings.HasPrefix(name, claimedPrefix) && idPattern.MatchString(strings.TrimPrefix(name, claimedPrefix)):
			// A confirmation cut short: the preview can be confirmed
			// again (an import is one transaction, and the same files
			// again change nothing).
			err = r.Rename(name, strings.TrimPrefix(name, claimedPrefix))
		}
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("uploads: staging folder: %w", err)
		}
	}
	return a, nil
}

// Folders of previews being confirmed and confirmed ones.
const (
	claimedPrefix = "confirmando-"
	donePrefix    = "confirmada-"
)

// ErrClaimed: the preview is being confirmed, or was, by another request.
var ErrClaimed = errors.New("uploads: preview already confirmed or being confirmed")

// Claim takes a preview for confirmation: one request only gets it (the
// folder is renamed, which the file system does atomically); any other
// gets ErrClaimed while it is being confirmed and after, or ErrNotFound.
// The claimant calls Done after importing, or Release to give it back.
func (a *Area) Claim(id string) (Staged, error) {
	if !idPattern.MatchString(id) {
		return Staged{}, ErrNotFound
	}
	if err := a.root.Rename(id, claimedPrefix+id); err != nil {
		for _, p := range []string{claimedPrefix, donePrefix} {
			if _, serr := a.root.Stat(p + id); serr == nil {
				return Staged{}, ErrClaimed
			}
		}
		if errors.Is(err, fs.ErrNotExist) {
			return Staged{}, ErrNotFound
		}
		return Staged{}, err
	}
	st, err := a.load(claimedPrefix+id, id)
	if err != nil {
		a.Release(id)
	}
	return st, err
}

// Release gives a claimed preview back (its confirmation failed).
func (a *Area) Release(id string) error { return a.root.Rename(claimedPrefix+id, id) }

// Done marks a claimed preview confirmed: its files are removed and an
// empty marker stays until the sweep, so a repeated confirmation is told
// it changed nothing.
func (a *Area) Done(id string) error {
	if err := a.root.RemoveAll(claimedPrefix + id); err != nil {
		return err
	}
	return a.root.Mkdir(donePrefix+id, 0o700)
}

// incomingPrefix names the folders of uploads being received.
const incomingPrefix = "recebendo-"

// Incoming is an upload being received: each file is written to a folder
// of the staging area as it arrives, so the request is never held in
// memory. Close removes the folder; one left by a killed process is
// removed by the next OpenArea.
type Incoming struct {
	a     *Area
	dir   string
	names []string
}

// Receive starts an upload.
func (a *Area) Receive() (*Incoming, error) {
	id, err := newID()
	if err != nil {
		return nil, err
	}
	dir := incomingPrefix + id
	if err := a.root.Mkdir(dir, 0o700); err != nil {
		return nil, fmt.Errorf("uploads: receive: %w", err)
	}
	return &Incoming{a: a, dir: dir}, nil
}

// Add writes one file from r, keeping at most max+1 bytes (one more than
// the limit, so that Unpack refuses the file by its size); the rest of r
// is read and dropped.
func (in *Incoming) Add(name string, r io.Reader, max int64) error {
	f, err := in.a.root.OpenFile(fmt.Sprintf("%s/%d.bin", in.dir, len(in.names)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("uploads: receive: %w", err)
	}
	_, err = io.Copy(f, io.LimitReader(r, max+1))
	if err == nil {
		_, err = io.Copy(io.Discard, r)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	in.names = append(in.names, name)
	return nil
}

// Len is the number of files received.
func (in *Incoming) Len() int { return len(in.names) }

// Files reads the received files back.
func (in *Incoming) Files() ([]File, error) {
	out := make([]File, len(in.names))
	for i, name := range in.names {
		data, err := in.a.read(fmt.Sprintf("%s/%d.bin", in.dir, i))
		if err != nil {
			return nil, err
		}
		out[i] = File{Name: name, Data: data}
	}
	return out, nil
}

// Close removes the received files.
func (in *Incoming) Close() error { return in.a.root.RemoveAll(in.dir) }

func newID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// Dir is the staging folder.
func (a *Area) Dir() string { return a.dir }

// Close releases the folder.
func (a *Area) Close() error { return a.root.Close() }

// Staged is a preview's files with who sent them.
type Staged struct {
	ID      string    `json:"-"`
	Owner   string    `json:"owner"`
	Created time.Time `json:"created"`
	Names   []string  `json:"names"`
	Refused []Refused `json:"refused"`
	Files   []File    `json:"-"`
}

// ErrNotFound: no staged preview with that id.
var ErrNotFound = errors.New("uploads: no such preview")

var idPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// Stage keeps files under a new random id. On disk the files are named by
// their position (0.bin, 1.bin, …); the uploaded names are only data.
// refused is kept with them for the preview page.
func (a *Area) Stage(owner string, files []File, refused []Refused) (string, error) {
	id, err := newID()
	if err != nil {
		return "", err
	}
	if err := a.root.Mkdir(id, 0o700); err != nil {
		return "", fmt.Errorf("uploads: stage: %w", err)
	}
	st := Staged{Owner: owner, Created: time.Now(), Refused: refused}
	for i, f := range files {
		st.Names = append(st.Names, f.Name)
		if err := a.write(fmt.Sprintf("%s/%d.bin", id, i), f.Data); err != nil {
			a.Remove(id)
			return "", err
		}
	}
	manifest, _ := json.Marshal(st)
	if err := a.write(id+"/manifest.json", manifest); err != nil {
		a.Remove(id)
		return "", err
	}
	return id, nil
}

func (a *Area) write(name string, data []byte) error {
	f, err := a.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("uploads: stage: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("uploads: stage: %w", err)
	}
	return f.Close()
}

// Load reads a staged preview.
func (a *Area) Load(id string) (Staged, error) {
	if !idPattern.MatchString(id) {
		return Staged{}, ErrNotFound
	}
	return a.load(id, id)
}

// load reads the preview id kept in the folder dir.
func (a *Area) load(dir, id string) (Staged, error) {
	raw, err := a.read(dir + "/manifest.json")
	if errors.Is(err, fs.ErrNotExist) {
		return Staged{}, ErrNotFound
	}
	if err != nil {
		return Staged{}, err
	}
	var st Staged
	if err := json.Unmarshal(raw, &st); err != nil {
		return Staged{}, fmt.Errorf("uploads: manifest: %w", err)
	}
	st.ID = id
	for i, name := range st.Names {
		part := fmt.Sprintf("%s/%d.bin", dir, i)
		if _, err := a.root.Stat(part); err != nil {
			return Staged{}, fmt.Errorf("uploads: %w", err)
		}
		st.Files = append(st.Files, File{Name: name, Open: func() (*os.File, error) { return a.root.Open(part) }})
	}
	return st, nil
}

func (a *Area) read(name string) ([]byte, error) {
	f, err := a.root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// Remove deletes a staged preview.
func (a *Area) Remove(id string) error {
	if !idPattern.MatchString(id) {
		return ErrNotFound
	}
	return a.root.RemoveAll(id)
}

// Sweep removes previews older than maxAge (abandoned ones).
func (a *Area) Sweep(maxAge time.Duration) error {
	entries, err := fs.ReadDir(a.root.FS(), ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !idPattern.MatchString(strings.TrimPrefix(e.Name(), donePrefix)) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > maxAge {
			a.root.RemoveAll(e.Name())
		}
	}
	return nil
}
