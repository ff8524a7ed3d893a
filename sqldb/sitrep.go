package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/deskpemilu/siaga"
)

// The morning situation reports (migration 00022): one row per region and
// date, the PDF and the snapshot as blobs. The list reads neither blob,
// only their size, so the archive page stays light with months of reports.

// SaveSitrep stores r; the primary key turns a second report of the same
// region and date into EConflict.
func (db *DB) SaveSitrep(ctx context.Context, r *siaga.SitrepReport) error {
	_, err := db.write.ExecContext(ctx, db.q("INSERT INTO sitreps (region, date, at, created_at, pdf, snapshot) VALUES (?, ?, ?, ?, ?, ?)"),
		r.Region, r.Date, r.At.UnixNano(), r.CreatedAt.UnixNano(), r.PDF, r.Snapshot)
	if err != nil {
		return db.unavailable(db.conflict(err, "save sitrep", "laporan situasi %s tanggal %s sudah ada",
			"the situation report of %s on %s already exists", r.Region, r.Date))
	}
	r.Size = len(r.PDF)
	return nil
}

// SitrepReport returns one stored report with its blobs.
func (db *DB) SitrepReport(ctx context.Context, region, date string) (*siaga.SitrepReport, error) {
	r := siaga.SitrepReport{Region: region, Date: date}
	var at, created int64
	err := db.read.QueryRowContext(ctx, db.q("SELECT at, created_at, pdf, snapshot FROM sitreps WHERE region = ? AND date = ?"),
		region, date).Scan(&at, &created, &r.PDF, &r.Snapshot)
	if err == sql.ErrNoRows {
		return nil, siaga.Errorf(siaga.ENotFound, "date", "tidak ada laporan situasi %s tanggal %s",
			"no situation report of %s on %s", region, date)
	} else if err != nil {
		return nil, db.unavailable(fmt.Errorf("sitrep report: %w", err))
	}
	r.At, r.CreatedAt, r.Size = fromNanos(sql.NullInt64{Int64: at, Valid: true}), fromNanos(sql.NullInt64{Int64: created, Valid: true}), len(r.PDF)
	return &r, nil
}

func scanSitrepRow(sc scanner, r *siaga.SitrepReport) error {
	var at, created int64
	if err := sc.Scan(&r.Region, &r.Date, &at, &created, &r.Size); err != nil {
		return err
	}
	r.At, r.CreatedAt = fromNanos(sql.NullInt64{Int64: at, Valid: true}), fromNanos(sql.NullInt64{Int64: created, Valid: true})
	return nil
}

// SitrepReports returns a page of one region's reports, newest date first.
func (db *DB) SitrepReports(ctx context.Context, f siaga.SitrepFilter) (siaga.SitrepPage, error) {
	page := siaga.SitrepPage{Items: []siaga.SitrepReport{}}
	if err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM sitreps WHERE region = ?"), f.Region).Scan(&page.Total); err != nil {
		return page, db.unavailable(fmt.Errorf("count sitreps: %w", err))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 30
	}
	w := &where{}
	w.add("region = ?", f.Region)
	if f.Before != "" {
		w.add("date < ?", f.Before)
	}
	// One more than asked tells whether there is a next page.
	items, err := queryAll(ctx, db.read, "sitreps", scanSitrepRow,
		db.q("SELECT region, date, at, created_at, LENGTH(pdf) FROM sitreps"+w.String()+" ORDER BY date DESC LIMIT ?"),
		append(w.args, limit+1)...)
	if err != nil {
		return page, db.unavailable(err)
	}
	if len(items) > limit {
		items = items[:limit]
		page.Next = items[len(items)-1].Date
	}
	if items != nil {
		page.Items = items
	}
	return page, nil
}
