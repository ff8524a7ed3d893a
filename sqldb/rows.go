package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// querier is a pool, a connection or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// scanner is a row or a result set positioned on a row.
type scanner interface{ Scan(dst ...any) error }

// queryAll runs query and scans every row into a T; what names the rows
// in errors. Every list the store reads is this loop.
func queryAll[T any](ctx context.Context, q querier, what string, scan func(scanner, *T) error, query string, args ...any) ([]T, error) {
	var out []T
	err := eachRow(ctx, q, what, scan, func(v *T) error {
		out = append(out, *v)
		return nil
	}, query, args...)
	return out, err
}

// eachRow is queryAll for a reader that must not hold every row at once:
// it hands each row to fn, in a T of its own that fn may keep. An error of
// fn stops the loop and is returned as it is.
func eachRow[T any](ctx context.Context, q querier, what string, scan func(scanner, *T) error, fn func(*T) error, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("query %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		v := new(T)
		if err := scan(rows, v); err != nil {
			return fmt.Errorf("scan %s: %w", what, err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// where gathers the conditions of a filter and their arguments.
type where struct {
	conds []string
	args  []any
}

// add ANDs cond, whose placeholders take args.
func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// String is the WHERE clause, "" when there is no condition.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
