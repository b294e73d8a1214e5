package ingest_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/store"
)

// TestProgrammeMirror imports the samples as one set and, after every
// file, compares the programme the set keeps in memory (advanced by the
// mirrored rules, or read again in part after a Moodle file) with the
// programme read whole from the file's transaction. Once with the files
// whole and once read as long files (stored in blocks of 7).
func TestProgrammeMirror(t *testing.T) {
	for _, long := range []bool{false, true} {
		t.Run(fmt.Sprintf("long=%v", long), func(t *testing.T) {
			if long {
				defer ingest.SetBlockRows(7)()
			}
			files := 0
			defer ingest.SetAfterApply(func(ctx context.Context, tx *store.Tx, kept *store.Programme) {
				files++
				read, err := tx.LoadProgramme(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := dump(kept), dump(read); got != want {
					t.Errorf("file %d: the programme kept differs from the one read:\n%s", files, diffLines(got, want))
				}
			})()
			a := openApp(t)
			reps, err := a.Ingest.ImportSet(context.Background(), sampleSet(t), ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if applied := countStatus(reps, ingest.Imported); files != applied || files < 150 {
				t.Errorf("compared after %d files, %d applied", files, applied)
			}
		})
	}
}

// TestProgrammeMirrorLinks: a Moodle file after another in the same set
// reads the training records again; the confirmed links come back with
// them (the samples have none).
func TestProgrammeMirrorLinks(t *testing.T) {
	ctx := context.Background()
	a := openApp(t)
	if _, err := a.Ingest.ImportSet(ctx, sampleSet(t), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	rec, err := a.Store.Reconciliation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, p := rec.Completions[0], rec.Professionals[0]
	if _, err := a.Store.AddLink(ctx, store.LinkRow{Course: c.Course, PersonKey: c.PersonKey, ProfessionalIBGE: p.IBGE,
		ProfessionalCPF: p.CPF, Reason: "teste", LinkedBy: "t@x.br"}); err != nil {
		t.Fatal(err)
	}
	moodle, err := data.Samples.ReadFile("samples/moodle/completion-telessaude_mg_bloco1-20241014_1620-comma_separated.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(moodle), "\n")
	files := []ingest.File{
		{Name: "completion-telessaude_mg_bloco1-20241101_0900-comma_separated.csv", Data: []byte(strings.Join(lines[:30], ""))},
		{Name: "completion-telessaude_mg_bloco1-20241102_0900-comma_separated.csv", Data: []byte(strings.Join(lines[:60], ""))},
	}
	links := 0
	defer ingest.SetAfterApply(func(ctx context.Context, tx *store.Tx, kept *store.Programme) {
		read, err := tx.LoadProgramme(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := dump(kept), dump(read); got != want {
			t.Errorf("the programme kept differs from the one read:\n%s", diffLines(got, want))
		}
		links = len(kept.Links)
	})()
	reps, err := a.Ingest.ImportSet(ctx, files, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := countStatus(reps, ingest.Imported); n != 2 || links != 1 {
		t.Errorf("%d files applied, %d links kept; want 2 and 1", n, links)
	}
}

func countStatus(reps []ingest.Report, s ingest.Status) int {
	n := 0
	for _, r := range reps {
		if r.Status == s {
			n++
		}
	}
	return n
}

// dump writes a programme as text, one record a line, leaving out the
// municipalities about which nothing is known (the engine sees them the
// same whether they have an empty input or none).
func dump(p *store.Programme) string {
	var b strings.Builder
	src := func(s conditions.Source) string {
		return fmt.Sprintf("%d:%s:%s#%d", s.BatchID(), s.File(), day(s.ImportedAt()), s.Row)
	}
	for _, ibge := range slices.Sorted(maps.Keys(p.Inputs)) {
		in := p.Inputs[ibge]
		if in.Coverage == nil && len(in.Formalisations) == 0 && len(in.Nominations) == 0 && len(in.Professionals) == 0 &&
			in.SheetSince.BatchID() == 0 && in.DataSentOn.IsZero() {
			continue
		}
		fmt.Fprintf(&b, "%s sheet since %s, sent %s\n", ibge, src(in.SheetSince), day(in.DataSentOn))
		if c := in.Coverage; c != nil {
			fmt.Fprintf(&b, "  coverage %s %d %v %v %s\n", c.Nucleo, c.Stage, c.AAESeat, c.AAESetup, src(c.Source))
		}
		for _, f := range in.Formalisations {
			fmt.Fprintf(&b, "  formalisation %v %s %q %s\n", f.Signed, day(f.SignedOn), f.Reference, src(f.Source))
		}
		for _, n := range in.Nominations {
			fmt.Fprintf(&b, "  nomination %q %s %s\n", n.Name, day(n.CompletedAt), src(n.Source))
		}
		for _, pr := range in.Professionals {
			fmt.Fprintf(&b, "  professional %s %q %s %s\n", pr.CPF, pr.Email, pr.CareLevel, src(pr.Source))
		}
	}
	for _, c := range p.Completions {
		fmt.Fprintf(&b, "completion %s %s %q %s %s\n", c.Course, c.CPF, c.Email, day(c.CompletedAt), src(c.Source))
	}
	for _, c := range p.Starts {
		fmt.Fprintf(&b, "start %s %s %q %s\n", c.Course, c.CPF, c.Email, src(c.Source))
	}
	for _, l := range p.Links {
		fmt.Fprintf(&b, "link %s %q %s\n", l.CompletionCPF, l.CompletionEmail, l.ProfessionalCPF)
	}
	for _, ibge := range slices.Sorted(maps.Keys(p.NucleoConflicts)) {
		fmt.Fprintf(&b, "conflict %s %v\n", ibge, p.NucleoConflicts[ibge])
	}
	return b.String()
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// diffLines shows the first lines where two dumps differ.
func diffLines(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var out []string
	for i := 0; i < max(len(g), len(w)) && len(out) < 10; i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			out = append(out, fmt.Sprintf("line %d\n  kept: %s\n  read: %s", i+1, a, b))
		}
	}
	return strings.Join(out, "\n")
}
