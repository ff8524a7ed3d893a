package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/deskpemilu/siaga"
)

var versionCols = []string{
	"submission", "tps", "contest", "source", "number", "form", "rules",
	"author", "reason", "content_hash", "prev_hash", "hash", "received_at",
}

const selectVersion = `SELECT submission, tps, contest, source, number, form, rules,
	author, reason, content_hash, prev_hash, hash, received_at FROM versions`

// AppendVersions stores vs and audit in one transaction. The seq column,
// assigned in insertion order by the single writer, is the order
// EachVersion returns.
func (db *DB) AppendVersions(ctx context.Context, vs []siaga.Version, audit ...siaga.AuditEvent) error {
	if len(vs) == 0 {
		return nil
	}
	// Encode before the transaction opens so the writer holds it shortly.
	forms := make([]string, len(vs))
	rules := make([]string, len(vs))
	for i := range vs {
		f, err := vs[i].FormJSON, error(nil)
		if len(f) == 0 {
			f, err = encodeForm(&vs[i].Form)
		}
		if err != nil {
			return fmt.Errorf("encode form of %s: %w", vs[i].Submission, err)
		}
		r, err := json.Marshal(vs[i].Rules)
		if err != nil {
			return fmt.Errorf("encode rules of %s: %w", vs[i].Submission, err)
		}
		forms[i], rules[i] = string(f), string(r)
	}
	if err := db.warmInserts(ctx, "versions", versionCols); err != nil {
		return err
	}
	return db.inConnTx(ctx, func(tx *sql.Tx, conn *sql.Conn) error {
		err := db.bulkInsert(ctx, tx, conn, "versions", versionCols, len(vs), func(i int, dst []any) []any {
			v := &vs[i]
			return append(dst, v.Submission, v.TPS, string(v.Contest), string(v.Source), v.Number,
				forms[i], rules[i], v.Author, v.Reason, v.ContentHash, v.PrevHash, v.Hash, nanos(v.ReceivedAt))
		})
		if err := db.conflict(err, "insert versions",
			"id kiriman atau nomor versi sudah tersimpan", "a submission id or version number is already stored"); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// EachVersion streams every version in stored order; memory does not grow
// with the number of versions.
func (db *DB) EachVersion(ctx context.Context, fn func(*siaga.Version) error) error {
	rows, err := db.read.QueryContext(ctx, selectVersion+" ORDER BY seq")
	if err != nil {
		return db.unavailable(fmt.Errorf("query versions: %w", err))
	}
	defer rows.Close()
	var form, rules sql.RawBytes
	for rows.Next() {
		v := new(siaga.Version)
		if err := scanVersion(rows, v, &form, &rules); err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return db.unavailable(fmt.Errorf("versions: %w", err))
	}
	return nil
}

// VersionsOfTPS returns every version of one TPS, oldest first.
func (db *DB) VersionsOfTPS(ctx context.Context, tps string) ([]siaga.Version, error) {
	rows, err := db.read.QueryContext(ctx, db.q(selectVersion+" WHERE tps = ? ORDER BY seq"), tps)
	if err != nil {
		return nil, db.unavailable(fmt.Errorf("query versions of %s: %w", tps, err))
	}
	defer rows.Close()
	var out []siaga.Version
	var form, rules sql.RawBytes
	for rows.Next() {
		var v siaga.Version
		if err := scanVersion(rows, &v, &form, &rules); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, db.unavailable(fmt.Errorf("versions of %s: %w", tps, err))
	}
	return out, nil
}

// VersionsBySubmission returns the stored versions among ids, ordered by
// version number (so each chain in the order it was stored). It runs only
// after a failed commit, so it builds its query each time.
func (db *DB) VersionsBySubmission(ctx context.Context, ids []string) ([]siaga.Version, error) {
	var out []siaga.Version
	for len(ids) > 0 {
		n := min(len(ids), db.dialect.MaxParams)
		found, err := db.versionsIn(ctx, ids[:n])
		if err != nil {
			return nil, db.unavailable(err)
		}
		out = append(out, found...)
		ids = ids[n:]
	}
	slices.SortStableFunc(out, func(a, b siaga.Version) int { return cmp.Compare(a.Number, b.Number) })
	return out, nil
}

func (db *DB) versionsIn(ctx context.Context, ids []string) ([]siaga.Version, error) {
	query := selectVersion + " WHERE submission IN (?" + strings.Repeat(", ?", len(ids)-1) + ") ORDER BY number, seq"
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.read.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("query versions by submission: %w", err)
	}
	defer rows.Close()
	var out []siaga.Version
	var form, rules sql.RawBytes
	for rows.Next() {
		var v siaga.Version
		if err := scanVersion(rows, &v, &form, &rules); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("versions by submission: %w", err)
	}
	return out, nil
}

// scanVersion reads one row into v. form and rules are scratch space that
// is only valid until the next row, which saves copying the JSON.
func scanVersion(rows *sql.Rows, v *siaga.Version, form, rules *sql.RawBytes) error {
	var at sql.NullInt64
	err := rows.Scan(&v.Submission, &v.TPS, &v.Contest, &v.Source, &v.Number, form, rules,
		&v.Author, &v.Reason, &v.ContentHash, &v.PrevHash, &v.Hash, &at)
	if err != nil {
		return fmt.Errorf("scan version: %w", err)
	}
	if err := decodeForm(*form, &v.Form); err != nil {
		return fmt.Errorf("decode form of %s: %w", v.Submission, err)
	}
	if err := json.Unmarshal(*rules, &v.Rules); err != nil {
		return fmt.Errorf("decode rules of %s: %w", v.Submission, err)
	}
	v.ReceivedAt = fromNanos(at)
	return nil
}
