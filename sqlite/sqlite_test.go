package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/sqlite"
	"github.com/deskpemilu/siaga/storetest"
)

func open(t testing.TB, path string) *sqlite.DB {
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
		{"wal_autocheckpoint", "20000"},
		{"journal_size_limit", "82400000"},
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

// TestWALShrinks: after a burst of writes the WAL grows to megabytes;
// once the writer rests, the file is emptied instead of keeping its size
// for as long as the node runs.
func TestWALShrinks(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "siaga.db")
	db, err := sqlite.OpenWith(ctx, path, sqlite.Options{RestBeforeCheckpoint: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SaveRegistry(ctx, storetest.Registry()); err != nil {
		t.Fatal(err)
	}
	// One transaction, so that the WAL cannot be emptied half-way.
	vs := make([]siaga.Version, 10000)
	for i := range vs {
		vs[i] = storetest.Version(fmt.Sprintf("sub-%d", i), "3601012001001", i+1)
	}
	if err := db.AppendVersions(ctx, vs); err != nil {
		t.Fatal(err)
	}
	const grown, shrunk = 2 << 20, 64 << 10
	largest := walSize(t, path)
	if largest < grown {
		t.Fatalf("the WAL is only %d bytes after %d versions", largest, len(vs))
	}
	deadline := time.Now().Add(10 * time.Second)
	for walSize(t, path) > shrunk {
		if time.Now().After(deadline) {
			t.Fatalf("the WAL grew to %d bytes and is still %d bytes after the writer rested; want at most %d",
				largest, walSize(t, path), shrunk)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := len(storetest.AllVersions(t, db)); got == 0 {
		t.Error("no versions readable after the checkpoint")
	}
}

func walSize(t testing.TB, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path + "-wal")
	if errors.Is(err, fs.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
