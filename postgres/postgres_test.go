package postgres_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
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

// TestRevocationAcrossNodes: two nodes on one database each cache a
// device; revoked through one, it is refused by the other within a
// bounded wait, told by NOTIFY (the periodic check is set to an hour, so
// it cannot be what tells).
func TestRevocationAcrossNodes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := pgtest.DSN(t)
	node := func() (*postgres.DB, *auth.Service) {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		a := auth.New(db, time.Now)
		a.Key = []byte("kunci-server-uji-yang-cukup-panjang-32")
		return db, a
	}
	_, a := node()
	dbB, b := node()
	kpu := &siaga.User{ID: 1, Username: "kpu", Role: siaga.RoleKPUProv}
	var devices []*device
	for _, tps := range []string{"3601012001001", "3601012001002"} {
		devices = append(devices, enrol(t, a, kpu, tps))
	}
	if _, err := b.WarmDevices(ctx); err != nil {
		t.Fatal(err)
	}
	followed := make(chan struct{})
	go func() {
		defer close(followed)
		b.Follow(ctx, dbB, time.Hour, time.Now(), slog.New(slog.DiscardHandler))
	}()
	for _, d := range devices {
		if _, err := b.VerifySubmission(ctx, d.sub); err != nil {
			t.Fatalf("before revocation: %v", err)
		}
	}
	// The first may be caught by the check B makes once it listens; the
	// second can only come by notice.
	for _, d := range devices {
		if _, err := a.RevokeDevice(ctx, auth.Console(), d.id); err != nil {
			t.Fatal(err)
		}
		waitRefused(t, b, d.sub, 10*time.Second)
	}
	cancel()
	<-followed
}

type device struct {
	id  string
	sub *siaga.Submission
}

// enrol enrols a KPPS phone of tps through svc and returns a submission
// it signed.
func enrol(t *testing.T, svc *auth.Service, op *siaga.User, tps string) *device {
	t.Helper()
	ctx := context.Background()
	code, err := svc.IssueEnrolment(ctx, op, tps, siaga.RoleKPPS, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := svc.Enrol(ctx, code, pub)
	if err != nil {
		t.Fatal(err)
	}
	sub := &siaga.Submission{ID: uuid.NewString(), TPS: tps, Contest: siaga.PPWP, Source: siaga.SourceKPPS, Device: d.ID}
	sub.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(priv, sub.CanonicalBytes()))
	return &device{id: d.ID, sub: sub}
}

// waitRefused polls until svc refuses sub, or fails t after wait.
func waitRefused(t *testing.T, svc *auth.Service, sub *siaga.Submission, wait time.Duration) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		_, err := svc.VerifySubmission(context.Background(), sub)
		if err != nil {
			if siaga.ErrorCode(err) != siaga.EUnauthorized {
				t.Fatalf("refused with %v, want revoked", err)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("device %s still accepted %v after its revocation", sub.Device, wait)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestSynchronousCommit: every connection commits synchronously, even on
// a database whose default is off, unless the DSN chooses a mode itself.
func TestSynchronousCommit(t *testing.T) {
	tests := []struct {
		name, param, want string
	}{
		{"database default off", "", "on"},
		{"the dsn's choice", "synchronous_commit=remote_apply", "remote_apply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := pgtest.DSN(t)
			first, err := postgres.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			var name string
			if err := first.WriteDB().QueryRowContext(ctx, "SELECT current_database()").Scan(&name); err != nil {
				t.Fatal(err)
			}
			if _, err := first.WriteDB().ExecContext(ctx, "ALTER DATABASE "+name+" SET synchronous_commit = off"); err != nil {
				t.Fatal(err)
			}
			first.Close()
			if tt.param != "" {
				dsn += sep(dsn) + tt.param
			}
			db, err := postgres.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var got string
			if err := db.WriteDB().QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("synchronous_commit = %s, want %s", got, tt.want)
			}
		})
	}
}

// sep is what joins another parameter to a URL or key=value DSN.
func sep(dsn string) string {
	switch {
	case !strings.Contains(dsn, "://"):
		return " "
	case strings.Contains(dsn, "?"):
		return "&"
	}
	return "?"
}
