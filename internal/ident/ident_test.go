package ident

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

type vectors struct {
	CPF map[string]bool `json:"cpf"`
	CNS map[string]bool `json:"cns"`
}

func loadVectors(t *testing.T) vectors {
	t.Helper()
	// A copy of shared/formats/test_vectors.json.
	b, err := os.ReadFile("testdata/test_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCPFVectors(t *testing.T) {
	v := loadVectors(t)
	if len(v.CPF) == 0 {
		t.Fatal("no CPF vectors")
	}
	for raw, want := range v.CPF {
		// The vectors tell validity as written: "1234567890" is invalid
		// as-is, and is accepted only with its zero restored.
		got := CPF(raw, false)
		if asIs := got.Valid && !got.ZerosRestored; asIs != want {
			t.Errorf("CPF(%q) = %+v, valid as written %v", raw, got, want)
		}
	}
}

func TestCNSVectors(t *testing.T) {
	v := loadVectors(t)
	if len(v.CNS) == 0 {
		t.Fatal("no CNS vectors")
	}
	for raw, want := range v.CNS {
		if got := CNS(raw, false).Valid; got != want {
			t.Errorf("CNS(%q) valid = %v, want %v", raw, got, want)
		}
	}
}

func TestCPFNumberCell(t *testing.T) {
	tests := []struct {
		raw             string
		fromNumber      bool
		canonical       string
		valid, restored bool
	}{
		{"1234567890", true, "01234567890", true, true},
		{"1234567890", false, "01234567890", true, true},
		{"5299822472", false, "5299822472", false, false},
		{"123456797", false, "00123456797", true, true},
		{"12345678", true, "12345678", false, false},
		{"52998224725", true, "52998224725", true, false},
		{"5.2998224725E+10", true, "52998224725", true, false},
		{"012.345.678-90", false, "01234567890", true, false},
		{"", false, "", false, false},
	}
	for _, tt := range tests {
		got := CPF(tt.raw, tt.fromNumber)
		if got.Canonical != tt.canonical || got.Valid != tt.valid || got.ZerosRestored != tt.restored {
			t.Errorf("CPF(%q,%v) = %+v", tt.raw, tt.fromNumber, got)
		}
	}
}

func TestScientificNotationIsLost(t *testing.T) {
	for _, raw := range []string{"2,26018E+14", "7,37866E+14", "2.26018E+14"} {
		got := CNS(raw, false)
		if !got.Lost || got.Valid {
			t.Errorf("CNS(%q) = %+v, want lost", raw, got)
		}
	}
	// A number with six significant digits in fifteen was typed or read
	// in scientific notation: lost, from a number cell or as text.
	for _, raw := range []string{"296840000000000", "2.9684E+14", "226018000000000"} {
		for _, number := range []bool{true, false} {
			if got := CNS(raw, number); !got.Lost || got.Valid {
				t.Errorf("CNS(%q, %v) = %+v, want lost", raw, number, got)
			}
		}
	}
	if got := CNS("226018159000000", true); got.Lost {
		t.Errorf("CNS with seven significant digits = %+v", got)
	}
	if got := CPF("12345600000", true); got.Lost {
		t.Errorf("CPF ending in zeros = %+v", got)
	}
	// A number cell written with an exponent in the file's XML is exact.
	got := CNS("2.26018159080006E+14", true)
	if got.Lost || !got.Valid || got.Canonical != "226018159080006" {
		t.Errorf("CNS from number cell = %+v", got)
	}
}

func TestFixedLength(t *testing.T) {
	tests := []struct {
		name  string
		got   Value
		canon string
		valid bool
	}{
		{"cnes number", CNES("947202", true), "0947202", true},
		{"cnes text of 6", CNES("947202", false), "0947202", true},
		{"cnes text of 5", CNES("94720", false), "94720", false},
		{"cnes ok", CNES("2204010", false), "2204010", true},
		{"ine text short", INE("1234567", false), "0001234567", true},
		{"ine number", INE("276546", true), "0000276546", true},
		{"ine long", INE("12345678901", false), "12345678901", false},
		{"cbo letters", CBO("2231f9", false), "2231F9", true},
		{"cbo number", CBO("21205", true), "021205", true},
		{"cbo bad", CBO("22", false), "22", false},
	}
	for _, tt := range tests {
		if tt.got.Canonical != tt.canon || tt.got.Valid != tt.valid {
			t.Errorf("%s: %+v, want %s/%v", tt.name, tt.got, tt.canon, tt.valid)
		}
	}
}

func TestEmailPhone(t *testing.T) {
	if v := Email(" Maria.Souza@Example.ORG "); !v.Valid || v.Canonical != "maria.souza@example.org" {
		t.Errorf("email %+v", v)
	}
	for _, bad := range []string{"anonymous", "a@b", "a b@c.d", ""} {
		if Email(bad).Valid {
			t.Errorf("email %q accepted", bad)
		}
	}
	phones := map[string]bool{
		"(31) 98765-4321": true, "31 3833-0000": true, "+55 31 99693-5808": true, "32989090927": true,
		"031 3833-0000": true, "3833-0000": false, "(31) 1833-0000": false, "": false,
	}
	for raw, want := range phones {
		if got := Phone(raw, false).Valid; got != want {
			t.Errorf("Phone(%q) = %v, want %v", raw, got, want)
		}
	}
}

func TestIBGE6(t *testing.T) {
	for raw, want := range map[string]string{"3100203": "310020", "310020": "310020", "31": "", "abc": ""} {
		if got := IBGE6(raw); got != want {
			t.Errorf("IBGE6(%q) = %q, want %q", raw, got, want)
		}
	}
}

func FuzzCPF(f *testing.F) {
	for _, s := range []string{"529.982.247-25", "1234567890", "2,26018E+14", "", "9e999"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, raw string, fromNumber bool) {
		v := CPF(raw, fromNumber)
		if v.Valid && (len(v.Canonical) != 11 || !ValidCPF(v.Canonical)) {
			t.Fatalf("valid CPF with bad canonical %q", v.Canonical)
		}
		c := CNS(raw, fromNumber)
		if c.Valid && len(c.Canonical) != 15 {
			t.Fatalf("valid CNS %q", c.Canonical)
		}
		_ = INE(raw, fromNumber)
		_ = CNES(raw, fromNumber)
		_ = CBO(raw, fromNumber)
		_ = Phone(raw, fromNumber)
		_ = Email(raw)
	})
}

func TestMasks(t *testing.T) {
	tests := []struct {
		fn       func(string) string
		in, want string
	}{
		{MaskCPF, "12345678909", "***.456.789-**"},
		{MaskCPF, "123", "***.***.***-**"},
		{MaskCPF, "1234567890a", "***.***.***-**"},
		{MaskEmail, "maria.silva@saude.mg.gov.br", "ma***@saude.mg.gov.br"},
		{MaskEmail, "a@b.br", "***@b.br"},
		{MaskEmail, "jô@x.br", "j***@x.br"},
		{MaskEmail, "sem-arroba", "***"},
		{MaskEmail, "", ""},
		{MaskPhone, "(31) 99791-5118", "(**) *****-5118"},
		{MaskPhone, "123", "***"},
		{MaskPhone, "", ""},
	}
	for _, tc := range tests {
		if got := tc.fn(tc.in); got != tc.want {
			t.Errorf("mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzCanonicalIsStable: a valid value's canonical form is a fixed point
// (read back as text it is valid and unchanged), and masks never show more
// than six CPF digits.
func FuzzCanonicalIsStable(f *testing.F) {
	for _, s := range []string{"529.982.247-25", "898001160660005", "0001234567", "2617404", "2231F9", "(31) 99791-5118",
		"+55 31 3333-4444", "A@B.BR", "12345", "0"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, raw string, fromNumber bool) {
		parsers := map[string]func(string, bool) Value{"CPF": CPF, "CNS": CNS, "INE": INE, "CNES": CNES, "CBO": CBO, "Phone": Phone,
			"Email": func(s string, _ bool) Value { return Email(s) }}
		for name, parse := range parsers {
			v := parse(raw, fromNumber)
			if !v.Valid {
				continue
			}
			again := parse(v.Canonical, false)
			if !again.Valid || again.Canonical != v.Canonical {
				t.Fatalf("%s(%q) = %q, which reads back as %+v", name, raw, v.Canonical, again)
			}
		}
		if m := MaskCPF(raw); strings.Count(m, "*") < 5 || len(strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, m)) > 6 {
			t.Fatalf("MaskCPF(%q) = %q shows too much", raw, m)
		}
	})
}

// cboShape must accept exactly what ^[0-9]{4}[0-9A-Z]{2}$ accepts.
func FuzzCBOShape(f *testing.F) {
	pattern := regexp.MustCompile(`^[0-9]{4}[0-9A-Z]{2}$`)
	for _, s := range []string{"2231F9", "223505", "2231f9", "22A1F9", "2231F", "2231F99", "", "2231\xffZ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := cboShape(s), pattern.MatchString(s); got != want {
			t.Fatalf("cboShape(%q) = %v, the pattern says %v", s, got, want)
		}
	})
}

// emailShape must accept exactly what the pattern it replaces accepts.
func FuzzEmailShape(f *testing.F) {
	pattern := regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	for _, s := range []string{"a@b.br", "a@.b", "a@b.", "@b.br", "a@b@c.br", "a b@c.br", "a@b..", "a@.b.c", "a@bc", "ç@ã.br", "a@b\t.br", "a@b.\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := emailShape(s), pattern.MatchString(s); got != want {
			t.Fatalf("emailShape(%q) = %v, the pattern says %v", s, got, want)
		}
	})
}
