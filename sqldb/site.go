package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/deskpemilu/siaga"
)

// SaveSites stores ss in one transaction, replacing a site of the same
// code, and appends audit in it.
func (db *DB) SaveSites(ctx context.Context, ss []siaga.Site, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, db.q(`INSERT INTO sites (code, name, kind, lat, lon, desa, intervention, radius_m, cost, capacity, source, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, lat = excluded.lat,
			lon = excluded.lon, desa = excluded.desa, intervention = excluded.intervention, radius_m = excluded.radius_m,
			cost = excluded.cost, capacity = excluded.capacity, source = excluded.source, updated_at = excluded.updated_at`))
		if err != nil {
			return fmt.Errorf("prepare save sites: %w", err)
		}
		defer st.Close()
		for _, s := range ss {
			_, err := st.ExecContext(ctx, s.Code, s.Name, s.Kind, s.Lat, s.Lon, s.Desa, s.Intervention, s.RadiusM,
				s.Cost, s.Capacity, s.Source, nanos(s.UpdatedAt))
			if err != nil {
				return fmt.Errorf("save site %s: %w", s.Code, err)
			}
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// Sites returns the sites f selects, ordered by code.
func (db *DB) Sites(ctx context.Context, f siaga.SiteFilter) ([]siaga.Site, error) {
	var w where
	if f.Region != "" {
		lo, hi := codeRange(f.Region)
		w.add("desa >= ? AND desa < ?", lo, hi)
	}
	if f.Intervention != "" {
		w.add("intervention = ?", f.Intervention)
	}
	return queryAll(ctx, db.read, "sites", scanSite, db.q(`SELECT code, name, kind, lat, lon, desa, intervention, radius_m, cost, capacity, source, updated_at
		FROM sites`+w.String()+` ORDER BY code`), w.args...)
}

func scanSite(s scanner, site *siaga.Site) error {
	var at sql.NullInt64
	err := s.Scan(&site.Code, &site.Name, &site.Kind, &site.Lat, &site.Lon, &site.Desa, &site.Intervention,
		&site.RadiusM, &site.Cost, &site.Capacity, &site.Source, &at)
	site.UpdatedAt = fromNanos(at)
	return err
}
