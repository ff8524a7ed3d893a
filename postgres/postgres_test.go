package postgres_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/postgres"
	"github.com/deskpemilu/siaga/postgres/pgtest"
	"github.com/deskpemilu/siaga/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func openNew(t testing.TB) siaga.Store {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, openNew)
}

// TestReopen opens the same database twice: migrations run once and what
// was committed through the first pool is seen through the second.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	want := []siaga.Version{storetest.Version("sub-1", "3601012001001", 1)}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AppendVersions(ctx, want); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if diff := cmp.Diff(want, storetest.AllVersions(t, db)); diff != "" {
		t.Errorf("versions after reopen (-want +got):\n%s", diff)
	}
	var sync string
	if err := db.WriteDB().QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&sync); err != nil {
		t.Fatal(err)
	}
	if sync != "on" {
		t.Errorf("synchronous_commit = %s, want on", sync)
	}
}

func BenchmarkAppendVersions(b *testing.B) {
	storetest.BenchmarkAppendVersions(b, openNew(b))
}

func BenchmarkSaveRegistry(b *testing.B) {
	storetest.BenchmarkSaveRegistry(b, openNew(b))
}
