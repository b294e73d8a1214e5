// Package storetest helps tests damage a database the way a failing disk would.
package storetest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/internal/store"
)

// FillForCorruption creates a database at path with enough audit rows to
// span many pages, for tests that damage a copy of it (CorruptCopy).
func FillForCorruption(t testing.TB, path string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.Local)
	for i := range 2000 {
		e := store.AuditEntry{At: at, Actor: fmt.Sprintf("p%d@x.br", i), Action: "login", Detail: strings.Repeat("d", 200),
			IP: "10.0.0.1", Outcome: "ok"}
		if err := st.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}

// CorruptCopy copies the database at from to to and writes garbage over a
// b-tree page in the middle of the copy (as a failing disk would).
func CorruptCopy(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := int(b[16])<<8 | int(b[17])
	if pageSize == 1 {
		pageSize = 65536
	}
	pages := len(b) / pageSize
	for p := pages / 2; p < pages; p++ {
		page := b[p*pageSize : (p+1)*pageSize]
		switch page[0] {
		case 0x02, 0x05, 0x0a, 0x0d: // index or table b-tree page, interior or leaf
			for i := range page {
				page[i] = byte(i*131 + 7)
			}
			if err := os.WriteFile(to, b, 0o600); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no b-tree page in the second half of %s", from)
}
