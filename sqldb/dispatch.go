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
	rows, err := db.read.QueryContext(ctx, db.q("SELECT "+sightingColumns+
		" FROM relay_sightings WHERE tps LIKE ? ORDER BY id DESC LIMIT ?"), prefix(region), limit)
	if err != nil {
		return nil, fmt.Errorf("query relay sightings: %w", err)
	}
	defer rows.Close()
	var out []siaga.RelaySighting
	for rows.Next() {
		var s siaga.RelaySighting
		if err := scanSighting(rows, &s); err != nil {
			return nil, fmt.Errorf("scan relay sighting: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("relay sightings: %w", err)
	}
	return out, nil
}

// RelayStats returns the number of sightings and the newest one per TPS of
// region, in one query whatever the number of TPS.
func (db *DB) RelayStats(ctx context.Context, region string) ([]siaga.RelayStat, error) {
	rows, err := db.read.QueryContext(ctx, db.q(`SELECT s.id, s.submission, s.tps, s.contest, s.source, s.device,
		s.relay, s.via, s.outcome, s.reason, s.at, g.n
		FROM relay_sightings s
		JOIN (SELECT tps, COUNT(*) AS n, MAX(id) AS last FROM relay_sightings WHERE tps LIKE ? GROUP BY tps) g
		ON s.id = g.last ORDER BY s.tps`), prefix(region))
	if err != nil {
		return nil, fmt.Errorf("query relay stats: %w", err)
	}
	defer rows.Close()
	var out []siaga.RelayStat
	for rows.Next() {
		var st siaga.RelayStat
		if err := scanSighting(rows, &st.Last, &st.Count); err != nil {
			return nil, fmt.Errorf("scan relay stat: %w", err)
		}
		st.TPS = st.Last.TPS
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("relay stats: %w", err)
	}
	return out, nil
}

func scanSighting(sc scanner, s *siaga.RelaySighting, extra ...any) error {
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
	rows, err := db.read.QueryContext(ctx, db.q(`SELECT id, tps, user_id, username, note, at
		FROM runner_dispatches WHERE tps LIKE ? ORDER BY id DESC LIMIT ?`), prefix(region), limit)
	if err != nil {
		return nil, fmt.Errorf("query runner dispatches: %w", err)
	}
	defer rows.Close()
	var out []siaga.RunnerDispatch
	for rows.Next() {
		var d siaga.RunnerDispatch
		var at sql.NullInt64
		if err := rows.Scan(&d.ID, &d.TPS, &d.UserID, &d.Username, &d.Note, &at); err != nil {
			return nil, fmt.Errorf("scan runner dispatch: %w", err)
		}
		d.At = fromNanos(at)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("runner dispatches: %w", err)
	}
	return out, nil
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
