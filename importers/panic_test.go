package importers_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/importers"
	"github.com/ses-mg/telemonitor/importers/abrangencia"
	"github.com/ses-mg/telemonitor/importers/common"
	"github.com/ses-mg/telemonitor/importers/importertest"
	"github.com/ses-mg/telemonitor/importers/table"
	"github.com/ses-mg/telemonitor/internal/records"
)

// buggyImporter reads abrangência sheets and trips over its own bug.
func buggyImporter() *common.Importer {
	imp := abrangencia.Descriptor
	imp.ParseSheet = func(ctx *common.Context, sc *table.Scanner, sheet string, res *records.Result) error {
		var counts map[string]int
		counts[sheet]++ // assignment to entry in nil map
		return nil
	}
	return &imp
}

// A parser bug is one file's internal error, with a reference that finds
// its log record and stack; the program goes on.
func TestParserPanicIsLoggedInternalError(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, nil)))
	defer slog.SetDefault(old)
	restore := importers.SwapDetectionOrder(buggyImporter())
	defer restore()

	path := filepath.Join(samplesDir, "abrangencia.xlsx")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := importertest.Context(t, "abrangencia.xlsx")
	for _, kind := range []records.Kind{"", records.Kind("abrangencia")} {
		res, err := importers.Parse(ctx, data, kind)
		if res != nil || !table.IsFileError(err) {
			t.Fatalf("kind %q: result %v, error %v; want a file error", kind, res, err)
		}
		m := regexp.MustCompile(`^erro interno ao ler este arquivo; a equipe técnica foi avisada \(registro (\S+)\)$`).FindStringSubmatch(err.Error())
		if m == nil {
			t.Fatalf("kind %q: message %q", kind, err)
		}
		var rec struct {
			Level, Msg, Ref, File, Panic, Stack string
		}
		found := false
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("log line %q: %v", line, err)
			}
			if rec.Ref == m[1] {
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("kind %q: no log record with reference %s in %s", kind, m[1], logs.String())
		}
		if rec.Level != "ERROR" || rec.File != "abrangencia.xlsx" || !strings.Contains(rec.Panic, "nil map") ||
			!strings.Contains(rec.Stack, "buggyImporter.func") || !strings.Contains(rec.Stack, "panic_test.go") {
			t.Errorf("kind %q: log record %+v", kind, rec)
		}
	}
	restore()
	if res, err := importers.Parse(ctx, data, ""); err != nil || res.Kind != records.Kind("abrangencia") {
		t.Errorf("the next file: %v %v", res, err)
	}
}
