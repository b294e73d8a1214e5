package table

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ses-mg/telemonitor/internal/textnorm"
)

// excelEpoch is day 0 of Excel's 1900 date system, on a clock without
// zone changes (see fromSerial).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

var (
	serialPattern = regexp.MustCompile(`^[0-9]{1,6}(\.[0-9]+)?$`)
	// dd/mm/yyyy, d/mm/yy, optionally ", hh:mm[:ss]" or " hh:mm[:ss]".
	dmyPattern = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4}),?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$`)
	// ISO 8601: yyyy-mm-dd[Thh:mm[:ss[.fff]][Z|±hh[:mm]]], T or a space.
	isoPattern = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$`)
	// Moodle long form: [weekday,] 12 March 2024[, 9:41 AM] / 12 mar 2024, 09:41
	longPattern = regexp.MustCompile(`^(?:[a-z ]+ )?(\d{1,2}) ([a-z]+) (\d{4})(?: (\d{1,2}) (\d{2})(?: (am|pm))?)?$`)
)

var months = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
	"janeiro": 1, "fevereiro": 2, "marco": 3, "abril": 4, "maio": 5, "junho": 6, "julho": 7, "agosto": 8,
	"setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
	"fev": 2, "abr": 4, "mai": 5, "ago": 8, "set": 9, "out": 10, "dez": 12,
}

// ParseDate reads the date forms of FORMATS.md, always day first: dd/mm/yyyy,
// d/mm/yyyy hh:mm, dd/mm/yy, hh:mm, yyyy-mm-dd[ hh:mm:ss], ISO 8601 with
// fractional seconds and Z or an offset (to Brasília time), Excel serial
// numbers and Moodle's long forms in English and Portuguese. ok is false for
// anything else, including impossible dates.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if y, mo, d, h, mi, sec, ok := fastFields(s); ok {
		return build(y, mo, d, h, mi, sec)
	}
	return parseGeneral(s)
}

// ParseDateMinute is ParseDate to the minute: the wall clock's seconds
// (and any fraction) are dropped, not rounded.
func ParseDateMinute(s string) (time.Time, bool) {
	t, ok := ParseDate(s)
	if !ok || t.Second() == 0 && t.Nanosecond() == 0 {
		return t, ok
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, t.Location()), true
}

// fastFields reads, without regular expressions, the layouts the
// exports mostly use: dd/mm/yyyy and yyyy-mm-dd, alone or with " hh:mm"
// or " hh:mm:ss" (ISO also with a T), every field with its full number
// of digits and no zone. Anything else is left to parseGeneral, and what
// it reads here it reads the same there (FuzzFastDate).
func fastFields(s string) (y, mo, d, h, mi, sec int, ok bool) {
	if len(s) != 10 && len(s) != 16 && len(s) != 19 {
		return
	}
	switch {
	case s[2] == '/' && s[5] == '/':
		d, mo, y = digits(s[0:2]), digits(s[3:5]), digits(s[6:10])
		if len(s) > 10 && s[10] != ' ' {
			return
		}
	case s[4] == '-' && s[7] == '-':
		y, mo, d = digits(s[0:4]), digits(s[5:7]), digits(s[8:10])
		if len(s) > 10 && s[10] != ' ' && s[10] != 'T' {
			return
		}
	default:
		return
	}
	if len(s) > 10 {
		if s[13] != ':' {
			return
		}
		h, mi = digits(s[11:13]), digits(s[14:16])
		if len(s) == 19 {
			if s[16] != ':' {
				return
			}
			sec = digits(s[17:19])
		}
	}
	ok = y >= 0 && mo >= 0 && d >= 0 && h >= 0 && mi >= 0 && sec >= 0
	return
}

// digits is the number written by the ASCII digits s, or -1.
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// parseGeneral is ParseDate for a trimmed text, by the patterns.
func parseGeneral(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if serialPattern.MatchString(s) {
		return fromSerial(s)
	}
	if m := dmyPattern.FindStringSubmatch(s); m != nil {
		year := atoi(m[3])
		if len(m[3]) == 2 {
			year += 2000
		}
		return build(year, atoi(m[2]), atoi(m[1]), atoi(m[4]), atoi(m[5]), atoi(m[6]))
	}
	if m := isoPattern.FindStringSubmatch(s); m != nil {
		t, ok := build(atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5]), atoi(m[6]))
		if !ok || m[7] == "" {
			return t, ok
		}
		return inBrasilia(t, m[7])
	}
	if m := longPattern.FindStringSubmatch(textnorm.Fold(s)); m != nil {
		mon, ok := months[m[2]]
		if !ok {
			return time.Time{}, false
		}
		hour := atoi(m[4])
		if m[6] != "" && (hour < 1 || hour > 12) {
			return time.Time{}, false
		}
		switch {
		case m[6] == "pm" && hour < 12:
			hour += 12
		case m[6] == "am" && hour == 12:
			hour = 0
		}
		return build(atoi(m[3]), int(mon), atoi(m[1]), hour, atoi(m[5]), 0)
	}
	return time.Time{}, false
}

func fromSerial(s string) (time.Time, bool) {
	f, err := strconv.ParseFloat(s, 64)
	// Serial 32874 is 1990-01-01 and 73415 is 2100-12-31: the range every
	// other date form accepts too (found by FuzzParseDate).
	if err != nil || f < 32874 || f >= 73416 {
		return time.Time{}, false
	}
	days := math.Floor(f)
	secs := math.Round((f - days) * 86400)
	// The serial is a wall clock: count it on a clock without zone changes
	// and build it in time.Local, at the time of the call, like every other
	// form (and through the same checks), rather than adding durations to
	// an epoch in whatever zone the process had when it started.
	t := excelEpoch.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second)
	return build(t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second())
}

// brasilia is Brasília time: UTC-3 all year since daylight saving time
// ended in 2019 (a fixed zone, so no tzdata is needed).
var brasilia = time.FixedZone("BRT", -3*60*60)

// inBrasilia reads the wall time t (built in time.Local like every other
// date form) as a time in zone ("Z", "+01", "-03:00", "+0530") and returns
// Brasília's wall time at that instant, again in time.Local.
func inBrasilia(t time.Time, zone string) (time.Time, bool) {
	offset := 0
	if zone != "Z" {
		digits := strings.ReplaceAll(zone[1:], ":", "")
		offset = atoi(digits[:2])*3600 + atoi(digits[2:])*60
		if offset > 14*3600 || atoi(digits[2:]) > 59 {
			return time.Time{}, false
		}
		if zone[0] == '-' {
			offset = -offset
		}
	}
	at := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC).
		Add(-time.Duration(offset) * time.Second).In(brasilia)
	return build(at.Year(), int(at.Month()), at.Day(), at.Hour(), at.Minute(), at.Second())
}

func build(y, mo, d, h, mi, sec int) (time.Time, bool) {
	if y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.Local)
	if t.Day() != d {
		return time.Time{}, false // 31/02
	}
	return t, true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// Time is the time type dates are parsed to.
type Time = time.Time
