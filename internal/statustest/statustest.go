// Package statustest compares a status CSV (telemonitor status) with an
// expected one, for the end-to-end tests of the importers and the ingest.
package statustest

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// Compare compares a status CSV with the expected one, column by
// column, by the expected file's headers.
func Compare(t testing.TB, gotCSV, wantCSV []byte) {
	t.Helper()
	got, err := csv.NewReader(bytes.NewReader(gotCSV)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want, err := csv.NewReader(bytes.NewReader(wantCSV)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got)-1, len(want)-1)
	}
	col := map[string]int{}
	for i, h := range got[0] {
		col[h] = i
	}
	for i := 1; i < len(want); i++ {
		for j, h := range want[0] {
			c, ok := col[h]
			if !ok {
				t.Fatalf("status has no column %q", h)
			}
			if got[i][c] != want[i][j] {
				t.Errorf("%s %s: %s = %q, want %q", want[i][0], want[i][1], h, got[i][c], want[i][j])
			}
		}
	}
}
