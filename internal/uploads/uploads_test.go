package uploads

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func makeZip(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	zw.Close()
	return buf.Bytes()
}

func TestSafeName(t *testing.T) {
	tests := map[string]string{
		"../../etc/passwd":                "passwd",
		`..\..\windows\system32\x.csv`:    "x.csv",
		"/abs/path/cadastro_Água.csv":     "cadastro_Água.csv",
		"a\x00b\nc.csv":                   "abc.csv",
		"..":                              "arquivo",
		"":                                "arquivo",
		".hidden.csv":                     "hidden.csv",
		"rm -rf $(x);`y`.csv":             "rm -rf _(x)_y_.csv",
		"Indicacao (1-509).xlsx":          "Indicacao (1-509).xlsx",
		strings.Repeat("a", 300) + ".csv": strings.Repeat("a", 116) + ".csv",
	}
	for in, want := range tests {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsArchive(t *testing.T) {
	plain := makeZip(t, map[string][]byte{"a.csv": []byte("x")})
	xlsx := makeZip(t, map[string][]byte{"[Content_Types].xml": []byte("<x/>"), "xl/workbook.xml": []byte("<w/>")})
	if !IsArchive(plain) || IsArchive(xlsx) || IsArchive([]byte("ibge;nome\n")) || IsArchive([]byte("PK\x03\x04broken")) {
		t.Error("archive sniffing is wrong")
	}
}

func TestUnpack(t *testing.T) {
	lim := Limits{MaxFiles: 3, MaxFileBytes: 1 << 20, MaxTotalBytes: 2 << 20}
	archive := makeZip(t, map[string][]byte{"pasta/../../fora.csv": []byte("a;b\n"), "__MACOSX/._x": []byte("x"), "sub/": nil,
		"b.csv": []byte("c;d\n")})
	files, refused, err := Unpack([]File{{Name: "../envio.zip", Data: archive}, {Name: "c.csv", Data: []byte("e\n")}}, lim)
	if err != nil || len(refused) != 0 {
		t.Fatalf("unpack: %v %v", err, refused)
	}
	names := map[string]bool{}
	for _, f := range files {
		names[f.Name] = true
	}
	if len(files) != 3 || !names["fora.csv"] || !names["b.csv"] || !names["c.csv"] {
		t.Errorf("files: %v", names)
	}
	// Too many files in one upload.
	many := []File{{Name: "1", Data: []byte("1")}, {Name: "2", Data: []byte("2")}, {Name: "3", Data: []byte("3")}, {Name: "4", Data: []byte("4")}}
	if _, _, err := Unpack(many, lim); err == nil {
		t.Error("4 files accepted with a limit of 3")
	}
	// A file over the size limit is refused alone.
	big := []File{{Name: "grande.csv", Data: bytes.Repeat([]byte("x"), 2<<20)}, {Name: "ok.csv", Data: []byte("x")}}
	files, refused, err = Unpack(big, lim)
	if err != nil || len(files) != 1 || len(refused) != 1 || !strings.Contains(refused[0].Reason, "limite") {
		t.Errorf("big file: %v %v %v", files, refused, err)
	}
}

// zeroBomb is a zip holding one file of mib MiB of '0' characters, deflated
// as compressing them all would, without compressing them all: the
// deflate stream of one MiB, flushed to a byte boundary, repeated mib
// times, then the stream's last block.
func zeroBomb(t *testing.T, name string, mib int) *bytes.Buffer {
	t.Helper()
	chunk := bytes.Repeat([]byte{'0'}, 1<<20)
	var one bytes.Buffer
	fw, err := flate.NewWriter(&one, flate.DefaultCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(chunk)
	fw.Flush()
	n := one.Len()
	fw.Close()
	segment, last := one.Bytes()[:n], one.Bytes()[n:]
	crc := crc32.NewIEEE()
	for range mib {
		crc.Write(chunk)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, Flags: 0x8, Modified: time.Now(), CRC32: crc.Sum32(),
		CompressedSize64: uint64(mib*len(segment) + len(last)), UncompressedSize64: uint64(mib) << 20})
	if err != nil {
		t.Fatal(err)
	}
	for range mib {
		w.Write(segment)
	}
	w.Write(last)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf
}

// A zip bomb (a small archive that inflates past the limit) is refused
// without inflating it: memory stays near the limit, not the bomb's size.
func TestUnpackZipBomb(t *testing.T) {
	buf := zeroBomb(t, "bomba.csv", 1024) // 1 GiB of zeros, about 1 MB compressed
	if buf.Len() > 4<<20 {
		t.Fatalf("bomb is %d bytes compressed", buf.Len())
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	files, refused, err := Unpack([]File{{Name: "bomba.zip", Data: buf.Bytes()}}, DefaultLimits)
	runtime.ReadMemStats(&after)
	if err != nil || len(files) != 0 || len(refused) != 1 || !strings.Contains(refused[0].Reason, "bomba zip") {
		t.Fatalf("bomb: files=%d refused=%v err=%v", len(files), refused, err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 3*uint64(DefaultLimits.MaxFileBytes) {
		t.Errorf("unpacking the bomb allocated %d MB", alloc>>20)
	}
}

func TestAreaStaysInside(t *testing.T) {
	dir := t.TempDir()
	area, err := OpenArea(filepath.Join(dir, "envios"))
	if err != nil {
		t.Fatal(err)
	}
	defer area.Close()
	files := []File{{Name: "../../fora.csv", Data: []byte("a")}, {Name: "b.xlsx", Data: []byte("b")}}
	id, err := area.Stage("admin@x.br", files, []Refused{{"c.zip", "motivo"}})
	if err != nil {
		t.Fatal(err)
	}
	st, err := area.Load(id)
	if err != nil || st.Owner != "admin@x.br" || len(st.Files) != 2 || string(must(st.Files[1].Bytes())) != "b" || len(st.Refused) != 1 {
		t.Fatalf("load: %+v %v", st, err)
	}
	// Everything written is under the staging folder, named by position.
	err = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(filepath.Join(dir, "envios", id), p)
			if strings.HasPrefix(rel, "..") || !(rel == "0.bin" || rel == "1.bin" || rel == "manifest.json") {
				t.Errorf("unexpected file %s", p)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"../x", "..", "/etc", id + "/../..", strings.ToUpper(id)} {
		if _, err := area.Load(bad); err != ErrNotFound {
			t.Errorf("Load(%q): %v", bad, err)
		}
		if err := area.Remove(bad); err != ErrNotFound {
			t.Errorf("Remove(%q): %v", bad, err)
		}
	}
	if err := area.Sweep(time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := area.Load(id); err != nil {
		t.Error("a fresh preview was swept")
	}
	if err := area.Remove(id); err != nil {
		t.Fatal(err)
	}
	if _, err := area.Load(id); err != ErrNotFound {
		t.Errorf("removed preview still loads: %v", err)
	}
}

func TestClaimIsTakenOnce(t *testing.T) {
	dir := t.TempDir()
	area, err := OpenArea(dir)
	if err != nil {
		t.Fatal(err)
	}
	id, err := area.Stage("admin@teste.br", []File{{Name: "a.csv", Data: []byte("x;y\n")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := area.Claim(id)
	if err != nil || len(st.Files) != 1 || string(must(st.Files[0].Bytes())) != "x;y\n" {
		t.Fatalf("first claim: %+v %v", st, err)
	}
	if _, err := area.Claim(id); err != ErrClaimed {
		t.Errorf("second claim while confirming: %v", err)
	}
	if _, err := area.Load(id); err != ErrNotFound {
		t.Errorf("a claimed preview is still shown: %v", err)
	}
	if err := area.Release(id); err != nil {
		t.Fatal(err)
	}
	if _, err := area.Claim(id); err != nil {
		t.Fatalf("claim after release: %v", err)
	}
	// A process killed while confirming: the next start gives the
	// preview back.
	area.Close()
	if area, err = OpenArea(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := area.Load(id); err != nil {
		t.Fatalf("preview after a restart mid-confirmation: %v", err)
	}
	if _, err := area.Claim(id); err != nil {
		t.Fatal(err)
	}
	if err := area.Done(id); err != nil {
		t.Fatal(err)
	}
	if _, err := area.Claim(id); err != ErrClaimed {
		t.Errorf("claim after done: %v", err)
	}
	if _, err := area.Claim("0123456789abcdef0123456789abcdef"); err != ErrNotFound {
		t.Errorf("claim of an unknown preview: %v", err)
	}
	// Leftovers of an upload cut short are removed at the next start.
	in, err := area.Receive()
	if err != nil {
		t.Fatal(err)
	}
	in.Add("b.csv", strings.NewReader("conteúdo"), 100)
	area.Close()
	if area, err = OpenArea(dir); err != nil {
		t.Fatal(err)
	}
	defer area.Close()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), incomingPrefix) {
			t.Errorf("an interrupted upload stayed: %s", e.Name())
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
