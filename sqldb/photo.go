package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/deskpemilu/siaga"
)

const selectPhoto = `SELECT submission, page, pages, size, sha256, device, tps, complete,
	declared_at, completed_at, upload_token FROM photos`

// DeclarePhoto stores p unless its page is declared already, and returns
// what is stored. Insert and read share one transaction so that two
// devices declaring the same page at once both see the winner.
func (db *DB) DeclarePhoto(ctx context.Context, p *siaga.Photo) (*siaga.Photo, bool, error) {
	var (
		stored  siaga.Photo
		created bool
	)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`INSERT INTO photos
			(submission, page, pages, size, sha256, device, tps, complete, declared_at, completed_at, upload_token)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submission, page) DO NOTHING`),
			p.Submission, p.Page, p.Pages, p.Size, p.SHA256, p.Device, p.TPS, p.Complete,
			nanos(p.DeclaredAt), nanos(p.CompletedAt), p.TokenHash)
		if err != nil {
			return fmt.Errorf("insert photo %s/%d: %w", p.Submission, p.Page, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("insert photo %s/%d: %w", p.Submission, p.Page, err)
		}
		created = n == 1
		return scanPhoto(tx.QueryRowContext(ctx, db.q(selectPhoto+" WHERE submission = ? AND page = ?"), p.Submission, p.Page), &stored)
	})
	if err != nil {
		return nil, false, fmt.Errorf("declare photo: %w", err)
	}
	return &stored, created, nil
}

// Photo returns one declared page.
func (db *DB) Photo(ctx context.Context, submission string, page int) (*siaga.Photo, error) {
	var p siaga.Photo
	err := scanPhoto(db.read.QueryRowContext(ctx, db.q(selectPhoto+" WHERE submission = ? AND page = ?"), submission, page), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, siaga.Errorf(siaga.ENotFound, "page", "Foto halaman %d kiriman %s belum dideklarasikan",
			"page %d of submission %s is not declared", page, submission)
	}
	if err != nil {
		return nil, fmt.Errorf("photo %s/%d: %w", submission, page, err)
	}
	return &p, nil
}

// PhotosOf returns every declared page of a submission, by page.
func (db *DB) PhotosOf(ctx context.Context, submission string) ([]siaga.Photo, error) {
	return queryAll(ctx, db.read, "photos of "+submission, scanPhoto, db.q(selectPhoto+" WHERE submission = ? ORDER BY page"), submission)
}

// CompletePhoto marks a page complete, keeping the first completion time.
func (db *DB) CompletePhoto(ctx context.Context, submission string, page int, at time.Time) error {
	res, err := db.write.ExecContext(ctx, db.q(`UPDATE photos SET complete = ?, completed_at = ?
		WHERE submission = ? AND page = ? AND complete = ?`), true, nanos(at), submission, page, false)
	if err != nil {
		return fmt.Errorf("complete photo %s/%d: %w", submission, page, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		_, err := db.Photo(ctx, submission, page)
		return err // nil when it was complete already
	}
	return nil
}

// SetPhotoToken replaces the upload token hash of a declared page.
func (db *DB) SetPhotoToken(ctx context.Context, submission string, page int, tokenHash []byte) error {
	res, err := db.write.ExecContext(ctx, db.q(`UPDATE photos SET upload_token = ? WHERE submission = ? AND page = ?`),
		tokenHash, submission, page)
	if err != nil {
		return fmt.Errorf("set photo token %s/%d: %w", submission, page, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		_, err := db.Photo(ctx, submission, page)
		return err
	}
	return nil
}

// PendingPhotos counts a device's declared pages that are not complete
// (index photos_device).
func (db *DB) PendingPhotos(ctx context.Context, device string) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, db.q(`SELECT count(*) FROM photos WHERE device = ? AND complete = ?`), device, false).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("pending photos of %s: %w", device, err)
	}
	return n, nil
}

func scanPhoto(s scanner, p *siaga.Photo) error {
	var declared, completed sql.NullInt64
	if err := s.Scan(&p.Submission, &p.Page, &p.Pages, &p.Size, &p.SHA256, &p.Device, &p.TPS, &p.Complete,
		&declared, &completed, &p.TokenHash); err != nil {
		return err
	}
	p.DeclaredAt, p.CompletedAt = fromNanos(declared), fromNanos(completed)
	return nil
}
