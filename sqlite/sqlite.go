// Package sqlite opens the embedded SQLite database of a data folder with
// the pure-Go driver modernc.org/sqlite.
package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"time"

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

// Options tune Open; the zero value is what a node uses.
type Options struct {
	// RestBeforeCheckpoint is how long the writer must rest before the
	// WAL is checkpointed and truncated (default 1 s).
	RestBeforeCheckpoint time.Duration
}

// Open opens (creating if needed) the database at path and migrates it.
//
// Writes go through one connection: SQLite has one writer anyway, and
// BEGIN IMMEDIATE on a single connection never fails with SQLITE_BUSY
// half-way through a transaction. Reads use a pool of their own so that, with
// WAL, they never wait for the writer. synchronous=FULL syncs the WAL on
// every commit: a commit that returned survives a power cut.
func Open(ctx context.Context, path string) (*DB, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, o Options) (*DB, error) {
	write, err := sql.Open("sqlite", dsn(path, writerBusy, "_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	oneConn(write)
	if err := sqldb.Migrate(ctx, write, goose.DialectSQLite3, migrations); err != nil {
		write.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}

	read, err := sql.Open("sqlite", dsn(path, writerBusy, "_pragma=query_only(1)"))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	ckpt, err := sql.Open("sqlite", dsn(path, checkpointBusy, ""))
	if err == nil {
		oneConn(ckpt)
		err = errors.Join(read.PingContext(ctx), ckpt.PingContext(ctx))
	}
	if err != nil {
		read.Close()
		write.Close()
		if ckpt != nil {
			ckpt.Close()
		}
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	ctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	db := &DB{DB: sqldb.New(write, read, dialect()), stop: stop, done: make(chan struct{}), ckpt: ckpt}
	go checkpointer(ctx, ckpt, cmp.Or(o.RestBeforeCheckpoint, time.Second), db.done)
	return db, nil
}

// oneConn keeps a pool to one connection that lives as long as the pool.
func oneConn(db *sql.DB) {
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
}

// How long a connection waits for a lock before SQLITE_BUSY: the writer
// and the readers long, since the other process of a data folder (a
// command beside a server) may hold it a while; the checkpointer briefly,
// since it may try again later and writers wait while it holds the lock.
const (
	writerBusy     = 10 * time.Second
	checkpointBusy = 100 * time.Millisecond
)

// dsn is a plain path and the driver's parameters: without the file: prefix
// the driver takes the parameters off before SQLite sees the name. A large
// page cache and memory-mapped reads keep the writer's index lookups out of
// system calls, which cost more than the lookups on a busy election night.
// Automatic checkpoints are rare (20,000 pages, ~80 MB of WAL), which keeps
// ingest fast; journal_size_limit cuts a WAL that grew past them (readers
// held a checkpoint back) down to that size when it starts over, and the
// checkpointer empties it once the writer rests.
func dsn(path string, busy time.Duration, extra string) string {
	return path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=busy_timeout(" + strconv.FormatInt(busy.Milliseconds(), 10) + ")&_pragma=foreign_keys(1)" +
		"&_pragma=cache_size(-65536)&_pragma=mmap_size(1073741824)" +
		"&_pragma=wal_autocheckpoint(20000)&_pragma=journal_size_limit(" + strconv.Itoa(walLimit) + ")&" + extra
}

// walLimit is the size, in bytes, a WAL file is cut to when it starts
// over: the automatic checkpoint's 20,000 pages of 4 KiB and their frame
// headers, so that the normal cycle reuses the file rather than growing it
// again.
const walLimit = 20000 * (4096 + 24)
