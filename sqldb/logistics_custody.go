package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/deskpemilu/siaga"
)

// The handovers of the sealed boxes after voting (migration 00016): one row
// each, the seal and photo lists as JSON arrays.

const handoverColumns = "id, tps, from_place, to_place, boxes, envelopes, seals, broken_seals, given_by, received_by, at, photos, note, source, by_who, recorded_at"

// AddHandover stores h, its alerts and its audit entries in one
// transaction. The same ID again stores nothing: nil when the stored
// handover is the same (a phone's retry), EConflict when it differs.
func (db *DB) AddHandover(ctx context.Context, h siaga.Handover, alerts []siaga.LogisticsAlert, audit ...siaga.AuditEvent) error {
	args, err := handoverArgs(h)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q("INSERT INTO logistics_handovers ("+handoverColumns+
			") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"), args...)
		if err != nil {
			return fmt.Errorf("add handover: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("add handover: %w", err)
		} else if n == 0 {
			return sameHandover(ctx, db, tx, h)
		}
		if err := db.insertLogisticsAlerts(ctx, tx, alerts); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// sameHandover answers a handover whose ID is stored already.
func sameHandover(ctx context.Context, db *DB, tx *sql.Tx, h siaga.Handover) error {
	stored, err := queryAll(ctx, tx, "handover", scanHandover,
		db.q("SELECT "+handoverColumns+" FROM logistics_handovers WHERE id = ?"), h.ID)
	if err != nil {
		return err
	}
	if len(stored) == 1 && siaga.SameHandover(stored[0], h) {
		return nil
	}
	return siaga.Errorf(siaga.EConflict, "id", "Serah terima %s sudah tercatat dengan isi lain",
		"handover %s is already recorded with other content", h.ID)
}

// Handovers returns the handovers of the TPS under region, by TPS and then
// in the order they happened.
func (db *DB) Handovers(ctx context.Context, region string) ([]siaga.Handover, error) {
	return queryAll(ctx, db.read, "handovers", scanHandover,
		db.q("SELECT "+handoverColumns+" FROM logistics_handovers WHERE tps LIKE ? ORDER BY tps, at, recorded_at, id"), prefix(region))
}

func handoverArgs(h siaga.Handover) ([]any, error) {
	var lists [3][]byte
	for i, l := range [][]string{h.Seals, h.BrokenSeals, h.Photos} {
		if l == nil {
			l = []string{}
		}
		b, err := json.Marshal(l)
		if err != nil {
			return nil, fmt.Errorf("handover %s: %w", h.ID, err)
		}
		lists[i] = b
	}
	return []any{h.ID, h.TPS, h.From, h.To, h.Boxes, h.Envelopes, string(lists[0]), string(lists[1]), h.GivenBy, h.ReceivedBy,
		h.At.UnixNano(), string(lists[2]), h.Note, h.Source, h.By, h.RecordedAt.UnixNano()}, nil
}

func scanHandover(sc scanner, h *siaga.Handover) error {
	var seals, broken, photos string
	var at, recorded int64
	if err := sc.Scan(&h.ID, &h.TPS, &h.From, &h.To, &h.Boxes, &h.Envelopes, &seals, &broken, &h.GivenBy, &h.ReceivedBy,
		&at, &photos, &h.Note, &h.Source, &h.By, &recorded); err != nil {
		return err
	}
	h.At = fromNanos(sql.NullInt64{Int64: at, Valid: true})
	h.RecordedAt = fromNanos(sql.NullInt64{Int64: recorded, Valid: true})
	for _, l := range []struct {
		text string
		dst  *[]string
	}{{seals, &h.Seals}, {broken, &h.BrokenSeals}, {photos, &h.Photos}} {
		if err := json.Unmarshal([]byte(l.text), l.dst); err != nil {
			return fmt.Errorf("handover %s: %w", h.ID, err)
		}
		if len(*l.dst) == 0 {
			*l.dst = nil // as the sender wrote it: omitted, not empty
		}
	}
	return nil
}
