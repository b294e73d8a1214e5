package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/internal/store"
	"github.com/ses-mg/telemonitor/internal/store/storetest"
)

func TestQuickCheck(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := store.QuickCheck(ctx, filepath.Join(dir, "novo.db")); err != nil {
		t.Errorf("a database not created yet: %v", err)
	}
	good := filepath.Join(dir, "bom.db")
	storetest.FillForCorruption(t, good)
	if err := store.QuickCheck(ctx, good); err != nil {
		t.Fatalf("sound database: %v", err)
	}
	bad := filepath.Join(dir, "ruim.db")
	storetest.CorruptCopy(t, good, bad)
	err := store.QuickCheck(ctx, bad)
	var ce *store.CorruptError
	if !errors.As(err, &ce) || ce.Path != bad || len(ce.Problems) == 0 {
		t.Fatalf("corrupt database: %v", err)
	}
	if len(ce.Problems) > 10 {
		t.Errorf("%d problems kept, want at most 10", len(ce.Problems))
	}
	notDB := filepath.Join(dir, "texto.db")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("não é um banco SQLite\n", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := store.QuickCheck(ctx, notDB); !errors.As(err, &ce) {
		t.Errorf("a text file: %v", err)
	}
}
