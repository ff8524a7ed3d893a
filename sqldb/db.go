// Package sqldb implements siaga.Store over database/sql with hand-written
// SQL that runs on both SQLite and PostgreSQL. The packages sqlite and
// postgres open a database, apply their migrations and pass a Dialect.
package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
)

// Dialect is what differs between the databases DB runs on.
type Dialect struct {
	// Numbered is true when bind parameters are written $1, $2… rather than ?.
	Numbered bool
	// MaxParams is the most bind parameters one statement may carry.
	MaxParams int
	// CachesStatements is true when the driver keeps prepared statements
	// per connection by query text (pgx does), so preparing them again in
	// every transaction would only add round trips.
	CachesStatements bool
	// Truncate is the statement that empties the table named by its %s
	// inside a transaction.
	Truncate string
	// Violation classifies a constraint error: "unique", "foreign_key" or "".
	Violation func(error) string
	// Unavailable reports whether err says the database cannot be reached
	// or written just now (a dropped connection, a full disk), rather than
	// that it refused a statement: asking again later may succeed.
	Unavailable func(error) bool
	// Copy, when set, loads n rows into table faster than INSERT can (COPY
	// in PostgreSQL). It runs on conn, inside the transaction open on it.
	// row appends the values of row i, in column order, to dst.
	Copy func(ctx context.Context, conn *sql.Conn, table string, cols []string, n int, row func(i int, dst []any) []any) error
	// LockAudit, when set, is run in a transaction before it appends to the
	// audit log, so that concurrent appenders (other nodes) chain one after
	// another. SQLite needs none: it has one writer.
	LockAudit string
	// NotifyRevoked, when set, is run with a device id in the transaction
	// that revokes the device, to tell the other nodes (PostgreSQL NOTIFY
	// is delivered on commit).
	NotifyRevoked string
}

// DB is a siaga.Store. Writes go to write; reads go to read, which may be
// the same pool. For SQLite they differ so that readers never wait for the
// single writer connection.
type DB struct {
	write   *sql.DB
	read    *sql.DB
	dialect Dialect
	// inserts caches bulkInsert's INSERTs: building their text for every
	// batch was a third of what the engine's writer allocated, and parsing
	// them (where the driver does not cache statements) cost more than
	// storing the rows.
	insertsMu sync.Mutex
	inserts   map[insertKey]*insert
}

var _ siaga.Store = (*DB)(nil)

// New returns a DB over already migrated pools. DB owns them: Close closes
// both.
func New(write, read *sql.DB, d Dialect) *DB {
	return &DB{write: write, read: read, dialect: d}
}

// warmInserts prepares, on the writer's pool and outside any transaction
// (the pool may have a single connection, which a transaction holds), the
// INSERTs that bulkInsert uses.
func (db *DB) warmInserts(ctx context.Context, table string, cols []string) error {
	if db.dialect.CachesStatements {
		return nil
	}
	db.insertsMu.Lock()
	defer db.insertsMu.Unlock()
	size := min(maxChunk, db.dialect.MaxParams/len(cols))
	sizes := []int{size}
	for k := 1; k < size; k *= 2 {
		sizes = append(sizes, k) // what chunk returns below size
	}
	for _, rows := range sizes {
		ins := db.insertLocked(table, cols, rows)
		if ins.stmt != nil {
			continue
		}
		st, err := db.write.PrepareContext(ctx, ins.query)
		if err != nil {
			return fmt.Errorf("prepare insert into %s: %w", table, err)
		}
		ins.stmt = st
	}
	return nil
}

// Close closes the pools.
func (db *DB) Close() error {
	db.insertsMu.Lock()
	for _, ins := range db.inserts {
		if ins.stmt != nil {
			ins.stmt.Close()
		}
	}
	db.inserts = nil
	db.insertsMu.Unlock()
	var err error
	if db.read != db.write {
		err = db.read.Close()
	}
	if werr := db.write.Close(); werr != nil {
		err = werr
	}
	return err
}

// WriteDB and ReadDB expose the pools for callers that need raw access,
// such as operational tooling and tests.
func (db *DB) WriteDB() *sql.DB { return db.write }

// ReadDB returns the pool used for reads.
func (db *DB) ReadDB() *sql.DB { return db.read }

// q turns a query written with ? placeholders into the dialect's form. No
// query in this package has a ? inside a string literal.
func (db *DB) q(query string) string {
	if !db.dialect.Numbered {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] != '?' {
			b.WriteByte(query[i])
			continue
		}
		n++
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// inTx runs fn in a write transaction and commits when fn succeeds.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.inConnTx(ctx, func(tx *sql.Tx, _ *sql.Conn) error { return fn(tx) })
}

// inConnTx is inTx that also gives fn the connection the transaction is
// on, for Dialect.Copy. Until COMMIT is sent nothing is stored whatever
// fails; an error of COMMIT itself leaves the outcome unknown
// (siaga.ErrCommitUnknown).
func (db *DB) inConnTx(ctx context.Context, fn func(tx *sql.Tx, conn *sql.Conn) error) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return db.unavailable(fmt.Errorf("connect: %w", err))
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return db.unavailable(fmt.Errorf("begin: %w", err))
	}
	if err := fn(tx, conn); err != nil {
		_ = tx.Rollback()
		return db.unavailable(err)
	}
	if err := tx.Commit(); err != nil {
		// A database that refused the commit may still hold the
		// transaction open on this connection (SQLite after SQLITE_FULL);
		// end it so that the next one can begin. On a dropped connection
		// this fails too, and the pool drops the connection.
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return errCommit(db.unavailable(err))
	}
	return nil
}

// errCommit marks err, an error of COMMIT, as leaving the outcome unknown.
func errCommit(err error) error {
	return fmt.Errorf("commit: %w (%w)", err, siaga.ErrCommitUnknown)
}

// unavailable turns an error that says the database cannot be reached or
// written just now into EUnavailable, keeping err in the chain for the
// log. Any other error is returned as it is.
func (db *DB) unavailable(err error) error {
	if err == nil || db.dialect.Unavailable == nil || !db.dialect.Unavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", errUnavailable(), err)
}

func errUnavailable() *siaga.Error {
	return siaga.Errorf(siaga.EUnavailable, "", "Basis data tidak dapat dijangkau atau penuh; coba lagi sebentar lagi",
		"the database cannot be reached or is full; try again shortly")
}

// Ping asks the database a trivial query on the pool readers use: the
// store is ready when it answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("%w: ping: %w", errUnavailable(), err)
	}
	return nil
}

// conflict maps a unique violation to an EConflict with the given messages
// and wraps any other error with what.
func (db *DB) conflict(err error, what, id, en string, args ...any) error {
	if err == nil {
		return nil
	}
	if db.dialect.Violation != nil && db.dialect.Violation(err) == "unique" {
		return siaga.Errorf(siaga.EConflict, "", id, en, args...)
	}
	if db.dialect.Violation != nil && db.dialect.Violation(err) == "foreign_key" {
		return siaga.Errorf(siaga.EInvalid, "", "rujukan tidak dikenal: %s", "unknown reference: %s", what)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Times are stored as Unix nanoseconds: exact in both databases, where
// PostgreSQL timestamps would keep only microseconds. The zero time is NULL
// because it has no Unix nanosecond value.
func nanos(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixNano(), Valid: true}
}

func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}
