package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// ReplaceEnrolments stores es, after making every unused, unexpired code
// of the same TPS, role and party expire at at, in one transaction with
// audit. It returns how many codes it replaced.
func (db *DB) ReplaceEnrolments(ctx context.Context, es []siaga.Enrolment, at time.Time, audit ...siaga.AuditEvent) (int, error) {
	replaced := 0
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		replaced = 0
		for _, batch := range enrolmentBatches(es) {
			n, err := db.expireUnused(ctx, tx, batch, at)
			if err != nil {
				return err
			}
			replaced += n
		}
		if err := db.insertEnrolments(ctx, tx, es); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
	return replaced, err
}

// maxInList bounds the placeholders of one IN list, well under what
// either database accepts in one statement.
const maxInList = 500

// enrolmentBatches splits es into runs of one role and party of at most
// maxInList TPS each, so that each run is one UPDATE.
func enrolmentBatches(es []siaga.Enrolment) [][]siaga.Enrolment {
	var out [][]siaga.Enrolment
	start := 0
	for i := 1; i <= len(es); i++ {
		if i == len(es) || i-start == maxInList || es[i].Role != es[start].Role || es[i].Party != es[start].Party {
			out = append(out, es[start:i])
			start = i
		}
	}
	return out
}

// expireUnused makes the unused codes of batch's TPS (one role and party)
// expire at at: the enrolments table has no index on tps, so one
// statement scans it once for the whole batch.
func (db *DB) expireUnused(ctx context.Context, tx *sql.Tx, batch []siaga.Enrolment, at time.Time) (int, error) {
	args := []any{nanos(at), nanos(at), string(batch[0].Role), string(batch[0].Party)}
	for _, e := range batch {
		args = append(args, e.TPS)
	}
	res, err := tx.ExecContext(ctx, db.q(`UPDATE enrolments SET expires_at = ?
		WHERE used_at IS NULL AND expires_at > ? AND role = ? AND party = ? AND tps IN (`+placeholders(len(batch))+`)`), args...)
	if err != nil {
		return 0, fmt.Errorf("replace unused enrolment codes: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// deviceRoles are the roles of devices, which the device list shows by
// default.
var deviceRoles = []siaga.Role{siaga.RoleKPPS, siaga.RoleSaksi, siaga.RolePTPS}

// DeviceList returns one page of f's rows and the counts of the region.
// Rows are the devices of the region's TPS and, for each TPS with no
// working device of f's roles, one row without a device; ordered by TPS
// code and device id (the row without a device first), which is the
// cursor.
func (db *DB) DeviceList(ctx context.Context, f siaga.DeviceFilter) (siaga.DevicePage, error) {
	var page siaga.DevicePage
	if !f.Status.Valid() {
		return page, siaga.Errorf(siaga.EInvalid, "status", "Status perangkat tidak dikenal", "unknown device status")
	}
	rows, args := deviceRows(f)
	var err error
	if page.Total, err = db.count(ctx, "SELECT COUNT(*) FROM ("+rows+") r", args...); err != nil {
		return page, err
	}
	lo, hi := codeRange(f.Region)
	if page.TPS, err = db.count(ctx, "SELECT COUNT(*) FROM tps t WHERE t.code >= ? AND t.code < ?", lo, hi); err != nil {
		return page, err
	}
	page.Unenrolled = page.Total
	if f.Status != siaga.DeviceNone {
		none, noneArgs := deviceRows(siaga.DeviceFilter{Region: f.Region, Roles: f.Roles, Party: f.Party, Status: siaga.DeviceNone})
		if page.Unenrolled, err = db.count(ctx, "SELECT COUNT(*) FROM ("+none+") r", noneArgs...); err != nil {
			return page, err
		}
	}
	limit := f.Limit
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	q := "SELECT r.tps, r.number, r.desa, r.id, r.role, r.party, r.enrolled_at, r.revoked_at FROM (" + rows + ") r"
	if f.After != (siaga.DeviceCursor{}) {
		q += " WHERE (r.tps > ? OR (r.tps = ? AND r.id > ?))"
		args = append(args, f.After.TPS, f.After.TPS, f.After.Device)
	}
	q += " ORDER BY r.tps, r.id LIMIT ?"
	page.Items, err = queryAll(ctx, db.read, "device list", scanDeviceRow, db.q(q), append(args, limit)...)
	if err != nil {
		return page, err
	}
	return page, db.lastSeen(ctx, page.Items)
}

// deviceRows is the query of f's rows, without order or page bounds.
func deviceRows(f siaga.DeviceFilter) (string, []any) {
	roles := f.Roles
	if len(roles) == 0 {
		roles = deviceRoles
	}
	lo, hi := codeRange(f.Region)
	var mine where // the devices f may see
	mine.add("d.role IN ("+placeholders(len(roles))+")", anys(roles)...)
	if f.Party != "" {
		mine.add("d.party = ?", string(f.Party))
	}
	devices := `SELECT t.code AS tps, t.number AS number, t.desa AS desa, d.id AS id, d.role AS role, d.party AS party,
		d.enrolled_at AS enrolled_at, d.revoked_at AS revoked_at
		FROM tps t JOIN devices d ON d.tps = t.code WHERE t.code >= ? AND t.code < ? AND ` + strings.Join(mine.conds, " AND ")
	devArgs := append([]any{lo, hi}, mine.args...)
	none := `SELECT t.code AS tps, t.number AS number, t.desa AS desa, '' AS id, '' AS role, '' AS party,
		NULL AS enrolled_at, NULL AS revoked_at FROM tps t
		WHERE t.code >= ? AND t.code < ? AND NOT EXISTS (SELECT 1 FROM devices d
			WHERE d.tps = t.code AND d.revoked_at IS NULL AND ` + strings.Join(mine.conds, " AND ") + ")"
	noneArgs := append([]any{lo, hi}, mine.args...)
	switch f.Status {
	case siaga.DeviceActive:
		return devices + " AND d.revoked_at IS NULL", devArgs
	case siaga.DeviceRevoked:
		return devices + " AND d.revoked_at IS NOT NULL", devArgs
	case siaga.DeviceNone:
		return none, noneArgs
	}
	return devices + " UNION ALL " + none, append(devArgs, noneArgs...)
}

// codeRange is the range of codes under region: a range rather than LIKE,
// since codes are digits and the primary key serves a range on both
// databases (tps.code sorts bytewise on PostgreSQL too).
func codeRange(region string) (lo, hi string) {
	return region, region + ":" // ':' sorts right after '9'
}

func anys[T ~string](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func (db *DB) count(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, db.q(query), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	return n, nil
}

func scanDeviceRow(s scanner, r *siaga.DeviceRow) error {
	var at, revoked sql.NullInt64
	if err := s.Scan(&r.TPS, &r.Number, &r.Desa, &r.Device.ID, &r.Device.Role, &r.Device.Party, &at, &revoked); err != nil {
		return err
	}
	r.Device.TPS = r.TPS
	r.Device.EnrolledAt, r.Device.RevokedAt = fromNanos(at), fromNanos(revoked)
	return nil
}

// lastSeen fills in when each device of rows last had a form stored: one
// query on the versions of the page's TPS (their index), nothing added to
// a submission.
func (db *DB) lastSeen(ctx context.Context, rows []siaga.DeviceRow) error {
	var tps, authors []any
	at := map[string]*siaga.DeviceRow{}
	for i := range rows {
		if rows[i].Device.ID == "" {
			continue
		}
		if len(tps) == 0 || tps[len(tps)-1] != rows[i].TPS {
			tps = append(tps, rows[i].TPS)
		}
		author := "device:" + rows[i].Device.ID
		authors = append(authors, author)
		at[author] = &rows[i]
	}
	if len(authors) == 0 {
		return nil
	}
	q := db.q("SELECT author, MAX(received_at) FROM versions WHERE tps IN (" + placeholders(len(tps)) +
		") AND author IN (" + placeholders(len(authors)) + ") GROUP BY author")
	res, err := db.read.QueryContext(ctx, q, append(tps, authors...)...)
	if err != nil {
		return fmt.Errorf("devices' last forms: %w", err)
	}
	defer res.Close()
	for res.Next() {
		var author string
		var last sql.NullInt64
		if err := res.Scan(&author, &last); err != nil {
			return fmt.Errorf("devices' last forms: %w", err)
		}
		if r := at[author]; r != nil {
			r.LastSeen = fromNanos(last)
		}
	}
	return res.Err()
}
