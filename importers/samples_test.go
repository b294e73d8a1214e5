package importers_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/importers/importertest"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/records"
)

const samplesDir = "../data/samples"

// TestSampleFileCounts parses every sample file on its own (no database)
// and compares kind, sheets and counts with expected_imports.csv. The
// reconciliation warning of Moodle files needs the registered
// professionals, so it is computed from the parsed registration sheets.
func TestSampleFileCounts(t *testing.T) {
	f, err := os.Open(filepath.Join(samplesDir, "expected/expected_imports.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	results := map[string]*records.Result{}
	var professionals []conditions.Professional
	for _, row := range rows[1:] {
		res := importertest.ParseFile(t, filepath.Join(samplesDir, row[0]))
		results[row[0]] = res
		for _, p := range res.Professionals {
			professionals = append(professionals, conditions.Professional{CPF: p.CPF, Email: p.Email})
		}
	}
	registry := conditions.NewRegistry(professionals)
	for _, row := range rows[1:] {
		res := results[row[0]]
		warnings := warningCounts(res, registry)
		got := []string{string(res.Kind), strings.Join(res.Sheets, "|"), strconv.Itoa(res.RowsRead), strconv.Itoa(res.Accepted),
			strconv.Itoa(res.Rejected), res.CodeCounts(records.Error), strconv.Itoa(res.IgnoredTotal()), res.IgnoredCounts(), warnings}
		want := row[1:]
		for col, v := range sinceExpected[row[0]] {
			want[slices.Index(rows[0], col)-1] = v
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: column %s = %q, want %q", row[0], rows[0][i+1], got[i], want[i])
			}
		}
	}
}

// sinceExpected holds what FORMATS.md now says about a sample file where
// expected_imports.csv predates it (issue 14): in Campos Altos, the text
// CPF 8663553676 lost its leading zero and 08663553676 passes both check
// digits, so the row is accepted with zeros_restaurados.
var sinceExpected = map[string]map[string]string{
	"cadastro/FM-UFMG/Planilha_cadastro_profissionais_Campos_Altos.xlsx": {
		"rows_accepted": "5", "rows_rejected": "0", "rejected_reasons": "", "warnings": "zeros_restaurados=1"},
}

func warningCounts(res *records.Result, registry *conditions.Registry) string {
	m := map[string]int{}
	for _, i := range res.Issues {
		if i.Severity == records.Warning {
			m[i.Code]++
		}
	}
	for _, c := range res.Completions {
		if !registry.Has(conditions.Completion{CPF: c.CPF, Email: c.Email}) {
			m[records.ConclusaoSemProfissional]++
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+strconv.Itoa(m[k]))
	}
	return strings.Join(parts, ";")
}
