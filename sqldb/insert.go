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
		_, err := tx.ExecContext(ctx, db.q(insertSQL(table, cols, k)), args...)
		return err
	}
	args := make([]any, 0, size*len(cols))
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
		query := db.q(insertSQL(table, cols, k))
		st := db.cached(query)
		if st != nil {
			st = tx.StmtContext(ctx, st)
		} else {
			var err error
			if st, err = tx.PrepareContext(ctx, query); err != nil {
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
