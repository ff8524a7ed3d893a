// Package pgtest gives tests a fresh, empty PostgreSQL database.
//
// With SIAGA_TEST_POSTGRES set to a server's DSN, databases are created on
// that server. Otherwise the first call starts one throwaway cluster for the
// whole test process from the PostgreSQL binaries found on the machine. A
// package that uses it stops the cluster from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// The cluster keeps PostgreSQL's durability defaults (fsync, synchronous
// commit) because the stores are tested for durability on it.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// The cluster is process-wide on purpose: starting PostgreSQL takes seconds,
// creating a database a fraction of one.
var shared struct {
	sync.Mutex
	started bool
	cluster *cluster // nil when SIAGA_TEST_POSTGRES is used
	base    string   // DSN of the maintenance database
	admin   *sql.DB
	err     error
}

// DSN returns the DSN of a new, empty database that is dropped when t ends.
// It skips t when PostgreSQL is not available, or fails it when
// SIAGA_REQUIRE_E2E=1.
func DSN(t testing.TB) string {
	t.Helper()
	admin, base, err := server()
	if err != nil {
		if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
			t.Fatalf("PostgreSQL is required (SIAGA_REQUIRE_E2E=1): %v", err)
		}
		t.Skipf("skipped: PostgreSQL not installed: %v", err)
	}
	name := "siaga_test_" + randomHex()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return withDatabase(base, name)
}

// Main runs the tests and stops the cluster, then exits with their code.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Stop stops the cluster started by DSN, if any, and removes its files.
func Stop() {
	shared.Lock()
	defer shared.Unlock()
	if shared.admin != nil {
		shared.admin.Close()
	}
	if shared.cluster != nil {
		shared.cluster.stop()
		os.RemoveAll(shared.cluster.dir)
	}
	shared.started, shared.cluster, shared.admin, shared.err = false, nil, nil, nil
}

func server() (*sql.DB, string, error) {
	shared.Lock()
	defer shared.Unlock()
	if shared.started {
		return shared.admin, shared.base, shared.err
	}
	shared.started = true
	base := os.Getenv("SIAGA_TEST_POSTGRES")
	if base == "" {
		c, err := start()
		if err != nil {
			shared.err = err
			return nil, "", err
		}
		shared.cluster, base = c, c.dsn
	}
	admin, err := sql.Open("pgx", base)
	if err == nil {
		admin.SetMaxOpenConns(2)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = admin.PingContext(ctx)
		cancel()
	}
	shared.admin, shared.base, shared.err = admin, base, err
	return admin, base, err
}

// withDatabase returns dsn with its database replaced by name.
func withDatabase(dsn, name string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String()
	}
	// key=value form: a later key overrides an earlier one.
	return strings.TrimSpace(dsn) + " dbname=" + name
}

func randomHex() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
