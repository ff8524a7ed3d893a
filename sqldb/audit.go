package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/deskpemilu/siaga"
)

// AppendAudit stores es in one transaction, chained to the newest entry.
func (db *DB) AppendAudit(ctx context.Context, es ...siaga.AuditEvent) error {
	if len(es) == 0 {
		return nil
	}
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.appendAudit(ctx, tx, es) })
}

// appendAudit chains es to the newest entry inside tx, which is how the
// audited actions record themselves in their own transaction: an action
// is stored with its entry or not at all. Appenders are serialised
// (SQLite has one writer; PostgreSQL takes Dialect.LockAudit) so that each
// entry names the hash of the one stored just before it.
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, es []siaga.AuditEvent) error {
	if len(es) == 0 {
		return nil
	}
	if db.dialect.LockAudit != "" {
		if _, err := tx.ExecContext(ctx, db.dialect.LockAudit); err != nil {
			return fmt.Errorf("lock audit log: %w", err)
		}
	}
	var prev string
	err := tx.QueryRowContext(ctx, "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("newest audit entry: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, db.q(`INSERT INTO audit (at, actor, action, subject, scope, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`))
	if err != nil {
		return fmt.Errorf("prepare audit insert: %w", err)
	}
	defer stmt.Close()
	for i := range es {
		e := &es[i]
		if len(e.Detail) == 0 {
			e.Detail = []byte("{}")
		}
		e.At = e.At.UTC()
		e.PrevHash = prev
		e.Hash = siaga.AuditHash(e)
		err := stmt.QueryRowContext(ctx, e.At.UnixNano(), e.Actor, e.Action, e.Subject, e.Scope, string(e.Detail),
			e.PrevHash, e.Hash).Scan(&e.Seq)
		if err != nil {
			return fmt.Errorf("append audit entry %s: %w", e.Action, err)
		}
		prev = e.Hash
	}
	return nil
}

const selectAudit = "SELECT seq, at, actor, action, subject, scope, detail, prev_hash, hash FROM audit"

// Audit returns a page of the log, newest first, and how many entries the
// filter selects in all.
func (db *DB) Audit(ctx context.Context, f siaga.AuditFilter) (siaga.AuditPage, error) {
	w := auditWhere(f)
	var page siaga.AuditPage
	if err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM audit"+w.String()), w.args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count audit entries: %w", err)
	}
	if f.Before > 0 {
		w.add("seq < ?", f.Before)
	}
	limit := f.Limit
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	var err error
	page.Items, err = queryAll(ctx, db.read, "audit entries", scanAudit, db.q(selectAudit+w.String()+" ORDER BY seq DESC LIMIT ?"), append(w.args, limit)...)
	return page, err
}

// auditWhere is the WHERE clause of f, without its page bounds.
func auditWhere(f siaga.AuditFilter) *where {
	w := &where{}
	if f.Scope != "" {
		// A range rather than LIKE: scopes are digits, and the index
		// serves a range on both databases.
		w.add("scope >= ?", f.Scope)
		w.add("scope < ?", f.Scope+":") // ':' sorts right after '9'
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if f.Actor != "" {
		w.add("actor = ?", f.Actor)
	}
	if !f.From.IsZero() {
		w.add("at >= ?", f.From.UnixNano())
	}
	if !f.To.IsZero() {
		w.add("at < ?", f.To.UnixNano())
	}
	return w
}

// EachAudit streams the whole log in order.
func (db *DB) EachAudit(ctx context.Context, fn func(*siaga.AuditEvent) error) error {
	return eachRow(ctx, db.read, "audit log", scanAudit, fn, selectAudit+" ORDER BY seq")
}

func scanAudit(s scanner, e *siaga.AuditEvent) error {
	var at sql.NullInt64
	var detail string
	if err := s.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Subject, &e.Scope, &detail, &e.PrevHash, &e.Hash); err != nil {
		return err
	}
	e.At = fromNanos(at)
	e.Detail = []byte(detail)
	return nil
}
