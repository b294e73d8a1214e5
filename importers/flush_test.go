package importers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/importers"
	"github.com/ses-mg/telemonitor/importers/importertest"
	"github.com/ses-mg/telemonitor/internal/ident"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/scale"
)

// TestFlushHoldsOneBlock: with a sink, a file of any length is handed on
// in blocks and the result never holds more than a block of records and
// issues; the records, issues and counts handed on are those of reading
// the file whole, and a CPF repeated blocks apart is still a duplicate.
func TestFlushHoldsOneBlock(t *testing.T) {
	var b strings.Builder
	b.WriteString("Município;Nome;CPF;Nível de atenção\n")
	const n = 5000
	for i := range n {
		town := "Itabira"
		if i%7 == 0 {
			town = "Gotham" // rejected: an issue per 7 rows
		}
		fmt.Fprintf(&b, "%s;Pessoa %d;%s;APS\n", town, i, ident.FormatCPF(scale.CPF(200000000+i*31)))
	}
	fmt.Fprintf(&b, "Itabira;Repetida;%s;APS\n", ident.FormatCPF(scale.CPF(200000000+31)))
	data := []byte(b.String())

	whole := importertest.ParseBytes(t, "cadastro.csv", data)
	const block = 64
	var got []records.Professional
	var issues []records.Issue
	most := 0
	ctx := importertest.Context(t, "cadastro.csv")
	ctx.Block = block
	ctx.Flush = func(r *records.Result) error {
		most = max(most, r.Held())
		got = append(got, r.Professionals...)
		issues = append(issues, r.Issues...)
		return nil
	}
	res, err := importers.Parse(ctx, data, "")
	if err != nil {
		t.Fatal(err)
	}
	if most > block || res.Held() > block {
		t.Errorf("held %d records and issues (%d at the end), want at most %d", most, res.Held(), block)
	}
	got = append(got, res.Professionals...)
	issues = append(issues, res.Issues...)
	if len(got) != len(whole.Professionals) || len(issues) != len(whole.Issues) {
		t.Fatalf("%d professionals and %d issues in blocks, %d and %d whole", len(got), len(issues), len(whole.Professionals), len(whole.Issues))
	}
	for i := range got {
		if got[i] != whole.Professionals[i] {
			t.Fatalf("professional %d: %+v in blocks, %+v whole", i, got[i], whole.Professionals[i])
		}
	}
	if last := issues[len(issues)-1]; last.Code != records.CPFDuplicado || last.Row != n+2 {
		t.Errorf("last issue %+v, want the repeated CPF of row %d", last, n+2)
	}
	if res.RowsRead != whole.RowsRead || res.Accepted != whole.Accepted || res.Rejected != whole.Rejected ||
		res.Warnings() != whole.Warnings() || res.IssueCount() != len(whole.Issues) ||
		res.CodeCounts(records.Error) != whole.CodeCounts(records.Error) {
		t.Errorf("counts in blocks %d/%d/%d/%d/%d, whole %d/%d/%d/%d/%d", res.RowsRead, res.Accepted, res.Rejected, res.Warnings(),
			res.IssueCount(), whole.RowsRead, whole.Accepted, whole.Rejected, whole.Warnings(), len(whole.Issues))
	}
	if rep := res.ReportedIssues(); len(rep) != len(whole.Issues) || rep[0] != whole.Issues[0] {
		t.Errorf("reported issues: %d, want %d", len(rep), len(whole.Issues))
	}
}
