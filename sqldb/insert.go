package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// maxChunk bounds the rows of one multi-row INSERT. Larger statements gain
// little and cost parse time and memory.
const maxChunk = 512

// copyMin is the fewest rows worth a Dialect.Copy.
const copyMin = 64

// bulkInsert inserts n rows into table with one multi-row INSERT per chunk.
// Chunk sizes are the largest allowed size and then powers of two, so only
// a handful of distinct statements are ever prepared whatever n is, and
// PostgreSQL's statement cache stays small.
//
// row appends the values of row i, in column order, to dst.
func (db *DB) bulkInsert(ctx context.Context, tx *sql.Tx, conn *sql.Conn, table string, cols []string, n int, row func(i int, dst []any) []any) error {
	if db.dialect.Copy != nil && n >= copyMin {
		return db.dialect.Copy(ctx, conn, table, cols, n, row)
	}
	size := min(maxChunk, db.dialect.MaxParams/len(cols))
	args := make([]any, 0, min(n, size)*len(cols))
	for i := 0; i < n; {
		k := chunk(n-i, size)
		args = args[:0]
		for j := i; j < i+k; j++ {
			args = row(j, args)
		}
		if err := db.execInsert(ctx, tx, table, db.insert(table, cols, k), args); err != nil {
			return err
		}
		i += k
	}
	return nil
}

// execInsert runs ins, an INSERT into table, in tx: by its text where the
// driver caches statements, else through the statement warmInserts
// prepared, or one prepared now.
func (db *DB) execInsert(ctx context.Context, tx *sql.Tx, table string, ins insert, args []any) error {
	st := ins.stmt
	switch {
	case db.dialect.CachesStatements:
		_, err := tx.ExecContext(ctx, ins.query, args...)
		return err
	case st != nil:
		st = tx.StmtContext(ctx, st)
	default:
		var err error
		if st, err = tx.PrepareContext(ctx, ins.query); err != nil {
			return fmt.Errorf("prepare insert into %s: %w", table, err)
		}
	}
	_, err := st.ExecContext(ctx, args...)
	return err
}

// chunk is the size of the next chunk when left rows remain.
func chunk(left, size int) int {
	if left >= size {
		return size
	}
	k := 1
	for k*2 <= left {
		k *= 2
	}
	return k
}

// insertKey names one multi-row INSERT. A table is only ever bulk inserted
// with its one column list, so the table and the rows are enough.
type insertKey struct {
	table string
	rows  int
}

// insert is one multi-row INSERT: its text in the dialect and, where the
// driver does not cache statements, the statement warmInserts prepared.
type insert struct {
	query string
	stmt  *sql.Stmt
}

// insert returns the INSERT of rows rows into table, its text built once.
func (db *DB) insert(table string, cols []string, rows int) insert {
	db.insertsMu.Lock()
	defer db.insertsMu.Unlock()
	return *db.insertLocked(table, cols, rows)
}

func (db *DB) insertLocked(table string, cols []string, rows int) *insert {
	k := insertKey{table, rows}
	ins := db.inserts[k]
	if ins == nil {
		ins = &insert{query: db.q(insertSQL(table, cols, rows))}
		if db.inserts == nil {
			db.inserts = map[insertKey]*insert{}
		}
		db.inserts[k] = ins
	}
	return ins
}

func insertSQL(table string, cols []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(table)
	b.WriteString(" (")
	b.WriteString(strings.Join(cols, ", "))
	b.WriteString(") VALUES ")
	tuple := "(" + strings.Repeat("?, ", len(cols)-1) + "?)"
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
	}
	return b.String()
}
