// Package ident normalises and validates the identifiers found in the
// programme's spreadsheets: CPF, CNS, CNES, INE, CBO, IBGE codes, e-mail and
// phone numbers, following FORMATS.md and RESEARCH.md section D.
//
// Spreadsheets damage identifiers in two ways. A number cell drops leading
// zeros, which can be restored because the length is known. A value shown in
// scientific notation ("2,26018E+14") has lost digits for good: it is
// reported as lost and never guessed.
package ident

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Value is what a raw cell became: the canonical digits (or text), whether
// it is valid, and what happened on the way.
type Value struct {
	Canonical     string
	Valid         bool
	ZerosRestored bool // leading zeros put back on a value from a number cell
	Lost          bool // scientific notation: the digits are gone
	Empty         bool
}

var sciNotation = regexp.MustCompile(`^[0-9]+([.,][0-9]+)?[eE][+]?[0-9]+$`)

// Digits keeps only the digits of a cell. fromNumber says the cell was a
// number cell, whose value may be written with an exponent ("1.2E+14" in the
// file's XML) and is then expanded when exact. lost is true when the digits
// cannot be recovered.
func Digits(raw string, fromNumber bool) (digits string, lost bool) {
	s := strings.TrimSpace(raw)
	if strings.ContainsAny(s, "eE") && sciNotation.MatchString(s) {
		if !fromNumber || strings.Contains(s, ",") {
			return "", true
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f != math.Trunc(f) || f >= 1e15 || f < 0 {
			return "", true
		}
		return exact(strconv.FormatUint(uint64(f), 10))
	}
	if fromNumber {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && f >= 0 && f < 1e15 {
			// FormatUint, not FormatFloat: a "-0" cell must not keep its sign.
			return exact(strconv.FormatUint(uint64(f), 10))
		}
	}
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return exact(b.String())
}

// exact returns the digits, or lost when they were rounded away.
func exact(d string) (string, bool) {
	if RoundedAway(d) {
		return "", true
	}
	return d, false
}

// RoundedAway reports whether a digit string looks like the expansion of a
// number shown in scientific notation: more than 11 digits (what Excel's
// General format shows whole) of which at most 6 are significant (what
// "2,26018E+14" keeps), the rest zeros. A real 15-digit CNS ends in nine
// zeros about once in ten billion; 296840000000000 is a lost one.
func RoundedAway(d string) bool {
	if len(d) <= 11 {
		return false
	}
	return len(strings.TrimRight(d, "0")) <= 6
}

func leftPad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// CPF validates a CPF: 11 digits, two mod-11 check digits, not all equal.
// A number cell of 9 or 10 digits is left-padded to 11 first. Text of 9 or
// 10 digits (a CSV, or an all-text sheet, saved from a number column) is
// padded only when the padded form passes both check digits.
func CPF(raw string, fromNumber bool) Value {
	d, lost := Digits(raw, fromNumber)
	v := Value{Lost: lost, Empty: d == "" && !lost}
	if len(d) >= 9 && len(d) < 11 && (fromNumber || ValidCPF(leftPad(d, 11))) {
		d = leftPad(d, 11)
		v.ZerosRestored = true
	}
	v.Canonical = d
	v.Valid = ValidCPF(d)
	return v
}

// ValidCPF checks an 11-digit string.
func ValidCPF(d string) bool {
	if len(d) != 11 || !allDigits(d) || strings.Count(d, d[:1]) == 11 {
		return false
	}
	for _, n := range []int{9, 10} {
		s := 0
		for i := 0; i < n; i++ {
			s += int(d[i]-'0') * (n + 1 - i)
		}
		r := s % 11
		dv := 0
		if r >= 2 {
			dv = 11 - r
		}
		if dv != int(d[n]-'0') {
			return false
		}
	}
	return true
}

// CNS validates a Cartão Nacional de Saúde number (DATASUS rule: definitive
// numbers starting 1 or 2, provisional ones starting 7, 8 or 9).
func CNS(raw string, fromNumber bool) Value {
	d, lost := Digits(raw, fromNumber)
	v := Value{Canonical: d, Lost: lost, Empty: d == "" && !lost}
	v.Valid = !lost && ValidCNS(d)
	return v
}

// ValidCNS checks a 15-digit string.
func ValidCNS(c string) bool {
	if len(c) != 15 || !allDigits(c) {
		return false
	}
	switch c[0] {
	case '1', '2':
		pis := c[:11]
		s := 0
		for i := 0; i < 11; i++ {
			s += int(pis[i]-'0') * (15 - i)
		}
		dv := 11 - s%11
		if dv == 11 {
			dv = 0
		}
		expected := pis + "000" + strconv.Itoa(dv)
		if dv == 10 {
			s += 2
			dv = 11 - s%11
			expected = pis + "001" + strconv.Itoa(dv)
		}
		return c == expected
	case '7', '8', '9':
		s := 0
		for i := 0; i < 15; i++ {
			s += int(c[i]-'0') * (15 - i)
		}
		return s%11 == 0
	}
	return false
}

// CNES validates an establishment code: 7 digits. Zeros are restored for
// number cells, and for text of 6 digits (one zero lost on the way).
func CNES(raw string, fromNumber bool) Value {
	return fixedLength(raw, fromNumber, 7, 6)
}

// INE validates a team code: 10 digits. INEs start with zeros, so a shorter
// value is left-padded whether or not it came from a number cell.
func INE(raw string, fromNumber bool) Value {
	return fixedLength(raw, fromNumber, 10, 1)
}

// fixedLength checks an n-digit code. A shorter one is left-padded when it
// came from a number cell, or when it has at least minText digits.
func fixedLength(raw string, fromNumber bool, n, minText int) Value {
	d, lost := Digits(raw, fromNumber)
	v := Value{Lost: lost, Empty: d == "" && !lost}
	if d != "" && len(d) < n && (fromNumber || len(d) >= minText) {
		d = leftPad(d, n)
		v.ZerosRestored = true
	}
	v.Canonical = d
	v.Valid = !lost && len(d) == n
	return v
}

var cboSeparators = strings.NewReplacer("-", "", ".", "", " ", "")

// cboShape: four digits, then two digits or capital letters.
func cboShape(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < 6; i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || i >= 4 && c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// CBO validates an occupation code: 6 characters, digits plus two
// alphanumerics for the CNES-specific codes (2231F9). Kept as text.
func CBO(raw string, fromNumber bool) Value {
	s := strings.ToUpper(strings.TrimSpace(raw))
	s = cboSeparators.Replace(s)
	v := Value{Empty: s == ""}
	if fromNumber && len(s) < 6 && allDigits(s) && s != "" {
		s = leftPad(s, 6)
		v.ZerosRestored = true
	}
	v.Canonical = s
	v.Valid = cboShape(s)
	return v
}

// Email lower-cases and trims an address and checks its shape.
func Email(raw string) Value {
	s := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(raw, "\u00a0", " ")))
	return Value{Canonical: s, Valid: emailShape(s), Empty: s == ""}
}

// emailShape is the pattern ^[^@\s]+@[^@\s]+\.[^@\s]+$ written out (the
// regular expression backtracks, and every row of a 100k-row Moodle file
// has an address): one @ with text before it, no white space, and a dot
// in the domain with text on both sides.
func emailShape(s string) bool {
	at := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '@':
			if at >= 0 {
				return false
			}
			at = i
		case ' ', '\t', '\n', '\f', '\r':
			return false
		}
	}
	if at < 1 {
		return false
	}
	d := s[at+1:]
	return len(d) >= 3 && strings.Contains(d[1:len(d)-1], ".")
}

// Phone keeps the digits of a Brazilian phone number, drops the country
// code and a trunk prefix, and accepts 10 digits (landline) or 11 (mobile).
func Phone(raw string, fromNumber bool) Value {
	d, lost := Digits(raw, fromNumber)
	v := Value{Lost: lost, Empty: d == "" && !lost}
	if strings.HasPrefix(d, "55") && (len(d) == 12 || len(d) == 13) {
		d = d[2:]
	}
	if strings.HasPrefix(d, "0") {
		d = d[1:]
		if len(d) == 13 || len(d) == 12 {
			d = d[2:]
		}
	}
	v.Canonical = d
	switch len(d) {
	case 10:
		v.Valid = d[0] != '0' && d[2] >= '2' && d[2] <= '5'
	case 11:
		v.Valid = d[0] != '0' && d[2] == '9'
	}
	return v
}

// IBGE6 returns the 6-digit DATASUS form of a 6- or 7-digit municipality
// code, or "" when the value is not such a code.
func IBGE6(raw string) string {
	d, _ := Digits(raw, true)
	if len(d) == 6 || len(d) == 7 {
		return d[:6]
	}
	return ""
}

// FormatCPF writes 11 digits as ddd.ddd.ddd-dd.
func FormatCPF(d string) string {
	if len(d) != 11 {
		return d
	}
	return d[:3] + "." + d[3:6] + "." + d[6:9] + "-" + d[9:]
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MaskCPF shows only the middle six digits of a CPF: ***.456.789-**.
// Anything that is not 11 digits is hidden entirely.
func MaskCPF(cpf string) string {
	if len(cpf) != 11 || !allDigits(cpf) {
		return "***.***.***-**"
	}
	return "***." + cpf[3:6] + "." + cpf[6:9] + "-**"
}

// MaskEmail keeps the first two characters of the local part and the
// domain: ma***@saude.mg.gov.br.
func MaskEmail(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at <= 0 {
		if email == "" {
			return ""
		}
		return "***"
	}
	local := []rune(email[:at])
	keep := min(2, len(local)-1)
	return string(local[:keep]) + "***" + email[at:]
}

// MaskPhone keeps the last four digits: (**) *****-1234.
func MaskPhone(phone string) string {
	var digits []rune
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			digits = append(digits, r)
		}
	}
	if len(digits) < 8 {
		if phone == "" {
			return ""
		}
		return "***"
	}
	return "(**) *****-" + string(digits[len(digits)-4:])
}
