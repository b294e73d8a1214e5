package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ses-mg/telemonitor/internal/territory"
)

// SyncTerritory loads the reference territory when the stored copy is
// missing or older (version differs). Programme data is never touched:
// municipalities are upserted, never deleted.
func (s *Store) SyncTerritory(ctx context.Context, t *territory.Territory, version string) (bool, error) {
	var current string
	err := s.write.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'territory_version'").Scan(&current)
	if err != nil && err != sql.ErrNoRows {
		return false, fmt.Errorf("store: territory version: %w", err)
	}
	if current == version {
		return false, nil
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	for _, m := range t.Municipalities {
		if _, err := tx.ExecContext(ctx, `INSERT INTO municipalities
			(ibge, ibge6, name, latitude, longitude, population, macro_code, macro_name, micro_code, micro_name, urs)
			VALUES (?,?,?,?,?,?,?,?,?,?,?)
			ON CONFLICT(ibge) DO UPDATE SET ibge6=excluded.ibge6, name=excluded.name, latitude=excluded.latitude,
			longitude=excluded.longitude, population=excluded.population, macro_code=excluded.macro_code,
			macro_name=excluded.macro_name, micro_code=excluded.micro_code, micro_name=excluded.micro_name, urs=excluded.urs`,
			m.IBGE, m.IBGE6, m.Name, m.Latitude, m.Longitude, m.Population, m.MacroCode, m.MacroName, m.MicroCode, m.MicroName, m.URS); err != nil {
			return false, fmt.Errorf("store: municipality %s: %w", m.IBGE, err)
		}
	}
	for _, n := range territory.Nucleos {
		if _, err := tx.ExecContext(ctx, `INSERT INTO nucleos(code, full_name, phone, email) VALUES (?,?,?,?)
			ON CONFLICT(code) DO UPDATE SET full_name=excluded.full_name, phone=excluded.phone, email=excluded.email`,
			n.Code, n.FullName, n.Phone, n.Email); err != nil {
			return false, fmt.Errorf("store: núcleo %s: %w", n.Code, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('territory_version', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, version); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// MunicipalityCount returns how many municipalities are stored.
func (s *Store) MunicipalityCount(ctx context.Context) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM municipalities").Scan(&n)
	return n, err
}
