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
	exec := func(k int, args []any) error {
		_, err := tx.ExecContext(ctx, db.insertQuery(table, cols, k), args...)
		return err
	}
	args := make([]any, 0, min(n, size)*len(cols))
	for i := 0; i < n; {
		k := chunk(n-i, size)
		args = args[:0]
		for j := i; j < i+k; j++ {
			args = row(j, args)
		}
		if db.dialect.CachesStatements {
			if err := exec(k, args); err != nil {
				return err
			}
			i += k
			continue
		}
		st := db.cached(insertKey{table, k})
		if st != nil {
			st = tx.StmtContext(ctx, st)
		} else {
			var err error
			if st, err = tx.PrepareContext(ctx, db.insertQuery(table, cols, k)); err != nil {
				return fmt.Errorf("prepare insert into %s: %w", table, err)
			}
		}
		_, err := st.ExecContext(ctx, args...)
		if err != nil {
			return err
		}
		i += k
	}
	return nil
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

// insertQuery is the dialect's text of the INSERT of rows rows into table,
// built once: building it for every batch was a third of what the engine's
// writer allocated, and the collections it caused slowed the reads
// (BENCHMARKS.md, read).
func (db *DB) insertQuery(table string, cols []string, rows int) string {
	k := insertKey{table, rows}
	if q, ok := db.queries.Load(k); ok {
		return q.(string)
	}
	q, _ := db.queries.LoadOrStore(k, db.q(insertSQL(table, cols, rows)))
	return q.(string)
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
