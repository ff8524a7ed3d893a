// Package postgres opens a PostgreSQL database with pgx and migrates it, for
// deployments that outgrow the embedded SQLite database.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/deskpemilu/siaga/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

func dialect() sqldb.Dialect {
	return sqldb.Dialect{
		Numbered:         true,
		MaxParams:        65535,
		CachesStatements: true,
		Truncate:         "TRUNCATE %s",
		Violation:        violation,
		Unavailable:      unavailable,
		Copy:             copyRows,
		LockAudit:        "LOCK TABLE audit IN SHARE ROW EXCLUSIVE MODE",
		NotifyRevoked:    "SELECT pg_notify('" + RevokedChannel + "', $1)",
	}
}

func violation(err error) string {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return ""
	}
	switch e.Code {
	case "23505":
		return "unique"
	case "23503":
		return "foreign_key"
	}
	return ""
}

// unavailable reports whether err says the server cannot be reached or
// cannot write just now: any failure of the connection itself, and the
// server's own errors of classes 08 (connection), 53 (insufficient
// resources: 53100 disk_full, 53300 too_many_connections), 58 (I/O) and
// 57P01–57P03 (shutting down, starting up).
func unavailable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"), strings.HasPrefix(pe.Code, "53"), strings.HasPrefix(pe.Code, "58"):
			return true
		case pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03":
			return true
		}
		return false
	}
	var (
		connect *pgconn.ConnectError
		netErr  net.Error
	)
	return errors.As(err, &connect) || errors.As(err, &netErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		pgconn.Timeout(err) || pgconn.SafeToRetry(err)
}

// Open connects to the database named by dsn (a postgres:// URL or
// key=value string) and migrates it.
//
// Every connection asks for synchronous_commit=on, so that a commit is on
// the server's disk when it returns (a receipt means durable) whatever the
// server, the database or the role default to: a deployment tuned with
// synchronous_commit=off would otherwise acknowledge forms that a crash
// loses. A dsn that names synchronous_commit itself (remote_apply, to wait
// for a standby too) keeps its choice.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if _, ok := cfg.RuntimeParams["synchronous_commit"]; !ok {
		cfg.RuntimeParams["synchronous_commit"] = "on"
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	if err := sqldb.Migrate(ctx, db, goose.DialectPostgres, migrations); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate postgres: %w", err)
	}
	return &DB{DB: sqldb.New(db, db, dialect()), dsn: dsn}, nil
}

// copyRows loads rows with COPY on the pgx connection under conn, inside
// the transaction already open on it.
func copyRows(ctx context.Context, conn *sql.Conn, table string, cols []string, n int, row func(i int, dst []any) []any) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: connection is %T, not pgx", table, dc)
		}
		src := &rowSource{n: n, row: row, i: -1}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, src)
		return err
	})
}

// rowSource adapts sqldb's row function to pgx.CopyFromSource.
type rowSource struct {
	n, i int
	row  func(i int, dst []any) []any
	vals []any
}

func (s *rowSource) Next() bool {
	s.i++
	return s.i < s.n
}

func (s *rowSource) Values() ([]any, error) {
	s.vals = s.row(s.i, s.vals[:0])
	return s.vals, nil
}

func (s *rowSource) Err() error { return nil }
