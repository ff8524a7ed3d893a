package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/deskpemilu/siaga"
)

// SetAnomalyReview stores r in place of the review of the same version and
// appends audit in the same transaction.
func (db *DB) SetAnomalyReview(ctx context.Context, r *siaga.AnomalyReview, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO anomaly_reviews (tps, contest, source, version, status, note, actor, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (tps, contest, source, version) DO UPDATE
			SET status = excluded.status, note = excluded.note, actor = excluded.actor, at = excluded.at`),
			r.TPS, string(r.Contest), string(r.Source), r.Version, string(r.Status), r.Note, r.Actor, nanos(r.At))
		if err != nil {
			return fmt.Errorf("set review of %s/%s/%s v%d: %w", r.TPS, r.Contest, r.Source, r.Version, err)
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// AnomalyReviews returns every stored review, in key order.
func (db *DB) AnomalyReviews(ctx context.Context) ([]siaga.AnomalyReview, error) {
	return queryAll(ctx, db.read, "anomaly reviews", scanAnomalyReview, `SELECT tps, contest, source, version, status, note, actor, at
		FROM anomaly_reviews ORDER BY tps, contest, source, version`)
}

func scanAnomalyReview(s scanner, r *siaga.AnomalyReview) error {
	var at sql.NullInt64
	if err := s.Scan(&r.TPS, &r.Contest, &r.Source, &r.Version, &r.Status, &r.Note, &r.Actor, &at); err != nil {
		return err
	}
	r.At = fromNanos(at)
	return nil
}
