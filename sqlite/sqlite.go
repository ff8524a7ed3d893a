// Package sqlite opens the embedded SQLite database of a data folder with
// the pure-Go driver modernc.org/sqlite.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"runtime"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/deskpemilu/siaga/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dialect is SQLite's flavour of SQL for sqldb.
func dialect() sqldb.Dialect {
	return sqldb.Dialect{
		MaxParams:   32766,
		Truncate:    "DELETE FROM %s",
		Violation:   violation,
		Unavailable: unavailable,
	}
}

func violation(err error) string {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return ""
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return "unique"
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return "foreign_key"
	}
	return ""
}

// unavailable reports whether err says the file cannot be written or read
// just now: the disk is full or failing, or another process holds the
// lock past the busy timeout.
func unavailable(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code() & 0xff { // the primary code of an extended one
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_BUSY,
		sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PROTOCOL:
		return true
	}
	return false
}

// Open opens (creating if needed) the database at path and migrates it.
//
// Writes go through one connection: SQLite has one writer anyway, and
// BEGIN IMMEDIATE on a single connection never fails with SQLITE_BUSY
// half-way through a transaction. Reads use a pool of their own so that, with
// WAL, they never wait for the writer. synchronous=FULL syncs the WAL on
// every commit: a commit that returned survives a power cut.
func Open(ctx context.Context, path string) (*sqldb.DB, error) {
	write, err := sql.Open("sqlite", dsn(path, "_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	if err := sqldb.Migrate(ctx, write, goose.DialectSQLite3, migrations); err != nil {
		write.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}

	read, err := sql.Open("sqlite", dsn(path, "_pragma=query_only(1)"))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	if err := read.PingContext(ctx); err != nil {
		read.Close()
		write.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	return sqldb.New(write, read, dialect()), nil
}

// dsn is a plain path and the driver's parameters: without the file: prefix
// the driver takes the parameters off before SQLite sees the name. A large
// page cache and memory-mapped reads keep the writer's index lookups out of
// system calls, which cost more than the lookups on a busy election night.
func dsn(path, extra string) string {
	return path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
		"&_pragma=cache_size(-65536)&_pragma=mmap_size(1073741824)&_pragma=wal_autocheckpoint(20000)&" + extra
}
