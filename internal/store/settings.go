package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ses-mg/telemonitor/internal/settings"
)

// SettingsRevision is one saved version of the programme settings.
type SettingsRevision struct {
	ID    int64 // 0: never saved (the defaults)
	At    time.Time
	Actor string
	settings.Settings
}

// Settings returns the latest saved settings, normalised; the defaults
// (revision 0) when an admin never saved any.
func (s *Store) Settings(ctx context.Context) (SettingsRevision, error) {
	var r SettingsRevision
	var at, value string
	err := s.read.QueryRowContext(ctx, `SELECT id, at, actor, value FROM settings_revisions ORDER BY id DESC LIMIT 1`).
		Scan(&r.ID, &at, &r.Actor, &value)
	if errors.Is(err, sql.ErrNoRows) {
		return SettingsRevision{Settings: settings.Defaults()}, nil
	}
	if err != nil {
		return r, fmt.Errorf("store: settings: %w", err)
	}
	if err := json.Unmarshal([]byte(value), &r.Settings); err != nil {
		return r, fmt.Errorf("store: settings revision %d: %w", r.ID, err)
	}
	r.At, r.Settings = parseTime(at), r.Settings.Normalise()
	return r, nil
}

// SaveSettings stores a new revision and its audit entry in one
// transaction: a change is never kept without its record.
func (s *Store) SaveSettings(ctx context.Context, v settings.Settings, e AuditEntry) (int64, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return 0, err
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO settings_revisions (at, actor, value) VALUES (?,?,?)`,
		formatTime(e.At), e.Actor, string(b))
	if err != nil {
		return 0, fmt.Errorf("store: save settings: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if err := insertAudit(ctx, tx, e); err != nil {
		return 0, fmt.Errorf("store: audit settings: %w", err)
	}
	return id, tx.Commit()
}
