package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/deskpemilu/siaga"
)

var locationCols = []string{"tps", "lat", "lon", "address", "source", "at", "by_"}

// AddTPSLocations appends ls and audit in one transaction.
func (db *DB) AddTPSLocations(ctx context.Context, ls []siaga.TPSLocation, audit ...siaga.AuditEvent) error {
	return db.inConnTx(ctx, func(tx *sql.Tx, conn *sql.Conn) error {
		if err := db.addLocations(ctx, tx, conn, ls); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

func (db *DB) addLocations(ctx context.Context, tx *sql.Tx, conn *sql.Conn, ls []siaga.TPSLocation) error {
	err := db.bulkInsert(ctx, tx, conn, "tps_locations", locationCols, len(ls), func(i int, dst []any) []any {
		l := &ls[i]
		return append(dst, l.TPS, l.Lat, l.Lon, l.Address, l.Source, nanos(l.At), l.By)
	})
	if err != nil {
		return fmt.Errorf("insert tps locations: %w", err)
	}
	return nil
}

// TPSLocations returns the newest location of every TPS that has one: the
// row of the highest id per TPS, since rows are only appended.
func (db *DB) TPSLocations(ctx context.Context) ([]siaga.TPSLocation, error) {
	return queryAll(ctx, db.read, "tps locations", scanLocation, `SELECT l.tps, l.lat, l.lon, l.address, l.source, l.at, l.by_
		FROM tps_locations l JOIN (SELECT tps, MAX(id) AS last FROM tps_locations GROUP BY tps) g ON l.id = g.last
		ORDER BY l.tps`)
}

// TPSLocationHistory returns every location of one TPS, oldest first.
func (db *DB) TPSLocationHistory(ctx context.Context, tps string) ([]siaga.TPSLocation, error) {
	return queryAll(ctx, db.read, "tps location history", scanLocation, db.q(`SELECT tps, lat, lon, address, source, at, by_
		FROM tps_locations WHERE tps = ? ORDER BY id`), tps)
}

func scanLocation(s scanner, l *siaga.TPSLocation) error {
	var at sql.NullInt64
	if err := s.Scan(&l.TPS, &l.Lat, &l.Lon, &l.Address, &l.Source, &at, &l.By); err != nil {
		return err
	}
	l.At = fromNanos(at)
	return nil
}
