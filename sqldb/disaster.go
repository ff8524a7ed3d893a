package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/deskpemilu/siaga"
)

var zoneCols = []string{"layer", "feature", "type", "class", "source", "date", "geometry"}

// ImportHazardLayer stores l, its zones and audit in one transaction.
func (db *DB) ImportHazardLayer(ctx context.Context, l *siaga.HazardLayer, zones []siaga.HazardZone, audit ...siaga.AuditEvent) error {
	return db.inConnTx(ctx, func(tx *sql.Tx, conn *sql.Conn) error {
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO hazard_layers (name, source, date, imported_at, imported_by, synthetic, features)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			l.Name, l.Source, nanos(l.Date), nanos(l.ImportedAt), l.ImportedBy, l.Synthetic, len(zones)).Scan(&l.ID)
		if err != nil {
			return fmt.Errorf("insert hazard layer: %w", err)
		}
		l.Features = len(zones)
		for i := range zones {
			zones[i].Layer = l.ID
		}
		err = db.bulkInsert(ctx, tx, conn, "hazard_zones", zoneCols, len(zones), func(i int, dst []any) []any {
			z := &zones[i]
			return append(dst, z.Layer, z.Feature, z.Type, z.Class, z.Source, nanos(z.Date), []byte(z.Geometry))
		})
		if err != nil {
			return db.conflict(err, "insert hazard zones", "nomor fitur ganda", "duplicate feature number")
		}
		for i := range audit {
			if audit[i].Subject == "" {
				audit[i].Subject = fmt.Sprint(l.ID) // the id is known only now
			}
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// HazardLayers returns every layer, oldest first.
func (db *DB) HazardLayers(ctx context.Context) ([]siaga.HazardLayer, error) {
	return queryAll(ctx, db.read, "hazard layers", scanHazardLayer, `SELECT id, name, source, date, imported_at, imported_by, synthetic, features
		FROM hazard_layers ORDER BY id`)
}

func scanHazardLayer(s scanner, l *siaga.HazardLayer) error {
	var date, at sql.NullInt64
	if err := s.Scan(&l.ID, &l.Name, &l.Source, &date, &at, &l.ImportedBy, &l.Synthetic, &l.Features); err != nil {
		return err
	}
	l.Date, l.ImportedAt = fromNanos(date), fromNanos(at)
	return nil
}

// HazardZones returns the zones of every layer, by layer and feature.
func (db *DB) HazardZones(ctx context.Context) ([]siaga.HazardZone, error) {
	return queryAll(ctx, db.read, "hazard zones", scanHazardZone, `SELECT layer, feature, type, class, source, date, geometry
		FROM hazard_zones ORDER BY layer, feature`)
}

func scanHazardZone(s scanner, z *siaga.HazardZone) error {
	var date sql.NullInt64
	var geom []byte
	if err := s.Scan(&z.Layer, &z.Feature, &z.Type, &z.Class, &z.Source, &date, &geom); err != nil {
		return err
	}
	z.Date, z.Geometry = fromNanos(date), geom
	return nil
}

// DeleteHazardLayer removes a layer and its zones with audit, in one
// transaction.
func (db *DB) DeleteHazardLayer(ctx context.Context, id int64, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`DELETE FROM hazard_layers WHERE id = ?`), id)
		if err != nil {
			return fmt.Errorf("delete hazard layer %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("delete hazard layer %d: %w", id, err)
		} else if n == 0 {
			return siaga.Errorf(siaga.ENotFound, "layer", "Lapisan bahaya %d tidak ada", "no hazard layer %d", id)
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM hazard_zones WHERE layer = ?`), id); err != nil {
			return fmt.Errorf("delete zones of hazard layer %d: %w", id, err)
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

const relocationColumns = `id, tps, from_lat, from_lon, from_address, site, to_lat, to_lon, to_address,
	reason, decider, decider_office, decided, letter, by_, at`

// AddRelocation stores r, the TPS's new location and audit in one
// transaction, and sets r.ID.
func (db *DB) AddRelocation(ctx context.Context, r *siaga.Relocation, audit ...siaga.AuditEvent) error {
	return db.inConnTx(ctx, func(tx *sql.Tx, conn *sql.Conn) error {
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO relocations (tps, from_lat, from_lon, from_address, site,
			to_lat, to_lon, to_address, reason, decider, decider_office, decided, letter, by_, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			r.TPS, r.FromLat, r.FromLon, r.FromAddress, r.Site, r.ToLat, r.ToLon, r.ToAddress, r.Reason,
			r.Decider, r.DeciderOffice, nanos(r.Decided), r.Letter, r.By, nanos(r.At)).Scan(&r.ID)
		if err != nil {
			return fmt.Errorf("insert relocation of %s: %w", r.TPS, err)
		}
		if err := db.addLocations(ctx, tx, conn, []siaga.TPSLocation{r.Location()}); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// Relocations returns the relocations of the TPS in region, by TPS then
// oldest first.
func (db *DB) Relocations(ctx context.Context, region string) ([]siaga.Relocation, error) {
	return queryAll(ctx, db.read, "relocations", scanRelocation, db.q(`SELECT `+relocationColumns+`
		FROM relocations WHERE tps LIKE ? ORDER BY tps, id`), prefix(region))
}

func scanRelocation(s scanner, r *siaga.Relocation) error {
	var decided, at sql.NullInt64
	err := s.Scan(&r.ID, &r.TPS, &r.FromLat, &r.FromLon, &r.FromAddress, &r.Site, &r.ToLat, &r.ToLon, &r.ToAddress,
		&r.Reason, &r.Decider, &r.DeciderOffice, &decided, &r.Letter, &r.By, &at)
	if err != nil {
		return err
	}
	r.Decided, r.At = fromNanos(decided), fromNanos(at)
	return nil
}
