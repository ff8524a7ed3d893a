package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/deskpemilu/siaga/sqldb"
)

// DB is the SQLite store: sqldb's SQL over one file, and a checkpointer
// that gives the write-ahead log's disk space back once the writer rests.
type DB struct {
	*sqldb.DB
	stop context.CancelFunc
	done chan struct{}
	ckpt *sql.DB
}

// Close stops the checkpointer and closes the pools.
func (db *DB) Close() error {
	db.stop()
	<-db.done
	db.ckpt.Close()
	return db.DB.Close()
}

// checkpointer truncates the WAL whenever no write has been committed for
// one period. Checkpoints during a write-heavy night are left to SQLite's
// rare automatic ones (wal_autocheckpoint), which keep ingest fast but
// never shrink the file: without this, the WAL stays at its largest
// (~80 MB) for as long as the node runs.
//
// It asks on a connection of its own, whose PRAGMA data_version changes
// exactly when another connection commits, so telling a resting writer
// costs one trivial query per period. A TRUNCATE checkpoint holds off
// writers while it runs: its short busy timeout (dsn) makes it give up
// and try again a period later rather than keep a commit waiting behind
// a long read.
func checkpointer(ctx context.Context, conn *sql.DB, every time.Duration, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(every)
	defer t.Stop()
	seen, dirty := int64(-1), true
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var v int64
		if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
			continue
		}
		if v != seen { // written to since the last look: not resting
			seen, dirty = v, true
			continue
		}
		if dirty {
			dirty = !truncateWAL(ctx, conn)
		}
	}
}

// truncateWAL copies the whole WAL into the database and empties the
// file; it reports whether it did.
func truncateWAL(ctx context.Context, conn *sql.DB) bool {
	var busy, frames, copied int
	err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied)
	return err == nil && busy == 0
}
