package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ses-mg/telemonitor/data"
	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/records"
	"github.com/ses-mg/telemonitor/internal/sla"
	"github.com/ses-mg/telemonitor/internal/store"
)

const ibgeItabira = "3131703"

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, time.Local)
	if err != nil {
		panic(err)
	}
	return t
}

// batchOf stores a teleconsultas batch with the requests, in one transaction.
func batchOf(t *testing.T, st *store.Store, name string, reqs ...records.Teleconsultation) int64 {
	t.Helper()
	var id int64
	err := st.Update(context.Background(), func(tx *store.Tx) error {
		var err error
		id, err = tx.InsertBatch(context.Background(), store.Batch{FileName: name, SHA256: name, Kind: records.Teleconsultas,
			ImportedBy: "t", ImportedAt: time.Now()}, []byte(name))
		if err != nil {
			return err
		}
		return tx.InsertRecords(context.Background(), id, &records.Result{Kind: records.Teleconsultas, Teleconsultations: reqs})
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func request(nucleo, id, sent, answered, status string) records.Teleconsultation {
	r := records.Teleconsultation{Nucleo: nucleo, ID: id, IBGE: ibgeItabira, SentAt: at(sent), Status: status, Specialty: "Pediatria"}
	if answered != "" {
		r.AnsweredAt = at(answered)
	}
	return r
}

type seen struct {
	Nucleo             string
	Sent, Answered     string
	Cancelled, Avoided bool
}

func requests(t *testing.T, st *store.Store, f store.RequestFilter) []seen {
	t.Helper()
	reqs, err := st.Teleconsultations(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	var out []seen
	for _, r := range reqs {
		s := seen{Nucleo: r.Nucleo, Sent: r.SentAt.Format("2006-01-02 15:04"), Cancelled: r.Cancelled, Avoided: r.Avoided > 0}
		if r.Answered() {
			s.Answered = r.AnsweredAt.Format("2006-01-02 15:04")
		}
		if r.SentAt.Location() != time.Local {
			t.Errorf("%+v: sent at in %v, want local", s, r.SentAt.Location())
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b seen) int {
		if a.Sent != b.Sent {
			return compare(a.Sent, b.Sent)
		}
		return compare(a.Nucleo, b.Nucleo)
	})
	return out
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestTeleconsultationUpdates: requests are stored in row order across the
// statements of a file (more than one statement's worth) and across files;
// a repeated request, in the same statement, in a later statement or in a
// later file, is replaced by the later row; the period filter is by the
// sent-at day, both days included.
func TestTeleconsultationUpdates(t *testing.T) {
	ctx := context.Background()
	a, err := app.Open(ctx, filepath.Join(t.TempDir(), "t.db"), conditions.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var first []records.Teleconsultation
	for i := range 150 {
		first = append(first, request("Feluma", string(rune('A'+i%26))+string(rune('a'+i/26)), "2025-03-01 08:00", "", records.StatusEmAnalise))
	}
	// Every 7th request has the optional fields (statements of both forms).
	for i := 0; i < len(first); i += 7 {
		first[i].Avoided, first[i].Satisfaction, first[i].RequesterCPF = "sim", 4, "52998224725"
	}
	// Row 3 repeats row 1 in the same statement; row 140 repeats row 2 in a
	// later one.
	first[3] = request("Feluma", first[1].ID, "2025-03-01 08:00", "2025-03-02 09:15", records.StatusRespondida)
	first[140] = request("Feluma", first[2].ID, "2025-03-01 08:00", "", records.StatusCancelada)
	batchOf(t, a.Store, "f1", first...)
	got := requests(t, a.Store, store.RequestFilter{})
	if len(got) != 148 {
		t.Fatalf("%d requests, want 148", len(got))
	}
	var answered, cancelled, avoided int
	for _, r := range got {
		if r.Avoided {
			avoided++
		}
		if r.Answered == "2025-03-02 09:15" {
			answered++
		}
		if r.Cancelled {
			cancelled++
		}
	}
	if answered != 1 || cancelled != 1 || avoided != 21 {
		t.Errorf("answered %d, cancelled %d, avoided %d: want the later rows (1, 1 and 21)", answered, cancelled, avoided)
	}
	// A later file answers one request and adds one of another núcleo.
	batchOf(t, a.Store, "f2", request("Feluma", first[0].ID, "2025-03-01 08:00", "2025-03-05 08:01", records.StatusRespondida),
		request("HC-UFMG", first[0].ID, "2025-02-28 23:59", "", records.StatusEmAnalise))
	got = requests(t, a.Store, store.RequestFilter{From: at("2025-02-28 12:00"), To: at("2025-02-28 00:00")})
	if want := []seen{{Nucleo: "HC-UFMG", Sent: "2025-02-28 23:59"}}; !slices.Equal(got, want) {
		t.Errorf("28/02 = %+v, want %+v", got, want)
	}
	got = requests(t, a.Store, store.RequestFilter{From: at("2025-03-01 00:00"), IBGE: ibgeItabira})
	if len(got) != 148 || !slices.Contains(got, seen{Nucleo: "Feluma", Sent: "2025-03-01 08:00", Answered: "2025-03-05 08:01"}) {
		t.Errorf("from 01/03: %d requests, the answered one missing: %+v", len(got), got[:3])
	}
	last, ok, err := a.Store.LastTeleconsultationTime(ctx)
	if err != nil || !ok || !last.Equal(at("2025-03-05 08:01")) {
		t.Errorf("last = %v %v %v", last, ok, err)
	}
	// A cumulative export: every request again (answered now), then new
	// ones; the statements that meet stored requests replace them, the
	// next ones go back to plain inserts.
	var cumulative []records.Teleconsultation
	for _, r := range first {
		cumulative = append(cumulative, request("Feluma", r.ID, "2025-03-01 08:00", "2025-03-04 10:00", records.StatusRespondida))
	}
	for i := range 100 {
		cumulative = append(cumulative, request("Feluma", fmt.Sprint("N", i), "2025-03-02 08:00", "", records.StatusEmAnalise))
	}
	batchOf(t, a.Store, "f3", cumulative...)
	got = requests(t, a.Store, store.RequestFilter{})
	answered, unanswered := 0, 0
	for _, r := range got {
		switch {
		case r.Answered == "2025-03-04 10:00":
			answered++
		case r.Sent == "2025-03-02 08:00" && r.Answered == "":
			unanswered++
		}
	}
	if len(got) != 249 || answered != 148 || unanswered != 100 {
		t.Errorf("after the cumulative export: %d requests, %d answered again, %d new; want 249, 148, 100", len(got), answered, unanswered)
	}
	// A value the table refuses fails the file, whichever way it is written.
	bad := request("Feluma", "novo", "2025-03-01 08:00", "", "talvez")
	err = a.Store.Update(ctx, func(tx *store.Tx) error {
		return tx.InsertRecords(ctx, 1, &records.Result{Kind: records.Teleconsultas, Teleconsultations: []records.Teleconsultation{bad}})
	})
	if err == nil {
		t.Error("status talvez was stored")
	}
	err = a.Store.Update(ctx, func(tx *store.Tx) error {
		again := request("Feluma", first[5].ID, "2025-03-01 08:00", "", "talvez")
		return tx.InsertRecords(ctx, 1, &records.Result{Kind: records.Teleconsultas, Teleconsultations: []records.Teleconsultation{again}})
	})
	// The upsert of that request names the constraint.
	if err == nil || !strings.Contains(err.Error(), "CHECK constraint failed") {
		t.Errorf("status talvez replaced a stored request: %v", err)
	}
}

// TestTeleconsultationMinutesMigration: a database whose requests were
// stored with text times (migration 0006) reads the same after migration
// 0009 turns them into minutes, unanswered ones included, and takes
// updates afterwards.
func TestTeleconsultationMinutesMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	a, err := app.Open(ctx, path, conditions.Config{})
	if err != nil {
		t.Fatal(err)
	}
	batch := batchOf(t, a.Store, "f1")
	a.Close()
	// Back to the schema before 0009, with rows as it wrote them.
	old, err := data.Migrations.ReadFile("migrations/0006_teleconsultations.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TABLE teleconsultations", string(old), "DELETE FROM schema_migrations WHERE version = 9",
		`INSERT INTO teleconsultations VALUES
			('Feluma', 'F-1', ?1, 2, '', '3131703', '2025-01-31T22:10:00', '2025-02-03T22:10:00', 'respondida', 'Pediatria', '', '', '', 'sim', 4),
			('Feluma', 'F-2', ?1, 3, '', '3131703', '2025-02-01T08:00:00', '', 'em_analise', 'Pediatria', '', '', '', '', 0),
			('HC-UFMG', 'F-1', ?1, 4, '', '3106200', '2024-12-31T23:59:00', '', 'cancelada', 'Ortopedia', '', '', '', 'nao', 0)`} {
		if _, err := db.Exec(q, batch); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	db.Close()
	a, err = app.Open(ctx, path, conditions.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	want := []seen{
		{Nucleo: "HC-UFMG", Sent: "2024-12-31 23:59", Cancelled: true},
		{Nucleo: "Feluma", Sent: "2025-01-31 22:10", Answered: "2025-02-03 22:10", Avoided: true},
		{Nucleo: "Feluma", Sent: "2025-02-01 08:00"},
	}
	if got := requests(t, a.Store, store.RequestFilter{}); !slices.Equal(got, want) {
		t.Errorf("after 0009: %+v, want %+v", got, want)
	}
	if v, err := a.Store.SchemaVersion(ctx); err != nil || v < 9 {
		t.Errorf("schema version %d %v", v, err)
	}
	batchOf(t, a.Store, "f2", request("Feluma", "F-2", "2025-02-01 08:00", "2025-02-04 08:00", records.StatusRespondida))
	want[2].Answered = "2025-02-04 08:00"
	if got := requests(t, a.Store, store.RequestFilter{}); !slices.Equal(got, want) {
		t.Errorf("after an update: %+v, want %+v", got, want)
	}
	reqs, _ := a.Store.Teleconsultations(ctx, store.RequestFilter{})
	rows := sla.Compute(reqs, sla.Options{At: at("2025-03-01 00:00")})
	if len(rows) != 1 || rows[0].Solicitacoes != 2 || rows[0].Respondidas72h != 2 {
		t.Errorf("measures after the migration: %+v", rows)
	}
}
