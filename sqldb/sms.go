package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

const smsColumns = "id, at, direction, number, text, gateway, gateway_id, outcome, tps, device, submission, grp, part, parts, reply_to"

// AppendSMS stores m and sets m.ID.
func (db *DB) AppendSMS(ctx context.Context, m *siaga.SMSMessage) error {
	err := db.write.QueryRowContext(ctx, db.q(`INSERT INTO sms_log
		(at, direction, number, text, gateway, gateway_id, outcome, tps, device, submission, grp, part, parts, reply_to)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		m.At.UnixNano(), string(m.Direction), m.Number, m.Text, m.Gateway, m.GatewayID, m.Outcome,
		m.TPS, m.Device, m.Submission, m.Group, m.Part, m.Parts, m.ReplyTo).Scan(&m.ID)
	if err != nil {
		return fmt.Errorf("append sms: %w", err)
	}
	return nil
}

// SMSLog returns the entries f selects, newest first.
func (db *DB) SMSLog(ctx context.Context, f siaga.SMSFilter) ([]siaga.SMSMessage, error) {
	w := smsWhere(f)
	if f.Before > 0 {
		w.add("id < ?", f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	query := "SELECT " + smsColumns + " FROM sms_log" + w.String() + " ORDER BY id DESC LIMIT ?"
	return db.smsRows(ctx, db.q(query), append(w.args, limit)...)
}

// SMSLogCount counts the entries f selects, whatever its page.
func (db *DB) SMSLogCount(ctx context.Context, f siaga.SMSFilter) (int, error) {
	w := smsWhere(f)
	var n int
	err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM sms_log"+w.String()), w.args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqldb: counting the SMS log: %w", err)
	}
	return n, nil
}

// smsWhere is the condition of a filter of the log, without its page.
func smsWhere(f siaga.SMSFilter) where {
	var w where
	if f.Number != "" {
		w.add("number = ?", f.Number)
	}
	if f.TPS != "" {
		w.add("tps = ?", f.TPS)
	}
	if f.Outcome != "" {
		w.add("outcome = ?", f.Outcome)
	}
	if f.Direction != "" {
		w.add("direction = ?", string(f.Direction))
	}
	if f.Text != "" {
		w.add(`LOWER(text) LIKE ? ESCAPE '\'`, "%"+likeEscaper.Replace(strings.ToLower(f.Text))+"%")
	}
	if f.Scope != "" {
		under := likeEscaper.Replace(f.Scope) + "%"
		cond := `(tps LIKE ? ESCAPE '\' OR reply_to IN (SELECT id FROM sms_log WHERE tps LIKE ? ESCAPE '\')`
		if len(f.Scope) <= 2 {
			cond += " OR (tps = '' AND NOT EXISTS (SELECT 1 FROM sms_log i WHERE i.id = sms_log.reply_to AND i.tps <> ''))"
		}
		w.add(cond+")", under, under)
	}
	return w
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// SMSParts returns the incoming parts of a group, oldest first.
func (db *DB) SMSParts(ctx context.Context, group string) ([]siaga.SMSMessage, error) {
	return db.smsRows(ctx, db.q("SELECT "+smsColumns+" FROM sms_log WHERE grp = ? AND direction = ? AND outcome = ? ORDER BY id"),
		group, string(siaga.SMSIn), siaga.SMSPart)
}

// CountSMS counts the incoming messages from number with the outcome
// since the given time.
func (db *DB) CountSMS(ctx context.Context, number, outcome string, since time.Time) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM sms_log
		WHERE number = ? AND outcome = ? AND direction = ? AND at >= ?`),
		number, outcome, string(siaga.SMSIn), since.UnixNano()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count sms of %s: %w", number, err)
	}
	return n, nil
}

// AddSMSBadCode counts a bad code in one upsert. The row lock of the
// conflicting row (PostgreSQL) or the single writer (SQLite) orders
// parallel calls, so each sees the count its own increment made; every SET
// expression reads the row as it was before the update.
func (db *DB) AddSMSBadCode(ctx context.Context, number string, at time.Time, window time.Duration) (int, time.Time, error) {
	opened := at.Add(-window).UnixNano() // a window that opened after this is still open
	var n int
	var since int64
	err := db.write.QueryRowContext(ctx, db.q(`INSERT INTO sms_bad_codes (number, first_at, bad) VALUES (?, ?, 1)
		ON CONFLICT (number) DO UPDATE SET
			bad = CASE WHEN sms_bad_codes.first_at > ? THEN sms_bad_codes.bad + 1 ELSE 1 END,
			first_at = CASE WHEN sms_bad_codes.first_at > ? THEN sms_bad_codes.first_at ELSE excluded.first_at END
		RETURNING bad, first_at`), number, at.UnixNano(), opened, opened).Scan(&n, &since)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("count a bad sms code of %s: %w", number, err)
	}
	return n, time.Unix(0, since).UTC(), nil
}

// DevicesOfTPS returns the devices of a TPS that are not revoked, oldest
// first: a revoked phone's SMS codes must stop working too.
func (db *DB) DevicesOfTPS(ctx context.Context, tps string) ([]siaga.Device, error) {
	return db.devices(ctx, db.q(selectDevice+" WHERE tps = ? AND revoked_at IS NULL ORDER BY enrolled_at, id"), tps)
}

func (db *DB) smsRows(ctx context.Context, query string, args ...any) ([]siaga.SMSMessage, error) {
	return queryAll(ctx, db.read, "sms log", scanSMS, query, args...)
}

func scanSMS(s scanner, m *siaga.SMSMessage) error {
	var at sql.NullInt64
	err := s.Scan(&m.ID, &at, &m.Direction, &m.Number, &m.Text, &m.Gateway, &m.GatewayID, &m.Outcome,
		&m.TPS, &m.Device, &m.Submission, &m.Group, &m.Part, &m.Parts, &m.ReplyTo)
	m.At = fromNanos(at)
	return err
}
