package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/deskpemilu/siaga"
)

const sightingColumns = "id, submission, tps, contest, source, device, relay, via, outcome, reason, at"

// AddRelaySighting stores s and sets s.ID.
func (db *DB) AddRelaySighting(ctx context.Context, s *siaga.RelaySighting) error {
	err := db.write.QueryRowContext(ctx, db.q(`INSERT INTO relay_sightings
		(submission, tps, contest, source, device, relay, via, outcome, reason, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		s.Submission, s.TPS, string(s.Contest), string(s.Source), s.Device, s.Relay, s.Via, s.Outcome, s.Reason, nanos(s.At)).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("add relay sighting: %w", err)
	}
	return nil
}

// RelaySightings returns the newest sightings in region first.
func (db *DB) RelaySightings(ctx context.Context, region string, limit int) ([]siaga.RelaySighting, error) {
	return queryAll(ctx, db.read, "relay sightings", scanSighting, db.q("SELECT "+sightingColumns+
		" FROM relay_sightings WHERE tps LIKE ? ORDER BY id DESC LIMIT ?"), prefix(region), limit)
}

// RelayStats returns the number of sightings and the newest one per TPS of
// region, in one query whatever the number of TPS.
func (db *DB) RelayStats(ctx context.Context, region string) ([]siaga.RelayStat, error) {
	return queryAll(ctx, db.read, "relay stats", scanRelayStat, db.q(`SELECT s.id, s.submission, s.tps, s.contest, s.source, s.device,
		s.relay, s.via, s.outcome, s.reason, s.at, g.n
		FROM relay_sightings s
		JOIN (SELECT tps, COUNT(*) AS n, MAX(id) AS last FROM relay_sightings WHERE tps LIKE ? GROUP BY tps) g
		ON s.id = g.last ORDER BY s.tps`), prefix(region))
}

func scanSighting(sc scanner, s *siaga.RelaySighting) error {
	return scanSightingAnd(sc, s)
}

func scanRelayStat(sc scanner, st *siaga.RelayStat) error {
	err := scanSightingAnd(sc, &st.Last, &st.Count)
	st.TPS = st.Last.TPS
	return err
}

// scanSightingAnd scans a sighting followed by the columns extra.
func scanSightingAnd(sc scanner, s *siaga.RelaySighting, extra ...any) error {
	var at sql.NullInt64
	dst := append([]any{&s.ID, &s.Submission, &s.TPS, &s.Contest, &s.Source, &s.Device,
		&s.Relay, &s.Via, &s.Outcome, &s.Reason, &at}, extra...)
	if err := sc.Scan(dst...); err != nil {
		return err
	}
	s.At = fromNanos(at)
	return nil
}

// AddRunner stores d and sets d.ID.
func (db *DB) AddRunner(ctx context.Context, d *siaga.RunnerDispatch) error {
	err := db.write.QueryRowContext(ctx, db.q(`INSERT INTO runner_dispatches (tps, user_id, username, note, at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`), d.TPS, d.UserID, d.Username, d.Note, nanos(d.At)).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("add runner dispatch: %w", err)
	}
	return nil
}

// Runners returns the newest runner dispatches in region first.
func (db *DB) Runners(ctx context.Context, region string, limit int) ([]siaga.RunnerDispatch, error) {
	return queryAll(ctx, db.read, "runner dispatches", scanRunner, db.q(`SELECT id, tps, user_id, username, note, at
		FROM runner_dispatches WHERE tps LIKE ? ORDER BY id DESC LIMIT ?`), prefix(region), limit)
}

// LatestRunners returns the newest runner dispatch per TPS of region, in
// one query whatever the number of TPS or of dispatches.
func (db *DB) LatestRunners(ctx context.Context, region string) ([]siaga.RunnerDispatch, error) {
	return queryAll(ctx, db.read, "latest runner dispatches", scanRunner, db.q(`SELECT d.id, d.tps, d.user_id, d.username, d.note, d.at
		FROM runner_dispatches d
		JOIN (SELECT MAX(id) AS last FROM runner_dispatches WHERE tps LIKE ? GROUP BY tps) g
		ON d.id = g.last ORDER BY d.tps`), prefix(region))
}

func scanRunner(s scanner, d *siaga.RunnerDispatch) error {
	var at sql.NullInt64
	err := s.Scan(&d.ID, &d.TPS, &d.UserID, &d.Username, &d.Note, &at)
	d.At = fromNanos(at)
	return err
}

// prefix is the LIKE pattern of a region's codes. Codes are digits; a
// region with any other character (a LIKE wildcard, say) matches nothing.
func prefix(region string) string {
	for i := 0; i < len(region); i++ {
		if region[i] < '0' || region[i] > '9' {
			return "-"
		}
	}
	return region + "%"
}
