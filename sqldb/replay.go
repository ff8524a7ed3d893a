package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/deskpemilu/siaga"
)

// EachVersionJSON streams every version in stored order with its form
// left as stored, for a reader that parses it faster than decoding it
// into maps (results.Engine.Load).
func (db *DB) EachVersionJSON(ctx context.Context, fn func(*siaga.Version) error) error {
	rows, err := db.read.QueryContext(ctx, selectVersion+" ORDER BY seq")
	if err != nil {
		return fmt.Errorf("query versions: %w", err)
	}
	defer rows.Close()
	var form, rules sql.RawBytes
	var at sql.NullInt64
	for rows.Next() {
		v := new(siaga.Version)
		err := rows.Scan(&v.Submission, &v.TPS, &v.Contest, &v.Source, &v.Number, &form, &rules,
			&v.Author, &v.Reason, &v.ContentHash, &v.PrevHash, &v.Hash, &at)
		if err != nil {
			return fmt.Errorf("scan version: %w", err)
		}
		if v.Rules, err = decodeRules(rules); err != nil {
			return fmt.Errorf("decode rules of %s: %w", v.Submission, err)
		}
		v.FormJSON, v.ReceivedAt = form, fromNanos(at)
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("versions: %w", err)
	}
	return nil
}

// decodeRules reads a stored rule list as EachVersion does; most forms
// break no rule and skip the decoder.
func decodeRules(b []byte) ([]string, error) {
	if string(b) == "[]" {
		return []string{}, nil
	}
	var rules []string
	err := json.Unmarshal(b, &rules)
	return rules, err
}
