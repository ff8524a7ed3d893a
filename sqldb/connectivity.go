package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/deskpemilu/siaga"
)

const surveyColumns = "id, tps, operator, tech, rsrp, rssi, data_ok, down_kbps, up_kbps, rtt_ms, link, lat, lon, surveyor, source, at, by_who, intervention"

// AddSurveys stores ss in one transaction and sets their IDs: an import
// stores all of its rows or none.
func (db *DB) AddSurveys(ctx context.Context, ss []siaga.Survey, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, db.q(`INSERT INTO surveys (tps, operator, tech, rsrp, rssi, data_ok,
			down_kbps, up_kbps, rtt_ms, link, lat, lon, surveyor, source, at, by_who, intervention)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`))
		if err != nil {
			return fmt.Errorf("prepare survey insert: %w", err)
		}
		defer stmt.Close()
		for i := range ss {
			s := &ss[i]
			err := stmt.QueryRowContext(ctx, s.TPS, s.Operator, s.Tech, nullFloat(s.RSRP), nullFloat(s.RSSI), nullBool(s.DataOK),
				nullFloat(s.DownKbps), nullFloat(s.UpKbps), nullFloat(s.RTTms), s.Link, s.Lat, s.Lon, s.Surveyor, s.Source,
				nanos(s.At), s.By, s.Intervention).Scan(&s.ID)
			if err != nil {
				return db.conflict(err, "add survey of "+s.TPS,
					"survei %s operator %s pada %s oleh %s sudah tercatat; tidak ada yang disimpan",
					"a survey of %s, operator %s, at %s by %s is already stored; nothing was stored",
					s.TPS, s.Operator, s.At.In(siaga.WIB).Format(time.RFC3339), s.By)
			}
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// Surveys returns the page of surveys f selects, by ID, and how many it
// selects in all.
func (db *DB) Surveys(ctx context.Context, f siaga.SurveyFilter) (siaga.SurveyPage, error) {
	w := &where{}
	if f.Region != "" {
		// A range rather than LIKE, as auditWhere: the index serves it
		// on both databases.
		w.add("tps >= ?", f.Region)
		w.add("tps < ?", f.Region+":")
	}
	if f.Source != "" {
		w.add("source = ?", f.Source)
	}
	page := siaga.SurveyPage{Items: []siaga.Survey{}}
	if err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM surveys"+w.String()), w.args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count surveys: %w", err)
	}
	if f.After > 0 {
		w.add("id > ?", f.After)
	}
	query := "SELECT " + surveyColumns + " FROM surveys" + w.String() + " ORDER BY id"
	args := w.args
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	err := eachRow(ctx, db.read, "surveys", scanSurvey, func(s *siaga.Survey) error {
		page.Items = append(page.Items, *s)
		return nil
	}, db.q(query), args...)
	return page, err
}

func scanSurvey(sc scanner, s *siaga.Survey) error {
	var rsrp, rssi, down, up, rtt sql.NullFloat64
	var ok sql.NullBool
	var at sql.NullInt64
	err := sc.Scan(&s.ID, &s.TPS, &s.Operator, &s.Tech, &rsrp, &rssi, &ok, &down, &up, &rtt, &s.Link,
		&s.Lat, &s.Lon, &s.Surveyor, &s.Source, &at, &s.By, &s.Intervention)
	if err != nil {
		return err
	}
	s.RSRP, s.RSSI, s.DownKbps, s.UpKbps, s.RTTms = fromNullFloat(rsrp), fromNullFloat(rssi), fromNullFloat(down), fromNullFloat(up), fromNullFloat(rtt)
	if ok.Valid {
		s.DataOK = &ok.Bool
	}
	s.At = fromNanos(at)
	return nil
}

const interventionColumns = "id, kind, tps, site, region, lat, lon, radius_m, cost, owner, status, due, installed, note, updated_at, by_who"

// SaveIntervention inserts an intervention (ID 0) or replaces the stored
// one of its ID, with audit in the same transaction.
func (db *DB) SaveIntervention(ctx context.Context, iv *siaga.Intervention, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if iv.ID == 0 {
			if err := db.insertIntervention(ctx, tx, iv); err != nil {
				return err
			}
			return db.appendAudit(ctx, tx, audit)
		}
		res, err := tx.ExecContext(ctx, db.q(`UPDATE interventions SET kind = ?, tps = ?, site = ?, region = ?, lat = ?, lon = ?,
			radius_m = ?, cost = ?, owner = ?, status = ?, due = ?, installed = ?, note = ?, updated_at = ?, by_who = ? WHERE id = ?`),
			iv.Kind, iv.TPS, iv.Site, iv.Region, iv.Lat, iv.Lon, iv.RadiusM, iv.Cost, iv.Owner, iv.Status, nanos(iv.Due),
			nanos(iv.InstalledAt), iv.Note, nanos(iv.UpdatedAt), iv.By, iv.ID)
		if err != nil {
			return fmt.Errorf("update intervention %d: %w", iv.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return fmt.Errorf("update intervention %d: %w", iv.ID, err)
			}
			return siaga.Errorf(siaga.ENotFound, "id", "intervensi %d tidak ada", "no intervention %d", iv.ID)
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// AddInterventions inserts new interventions, with audit, in one
// transaction: a plan recorded whole or not at all.
func (db *DB) AddInterventions(ctx context.Context, ivs []*siaga.Intervention, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		for _, iv := range ivs {
			if iv.ID != 0 {
				return siaga.Errorf(siaga.EInvalid, "id", "intervensi baru belum punya id", "a new intervention has no id yet")
			}
			if err := db.insertIntervention(ctx, tx, iv); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

func (db *DB) insertIntervention(ctx context.Context, tx *sql.Tx, iv *siaga.Intervention) error {
	err := tx.QueryRowContext(ctx, db.q(`INSERT INTO interventions (kind, tps, site, region, lat, lon, radius_m,
		cost, owner, status, due, installed, note, updated_at, by_who) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		iv.Kind, iv.TPS, iv.Site, iv.Region, iv.Lat, iv.Lon, iv.RadiusM, iv.Cost, iv.Owner, iv.Status, nanos(iv.Due),
		nanos(iv.InstalledAt), iv.Note, nanos(iv.UpdatedAt), iv.By).Scan(&iv.ID)
	if err != nil {
		return fmt.Errorf("add intervention: %w", err)
	}
	return nil
}

// Interventions returns the interventions standing in region ("" all),
// by ID.
func (db *DB) Interventions(ctx context.Context, region string) ([]siaga.Intervention, error) {
	w := &where{}
	if region != "" {
		w.add("region >= ?", region)
		w.add("region < ?", region+":")
	}
	return queryAll(ctx, db.read, "interventions", scanIntervention,
		db.q("SELECT "+interventionColumns+" FROM interventions"+w.String()+" ORDER BY id"), w.args...)
}

func scanIntervention(sc scanner, iv *siaga.Intervention) error {
	var due, installed, updated sql.NullInt64
	err := sc.Scan(&iv.ID, &iv.Kind, &iv.TPS, &iv.Site, &iv.Region, &iv.Lat, &iv.Lon, &iv.RadiusM, &iv.Cost,
		&iv.Owner, &iv.Status, &due, &installed, &iv.Note, &updated, &iv.By)
	iv.Due, iv.InstalledAt, iv.UpdatedAt = fromNanos(due), fromNanos(installed), fromNanos(updated)
	return err
}

// Optional measurements are NULL when absent, not 0: an RSRP of 0 dBm is
// a (wrong) value, no RSRP is none taken.
func nullFloat(p *float64) sql.NullFloat64 {
	if p == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *p, Valid: true}
}

func fromNullFloat(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	return &n.Float64
}

func nullBool(p *bool) sql.NullBool {
	if p == nil {
		return sql.NullBool{}
	}
	return sql.NullBool{Bool: *p, Valid: true}
}
