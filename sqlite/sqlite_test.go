package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/sqldb"
	"github.com/deskpemilu/siaga/sqlite"
	"github.com/deskpemilu/siaga/storetest"
)

func open(t testing.TB, path string) *sqldb.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func openTemp(t testing.TB) siaga.Store {
	t.Helper()
	db := open(t, filepath.Join(t.TempDir(), "siaga.db"))
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, openTemp)
}

// TestDurable reopens the file: what AppendVersions acknowledged is there,
// and migrating an existing database is a no-op.
func TestDurable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "siaga.db")
	want := []siaga.Version{
		storetest.Version("sub-1", "3601012001001", 1),
		storetest.Version("sub-2", "3601012001002", 1),
	}
	db := open(t, path)
	if err := db.SaveRegistry(ctx, storetest.Registry()); err != nil {
		t.Fatal(err)
	}
	if err := db.AppendVersions(ctx, want); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = open(t, path)
	defer db.Close()
	if diff := cmp.Diff(want, storetest.AllVersions(t, db)); diff != "" {
		t.Errorf("versions after reopen (-want +got):\n%s", diff)
	}
	reg, err := db.LoadRegistry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(storetest.Registry(), reg); diff != "" {
		t.Errorf("registry after reopen (-want +got):\n%s", diff)
	}
}

// TestPragmas checks the settings durability rests on, on both pools.
func TestPragmas(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "siaga.db"))
	defer db.Close()
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
	}
	for _, tt := range tests {
		t.Run(tt.pragma, func(t *testing.T) {
			var got string
			if err := db.WriteDB().QueryRow("PRAGMA " + tt.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("writer %s = %s, want %s", tt.pragma, got, tt.want)
			}
			if err := db.ReadDB().QueryRow("PRAGMA " + tt.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("reader %s = %s, want %s", tt.pragma, got, tt.want)
			}
		})
	}
}

func BenchmarkAppendVersions(b *testing.B) {
	storetest.BenchmarkAppendVersions(b, openTemp(b))
}

func BenchmarkSaveRegistry(b *testing.B) {
	storetest.BenchmarkSaveRegistry(b, openTemp(b))
}
