package table

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// tokens lists what next gives, each token as text ("" for one left out),
// up to io.EOF, and whether it stopped on an error.
func tokens(next func() (string, error)) ([]string, bool) {
	var out []string
	for len(out) < 10000 {
		tok, err := next()
		if err == io.EOF {
			return out, false
		}
		if err != nil {
			return out, true
		}
		if tok != "" {
			out = append(out, tok)
		}
	}
	return out, false
}

// rawTokens lists the tokens encoding/xml's RawToken gives (comments,
// processing instructions and directives left out, as the scanner skips
// them) and whether it stopped on an error.
func rawTokens(data []byte) ([]string, bool) {
	d := newDecoder(bytes.NewReader(data))
	return tokens(func() (string, error) {
		tok, err := d.RawToken()
		switch t := tok.(type) {
		case xml.StartElement:
			s := "<" + t.Name.Space + "|" + t.Name.Local
			for _, a := range t.Attr {
				s += fmt.Sprintf(" %s|%s=%q", a.Name.Space, a.Name.Local, a.Value)
			}
			return s + ">", err
		case xml.EndElement:
			return "</" + t.Name.Local + ">", err
		case xml.CharData:
			return fmt.Sprintf("%q", string(t)), err
		}
		return "", err
	})
}

// scannedTokens lists the scanner's tokens the same way, reading through
// r with a buffer of bufSize bytes to begin with.
func scannedTokens(r io.Reader, bufSize int) ([]string, bool) {
	x := &xmlScanner{r: r, buf: make([]byte, bufSize)}
	return tokens(func() (string, error) {
		k, err := x.next()
		switch {
		case err != nil:
			return "", err
		case k == xmlStart:
			s := "<|" + string(x.name)
			for _, a := range x.attrs {
				s += fmt.Sprintf(" %s|%s=%q", a.space, a.local, a.value)
			}
			return s + ">", nil
		case k == xmlEnd:
			return "</" + string(x.name) + ">", nil
		}
		return fmt.Sprintf("%q", string(x.text)), nil
	})
}

// The scanner's start tags carry no element prefix: drop encoding/xml's.
func dropElementSpace(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		if strings.HasPrefix(t, "<") {
			if j := strings.IndexByte(t, '|'); j > 0 {
				t = "<|" + t[j+1:]
			}
		}
		out[i] = t
	}
	return out
}

// sameTokens checks that the scanner reads data as encoding/xml's
// RawToken does: the same tokens, and an error where it has one, however
// the bytes arrive.
func sameTokens(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := rawTokens(data)
	want = dropElementSpace(want)
	for _, r := range []struct {
		name string
		r    io.Reader
		size int
	}{
		{"whole", bytes.NewReader(data), 32 << 10},
		{"byte by byte", iotest.OneByteReader(bytes.NewReader(data)), 1},
		{"halves", iotest.HalfReader(bytes.NewReader(data)), 3},
	} {
		got, gotErr := scannedTokens(r.r, r.size)
		if gotErr != wantErr || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s: %q\nscanner (error %v):\n%s\nencoding/xml (error %v):\n%s", r.name, data, gotErr,
				strings.Join(got, "\n"), wantErr, strings.Join(want, "\n"))
		}
	}
}

var xmlCases = []string{
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a x="1" y='2'>t<b/>u</a>`,
	`<x:row r="1" x:spans="1:3"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row>`,
	`<t xml:space="preserve"> a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#65;&#x42;&#x1F600; </t>`,
	"<t>linha\r\noutra\rmais</t><a v=\"x\r\ny\"/>",
	`<a><![CDATA[<b>&amp;]]]></a><!-- comentário --><?pi dados?><!DOCTYPE a [<!ENTITY e "x">]>`,
	`<a b="1"c="2"/>`, `<a  b = "1" />`, `<a/ >`, `<a b=1/>`, `<a b/>`, `<a b="<"/>`, `< a/>`, `<1a/>`, `<a:b:c/>`,
	`<:a/>`, `<a:/>`, `<a :b="1"/>`, `</a >`, `</a b>`, `</>`, `<a>&unknown;</a>`, `<a>&#0;</a>`, `<a>&#xD800;</a>`,
	`<a>&#x110000;</a>`, `<a>&#X41;</a>`, `<a>&#;</a>`, `<a>& b</a>`, `<a>&amp</a>`, "<a>\x01</a>", "<a>\xff</a>",
	"<a>\uFFFE</a>", `<a>]]></a>`, `<a>]]&gt;</a>`, `<a v="]]>"/>`, `<!-- a -- b -->`, `<!--->`, `<!---->`,
	`<!- x>`, `<![CDAT[x]]>`, `<![CDATA[x`, `<!DOCTYPE a <b> "c>" <!-- d> -->>`, `<!D <>>`, `<!>x>`,
	`<?xml version="1.1"?><a/>`, `<?xml?>`, `<?xml-stylesheet href="a"?>`, `<? x?>`, `<?a:b:c x?>`,
	`<?xml version="1.0" encoding="ISO-8859-1"?><a>` + "caf\xe9" + `</a>`, `<?xml encoding="nada"?><a/>`,
	`<?xml encoding="utf8"?><a>` + "\xff" + `</a>`, "\ufeff<a/>", `<a>`, `<a b="1"`, `<a`, `<`, `</a`, `text only`,
	`<é/>`, `<aé b="1"/>`, "<a\u00a0/>", `<a é="1"/>`, `<a><b></a></b>`, "<a>\t\n</a>", `<?`, `<!`, `<!-`,
}

func TestXMLScannerAsEncodingXML(t *testing.T) {
	for _, c := range xmlCases {
		sameTokens(t, []byte(c))
	}
	// A long text and a tag longer than the first buffer.
	sameTokens(t, []byte("<a v=\""+strings.Repeat("x>", 5000)+"\">"+strings.Repeat("texto &amp; ", 10000)+"</a>"))
}

func FuzzXMLScannerAsEncodingXML(f *testing.F) {
	for _, c := range xmlCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) { sameTokens(t, data) })
}
