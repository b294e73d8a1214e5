package app

import (
	"context"

	"github.com/ses-mg/telemonitor/internal/audit"
	"github.com/ses-mg/telemonitor/internal/guidance"
	"github.com/ses-mg/telemonitor/internal/settings"
	"github.com/ses-mg/telemonitor/internal/store"
)

// applySettings makes the stored settings the ones advice is given with.
func applySettings(ctx context.Context, st *store.Store) error {
	rev, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	guidance.Use(rev.Settings)
	return nil
}

// Settings returns the settings in force, read from the database (another
// process may have saved since) and applied.
func (a *App) Settings(ctx context.Context) (store.SettingsRevision, error) {
	rev, err := a.Store.Settings(ctx)
	if err != nil {
		return rev, err
	}
	guidance.Use(rev.Settings)
	return rev, nil
}

// SaveSettings validates and stores new settings with the audit entry
// naming every change; it returns the changes (none: nothing stored).
func (a *App) SaveSettings(ctx context.Context, v settings.Settings, e store.AuditEntry) ([]string, error) {
	if err := v.Validate(); err != nil {
		return nil, err
	}
	old, err := a.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	v = v.Normalise()
	changes := settings.Changes(old.Settings, v)
	if len(changes) == 0 {
		return nil, nil
	}
	e.Action, e.Outcome = audit.SettingsChanged, audit.OK
	e.Target = "configurações"
	e.Detail = joinChanges(changes)
	if _, err := a.Store.SaveSettings(ctx, v, e); err != nil {
		return nil, err
	}
	guidance.Use(v)
	return changes, nil
}

func joinChanges(list []string) string {
	out := ""
	for i, c := range list {
		if i > 0 {
			out += "; "
		}
		out += c
	}
	return out
}
