package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/sqldb"
)

// RevokedChannel is the NOTIFY channel on which the node that revokes a
// device names it (sqldb.Dialect.NotifyRevoked), for every other node on
// the same database to drop it from its cache.
const RevokedChannel = "siaga_revoked"

// DB is the PostgreSQL store: the shared SQL of sqldb plus what only
// PostgreSQL offers, notices between the nodes that share it.
type DB struct {
	*sqldb.DB
	dsn string
}

var _ siaga.RevocationFeed = (*DB)(nil)

// relisten is how long a dropped listener waits before connecting again.
const relisten = time.Second

// Revocations delivers the id of every device revoked on this database,
// by any node, as each revocation commits. It listens on a connection of
// its own: LISTEN belongs to a session, which database/sql's pool does not
// keep. Each time it starts listening, first and after a dropped
// connection, it sends "": notices before that moment are not delivered,
// and the caller should ask RevokedDevices. The channel closes when ctx
// ends.
func (db *DB) Revocations(ctx context.Context) <-chan string {
	out := make(chan string, 64)
	go func() {
		defer close(out)
		for ctx.Err() == nil {
			_ = db.listen(ctx, out)
			select {
			case <-ctx.Done():
			case <-time.After(relisten):
			}
		}
	}()
	return out
}

// listen holds one LISTEN session until it fails or ctx ends.
func (db *DB) listen(ctx context.Context, out chan<- string) error {
	conn, err := pgx.Connect(ctx, db.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+RevokedChannel); err != nil {
		return err
	}
	if !send(ctx, out, "") {
		return ctx.Err()
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if !send(ctx, out, n.Payload) {
			return ctx.Err()
		}
	}
}

func send(ctx context.Context, out chan<- string, id string) bool {
	select {
	case out <- id:
		return true
	case <-ctx.Done():
		return false
	}
}
