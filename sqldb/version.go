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
	return db.unavailable(eachRow(ctx, db.read, "versions", versionScanner(), fn, selectVersion+" ORDER BY seq"))
}

// VersionsOfTPS returns every version of one TPS, oldest first.
func (db *DB) VersionsOfTPS(ctx context.Context, tps string) ([]siaga.Version, error) {
	vs, err := queryAll(ctx, db.read, "versions of "+tps, versionScanner(), db.q(selectVersion+" WHERE tps = ? ORDER BY seq"), tps)
	return vs, db.unavailable(err)
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
	return queryAll(ctx, db.read, "versions by submission", versionScanner(), db.q(query), args...)
}

// versionScanner returns a scan function of versions whose form and
// rules are read into scratch space that is only valid until the next
// row, which saves copying the JSON of every form.
func versionScanner() func(scanner, *siaga.Version) error {
	var form, rules sql.RawBytes
	return func(s scanner, v *siaga.Version) error { return scanVersion(s, v, &form, &rules) }
}

// scanVersion reads one row into v, with form and rules as scratch space.
func scanVersion(s scanner, v *siaga.Version, form, rules *sql.RawBytes) error {
	var at sql.NullInt64
	err := s.Scan(&v.Submission, &v.TPS, &v.Contest, &v.Source, &v.Number, form, rules,
		&v.Author, &v.Reason, &v.ContentHash, &v.PrevHash, &v.Hash, &at)
	if err != nil {
		return err
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
