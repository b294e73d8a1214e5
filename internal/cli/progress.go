package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ses-mg/telemonitor/internal/present"
)

// progress draws one line on a terminal while a file is being read:
// "arquivo: 12.345 linhas (8.210 linhas/s)". It stays silent for files
// read in under a second and when the output is not a terminal.
type progress struct {
	w       io.Writer
	file    string
	now     func() time.Time
	start   time.Time
	last    time.Time
	visible bool
}

const (
	progressAfter = time.Second
	progressEvery = 200 * time.Millisecond
)

func newProgress(w io.Writer, file string, now func() time.Time) *progress {
	t := now()
	return &progress{w: w, file: file, now: now, start: t, last: t}
}

// rows is called by the importer with the rows read so far.
func (p *progress) rows(n int) {
	t := p.now()
	if t.Sub(p.start) < progressAfter || t.Sub(p.last) < progressEvery {
		return
	}
	p.last = t
	rate := float64(n) / t.Sub(p.start).Seconds()
	fmt.Fprintf(p.w, "\r\033[K%s: %s linhas (%s linhas/s)", p.file, present.Thousands(n), present.Thousands(int(rate)))
	p.visible = true
}

// done erases the line, if one was drawn.
func (p *progress) done() {
	if p.visible {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
