package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// The early warning's tables (migration 00020): alerts, subscriptions and
// the notices that tell one alert to one subscription.

const warningAlertColumns = "rule, category, region, lat, lon, radius_km, from_at, to_at, incidents, usual, threshold, " +
	"text, en, status, raised_at, updated_at, by_who, note, version"

func warningAlertArgs(a *siaga.WarningAlert) ([]any, error) {
	ids, err := json.Marshal(a.Incidents)
	if err != nil {
		return nil, err
	}
	return []any{string(a.Rule), string(a.Category), a.Region, a.Lat, a.Lon, a.RadiusKm, nanos(a.From), nanos(a.To),
		string(ids), a.Usual, a.Threshold, a.Text, a.EN, string(a.Status), nanos(a.RaisedAt), nanos(a.UpdatedAt),
		a.By, a.Note, a.Version}, nil
}

func scanWarningAlert(sc scanner, a *siaga.WarningAlert) error {
	var from, to, raised, updated sql.NullInt64
	var ids string
	if err := sc.Scan(&a.ID, &a.Rule, &a.Category, &a.Region, &a.Lat, &a.Lon, &a.RadiusKm, &from, &to, &ids, &a.Usual,
		&a.Threshold, &a.Text, &a.EN, &a.Status, &raised, &updated, &a.By, &a.Note, &a.Version); err != nil {
		return err
	}
	a.From, a.To, a.RaisedAt, a.UpdatedAt = fromNanos(from), fromNanos(to), fromNanos(raised), fromNanos(updated)
	return json.Unmarshal([]byte(ids), &a.Incidents)
}

func warningSubject(id int64) string { return "warning#" + strconv.FormatInt(id, 10) }

// CreateWarningAlert stores a and its notices in one transaction.
func (db *DB) CreateWarningAlert(ctx context.Context, a *siaga.WarningAlert, notices []siaga.WarningNotice, audit ...siaga.AuditEvent) error {
	args, err := warningAlertArgs(a)
	if err != nil {
		return fmt.Errorf("create warning alert: %w", err)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")
		err := tx.QueryRowContext(ctx, db.q("INSERT INTO warning_alerts ("+warningAlertColumns+") VALUES ("+marks+") RETURNING id"),
			args...).Scan(&a.ID)
		if err != nil {
			return fmt.Errorf("create warning alert: %w", err)
		}
		for i := range notices {
			n := &notices[i]
			n.Alert = a.ID
			err := tx.QueryRowContext(ctx, db.q("INSERT INTO warning_notices (alert, subscription, user_id, phone, text, at, sent_at, tries, error, read_at)"+
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
				n.Alert, n.Subscription, n.User, n.Phone, n.Text, nanos(n.At), nanosPtr(n.SentAt), n.Tries, n.Error, nanosPtr(n.ReadAt)).Scan(&n.ID)
			if err != nil {
				return fmt.Errorf("create warning notice: %w", err)
			}
		}
		for i := range audit {
			audit[i].Subject = warningSubject(a.ID)
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// UpdateWarningAlert writes a over the stored row if that is at version
// a.Version-1.
func (db *DB) UpdateWarningAlert(ctx context.Context, a *siaga.WarningAlert, audit ...siaga.AuditEvent) error {
	args, err := warningAlertArgs(a)
	if err != nil {
		return fmt.Errorf("update warning alert: %w", err)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		sets := strings.ReplaceAll(warningAlertColumns, ",", " = ?,") + " = ?"
		res, err := tx.ExecContext(ctx, db.q("UPDATE warning_alerts SET "+sets+" WHERE id = ? AND version = ?"),
			append(args, a.ID, a.Version-1)...)
		if err != nil {
			return fmt.Errorf("update warning alert: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("update warning alert: %w", err)
		} else if n == 0 {
			if _, err := db.WarningAlertByID(ctx, a.ID); err != nil {
				return err
			}
			return siaga.Errorf(siaga.EConflict, "version", "Peringatan %d sudah diubah orang lain; muat ulang",
				"alert %d was changed by someone else; reload", a.ID)
		}
		for i := range audit {
			audit[i].Subject = warningSubject(a.ID)
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

const selectWarningAlerts = "SELECT id, " + warningAlertColumns + " FROM warning_alerts"

// WarningAlertByID returns one alert.
func (db *DB) WarningAlertByID(ctx context.Context, id int64) (*siaga.WarningAlert, error) {
	list, err := queryAll(ctx, db.read, "warning alert", scanWarningAlert, db.q(selectWarningAlerts+" WHERE id = ?"), id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, siaga.Errorf(siaga.ENotFound, "id", "Peringatan %d tidak ada", "no alert %d", id)
	}
	return &list[0], nil
}

func warningWhere(f siaga.WarningFilter) *where {
	w := &where{}
	if f.Scope != "" {
		w.add("region LIKE ?", prefix(f.Scope))
	}
	if len(f.Categories) > 0 {
		w.add("category IN ("+placeholders(len(f.Categories))+")", anys(f.Categories)...)
	}
	if len(f.Statuses) > 0 {
		w.add("status IN ("+placeholders(len(f.Statuses))+")", anys(f.Statuses)...)
	}
	if f.Rule != "" {
		w.add("rule = ?", string(f.Rule))
	}
	return w
}

// WarningAlerts returns a page of what f selects, newest first.
func (db *DB) WarningAlerts(ctx context.Context, f siaga.WarningFilter) ([]siaga.WarningAlert, error) {
	w := warningWhere(f)
	if f.Before > 0 {
		w.add("id < ?", f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	return queryAll(ctx, db.read, "warning alerts", scanWarningAlert,
		db.q(selectWarningAlerts+w.String()+" ORDER BY id DESC LIMIT ?"), append(w.args, limit)...)
}

// CountWarningAlerts counts what f selects, ignoring Before and Limit.
func (db *DB) CountWarningAlerts(ctx context.Context, f siaga.WarningFilter) (int, error) {
	w := warningWhere(f)
	var n int
	if err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM warning_alerts"+w.String()), w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count warning alerts: %w", err)
	}
	return n, nil
}

func scanWarningSubscription(sc scanner, s *siaga.WarningSubscription) error {
	var cats string
	var created sql.NullInt64
	if err := sc.Scan(&s.ID, &s.User, &s.Region, &cats, &s.Phone, &created); err != nil {
		return err
	}
	s.CreatedAt = fromNanos(created)
	return json.Unmarshal([]byte(cats), &s.Categories)
}

const selectWarningSubscriptions = "SELECT id, user_id, region, categories, phone, created_at FROM warning_subscriptions"

// CreateWarningSubscription stores s and sets s.ID.
func (db *DB) CreateWarningSubscription(ctx context.Context, s *siaga.WarningSubscription) error {
	cats, err := json.Marshal(s.Categories)
	if err != nil {
		return err
	}
	err = db.write.QueryRowContext(ctx, db.q("INSERT INTO warning_subscriptions (user_id, region, categories, phone, created_at)"+
		" VALUES (?, ?, ?, ?, ?) RETURNING id"), s.User, s.Region, string(cats), s.Phone, nanos(s.CreatedAt)).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("create warning subscription: %w", err)
	}
	return nil
}

// DeleteWarningSubscription deletes the user's subscription id.
func (db *DB) DeleteWarningSubscription(ctx context.Context, user, id int64) error {
	res, err := db.write.ExecContext(ctx, db.q("DELETE FROM warning_subscriptions WHERE id = ? AND user_id = ?"), id, user)
	if err != nil {
		return fmt.Errorf("delete warning subscription: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete warning subscription: %w", err)
	} else if n == 0 {
		return siaga.Errorf(siaga.ENotFound, "id", "Langganan %d tidak ada", "no subscription %d", id)
	}
	return nil
}

// WarningSubscriptions returns a user's subscriptions, oldest first.
func (db *DB) WarningSubscriptions(ctx context.Context, user int64) ([]siaga.WarningSubscription, error) {
	return queryAll(ctx, db.read, "warning subscriptions", scanWarningSubscription,
		db.q(selectWarningSubscriptions+" WHERE user_id = ? ORDER BY id"), user)
}

// AllWarningSubscriptions returns every subscription, oldest first.
func (db *DB) AllWarningSubscriptions(ctx context.Context) ([]siaga.WarningSubscription, error) {
	return queryAll(ctx, db.read, "warning subscriptions", scanWarningSubscription,
		db.q(selectWarningSubscriptions+" ORDER BY id"))
}

func scanWarningNotice(sc scanner, n *siaga.WarningNotice) error {
	var at, sent, read sql.NullInt64
	if err := sc.Scan(&n.ID, &n.Alert, &n.Subscription, &n.User, &n.Phone, &n.Text, &at, &sent, &n.Tries, &n.Error, &read); err != nil {
		return err
	}
	n.At, n.SentAt, n.ReadAt = fromNanos(at), fromNanosPtr(sent), fromNanosPtr(read)
	return nil
}

const selectWarningNotices = "SELECT id, alert, subscription, user_id, phone, text, at, sent_at, tries, error, read_at FROM warning_notices"

// WarningNotices returns a user's notices, newest first.
func (db *DB) WarningNotices(ctx context.Context, user int64, limit int) ([]siaga.WarningNotice, error) {
	if limit <= 0 {
		limit = 100
	}
	return queryAll(ctx, db.read, "warning notices", scanWarningNotice,
		db.q(selectWarningNotices+" WHERE user_id = ? ORDER BY id DESC LIMIT ?"), user, limit)
}

// CountUnreadWarningNotices counts a user's notices not read yet: the
// count in the nav.
func (db *DB) CountUnreadWarningNotices(ctx context.Context, user int64) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM warning_notices WHERE user_id = ? AND read_at IS NULL"), user).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count warning notices: %w", err)
	}
	return n, nil
}

// MarkWarningNoticesRead marks every unread notice of a user read at at.
func (db *DB) MarkWarningNoticesRead(ctx context.Context, user int64, at time.Time) error {
	_, err := db.write.ExecContext(ctx, db.q("UPDATE warning_notices SET read_at = ? WHERE user_id = ? AND read_at IS NULL"), nanos(at), user)
	if err != nil {
		return fmt.Errorf("mark warning notices read: %w", err)
	}
	return nil
}

// UnsentWarningNotices returns the notices still to go out by SMS, oldest
// first.
func (db *DB) UnsentWarningNotices(ctx context.Context, maxTries, limit int) ([]siaga.WarningNotice, error) {
	return queryAll(ctx, db.read, "unsent warning notices", scanWarningNotice,
		db.q(selectWarningNotices+" WHERE sent_at IS NULL AND phone <> '' AND tries < ? ORDER BY id LIMIT ?"), maxTries, limit)
}

// MarkWarningNotice stores one attempt to send n.
func (db *DB) MarkWarningNotice(ctx context.Context, n *siaga.WarningNotice) error {
	res, err := db.write.ExecContext(ctx, db.q("UPDATE warning_notices SET sent_at = ?, tries = ?, error = ? WHERE id = ?"),
		nanosPtr(n.SentAt), n.Tries, n.Error, n.ID)
	if err != nil {
		return fmt.Errorf("mark warning notice: %w", err)
	}
	if k, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("mark warning notice: %w", err)
	} else if k == 0 {
		return siaga.Errorf(siaga.ENotFound, "id", "Pemberitahuan %d tidak ada", "no notice %d", n.ID)
	}
	return nil
}
