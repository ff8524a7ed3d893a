package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/deskpemilu/siaga"
)

// The ballot lots and their events (migration 00015): two tables, the
// totals summed by the database per warehouse, contest and dapil.

const ballotLotColumns = "id, warehouse, contest, dapil, number, printer, received, received_at, recorded_by, note"

func scanBallotLot(sc scanner, l *siaga.BallotLot) error {
	var at sql.NullInt64
	if err := sc.Scan(&l.ID, &l.Warehouse, &l.Contest, &l.Dapil, &l.Number, &l.Printer, &l.Received, &at, &l.By, &l.Note); err != nil {
		return err
	}
	l.ReceivedAt = fromNanos(at)
	return nil
}

// AddBallotLot stores l and sets its ID; the unique lot number of a
// warehouse and contest makes a second one EConflict.
func (db *DB) AddBallotLot(ctx context.Context, l *siaga.BallotLot, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO ballot_lots (warehouse, contest, dapil, number, printer, received, received_at, recorded_by, note)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			l.Warehouse, string(l.Contest), l.Dapil, l.Number, l.Printer, l.Received, nanos(l.ReceivedAt), l.By, l.Note).Scan(&l.ID)
		if err != nil {
			return db.conflict(err, "add ballot lot", "lot %s surat suara %s sudah tercatat di gudang %s",
				"lot %s of the %s ballots is already recorded at warehouse %s", l.Number, l.Contest, l.Warehouse)
		}
		for i := range audit {
			audit[i].Subject = fmt.Sprintf("lot#%d", l.ID)
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// AddBallotEvent stores e if the lot's damaged ballots stay within what it
// received. The lot's row is updated first: that locks it (PostgreSQL) or
// takes the write lock (SQLite), so two damage counts of the same lot are
// checked one after the other, never both against the old sum.
func (db *DB) AddBallotEvent(ctx context.Context, e *siaga.BallotEvent, alerts []siaga.LogisticsAlert, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q("UPDATE ballot_lots SET events = events + 1 WHERE id = ?"), e.Lot)
		if err != nil {
			return fmt.Errorf("add ballot event: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("add ballot event: %w", err)
		} else if n == 0 {
			return siaga.Errorf(siaga.ENotFound, "lot", "lot %d tidak ada", "no lot %d", e.Lot)
		}
		var received, replaced, damaged int
		err = tx.QueryRowContext(ctx, db.q(`SELECT l.received,
				CAST(COALESCE(SUM(CASE WHEN e.kind = 'terima_ganti' THEN e.qty ELSE 0 END), 0) AS BIGINT),
				CAST(COALESCE(SUM(CASE WHEN e.kind = 'rusak' THEN e.qty ELSE 0 END), 0) AS BIGINT)
			FROM ballot_lots l LEFT JOIN ballot_events e ON e.lot = l.id WHERE l.id = ? GROUP BY l.id, l.received`), e.Lot).
			Scan(&received, &replaced, &damaged)
		if err != nil {
			return fmt.Errorf("add ballot event: %w", err)
		}
		switch e.Kind {
		case siaga.BallotDamaged:
			damaged += e.Qty
		case siaga.BallotReplacementReceived:
			replaced += e.Qty
		}
		if damaged > received+replaced {
			return siaga.Errorf(siaga.EInvalid, "qty", "jumlah rusak (%d) melebihi yang diterima lot ini (%d, penggantian termasuk)",
				"damaged (%d) would exceed what this lot received (%d, replacements included)", damaged, received+replaced)
		}
		err = tx.QueryRowContext(ctx, db.q(`INSERT INTO ballot_events (lot, kind, reason, qty, happened_at, recorded_by, note)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			e.Lot, string(e.Kind), string(e.Reason), e.Qty, nanos(e.At), e.By, e.Note).Scan(&e.ID)
		if err != nil {
			return db.conflict(err, "add ballot event", "peristiwa lot sudah tercatat", "the lot's event is already recorded")
		}
		for i := range audit {
			audit[i].Subject = fmt.Sprintf("lot#%d", e.Lot)
		}
		if err := db.insertLogisticsAlerts(ctx, tx, alerts); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// BallotLot returns one lot.
func (db *DB) BallotLot(ctx context.Context, id int64) (siaga.BallotLot, error) {
	list, err := queryAll(ctx, db.read, "ballot lot", scanBallotLot, db.q("SELECT "+ballotLotColumns+" FROM ballot_lots WHERE id = ?"), id)
	if err != nil {
		return siaga.BallotLot{}, err
	}
	if len(list) == 0 {
		return siaga.BallotLot{}, siaga.Errorf(siaga.ENotFound, "lot", "lot %d tidak ada", "no lot %d", id)
	}
	return list[0], nil
}

// BallotLots returns a page of the lots f selects and how many it selects.
func (db *DB) BallotLots(ctx context.Context, f siaga.BallotFilter) ([]siaga.BallotLot, int, error) {
	w := &where{}
	if f.Region != "" {
		w.add("warehouse LIKE ?", prefix(f.Region))
	}
	if f.Contest != "" {
		w.add("contest = ?", string(f.Contest))
	}
	if f.Dapil != "" {
		w.add("dapil = ?", f.Dapil)
	}
	var total int
	if err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM ballot_lots"+w.String()), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count ballot lots: %w", err)
	}
	if f.After > 0 {
		w.add("id > ?", f.After)
	}
	query, args := "SELECT "+ballotLotColumns+" FROM ballot_lots"+w.String()+" ORDER BY id", w.args
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	lots, err := queryAll(ctx, db.read, "ballot lots", scanBallotLot, db.q(query), args...)
	return lots, total, err
}

// BallotTotals sums lots and events per warehouse, contest and dapil: two
// grouped queries, merged in their common order.
func (db *DB) BallotTotals(ctx context.Context, region string, asOf time.Time) ([]siaga.BallotTotal, error) {
	until := int64(1<<63 - 1)
	if !asOf.IsZero() {
		until = asOf.UnixNano()
	}
	type key struct {
		warehouse string
		contest   siaga.Contest
		dapil     string
	}
	var out []siaga.BallotTotal
	at := map[key]int{}
	err := eachRow(ctx, db.read, "ballot totals", func(sc scanner, t *siaga.BallotTotal) error {
		return sc.Scan(&t.Warehouse, &t.Contest, &t.Dapil, &t.Lots, &t.Received)
	}, func(t *siaga.BallotTotal) error {
		t.DamagedBy = map[siaga.DamageReason]int{}
		at[key{t.Warehouse, t.Contest, t.Dapil}] = len(out)
		out = append(out, *t)
		return nil
	}, db.q(`SELECT warehouse, contest, dapil, COUNT(*), CAST(SUM(received) AS BIGINT) FROM ballot_lots
		WHERE warehouse LIKE ? AND received_at <= ? GROUP BY warehouse, contest, dapil ORDER BY warehouse, contest, dapil`), prefix(region), until)
	if err != nil {
		return nil, err
	}
	type sum struct {
		key
		kind   siaga.BallotEventKind
		reason siaga.DamageReason
		qty    int
	}
	err = eachRow(ctx, db.read, "ballot event totals", func(sc scanner, s *sum) error {
		return sc.Scan(&s.warehouse, &s.contest, &s.dapil, &s.kind, &s.reason, &s.qty)
	}, func(s *sum) error {
		i, ok := at[s.key]
		if !ok { // events of a lot received after asOf: not there yet
			return nil
		}
		t := &out[i]
		switch s.kind {
		case siaga.BallotSorted:
			t.Sorted += s.qty
		case siaga.BallotFolded:
			t.Folded += s.qty
		case siaga.BallotDamaged:
			t.Damaged += s.qty
			t.DamagedBy[s.reason] += s.qty
		case siaga.BallotReturned:
			t.Returned += s.qty
		case siaga.BallotReplacementRequested:
			t.ReplacementRequested += s.qty
		case siaga.BallotReplacementReceived:
			t.ReplacementReceived += s.qty
		}
		return nil
	}, db.q(`SELECT l.warehouse, l.contest, l.dapil, e.kind, e.reason, CAST(SUM(e.qty) AS BIGINT)
		FROM ballot_events e JOIN ballot_lots l ON l.id = e.lot
		WHERE l.warehouse LIKE ? AND l.received_at <= ? AND e.happened_at <= ?
		GROUP BY l.warehouse, l.contest, l.dapil, e.kind, e.reason`), prefix(region), until, until)
	return out, err
}
