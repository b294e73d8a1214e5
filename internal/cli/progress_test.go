package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	clock := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	var out bytes.Buffer
	p := newProgress(&out, "moodle.csv", now)

	clock = clock.Add(500 * time.Millisecond)
	p.rows(5000)
	if out.Len() != 0 {
		t.Fatalf("drew before a second: %q", out.String())
	}
	clock = clock.Add(1500 * time.Millisecond)
	p.rows(24000)
	if got := out.String(); !strings.Contains(got, "moodle.csv: 24.000 linhas (12.000 linhas/s)") {
		t.Fatalf("line = %q", got)
	}
	before := out.Len()
	clock = clock.Add(50 * time.Millisecond)
	p.rows(24100)
	if out.Len() != before {
		t.Errorf("redrew within %v", progressEvery)
	}
	p.done()
	if !strings.HasSuffix(out.String(), "\r\033[K") {
		t.Errorf("line not erased: %q", out.String())
	}
}

func TestProgressSilentForQuickFiles(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, "x.csv", time.Now)
	p.rows(1000)
	p.done()
	if out.Len() != 0 {
		t.Errorf("output = %q", out.String())
	}
}
