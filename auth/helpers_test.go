package auth

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/sqlite"
)

// clock is a settable time source; tests move it to expire things.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }

// newService returns a Service over a fresh SQLite store, its clock set to
// the morning of election day.
func newService(tb testing.TB) (*Service, *clock) {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "siaga.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	c := &clock{t: time.Date(2024, 2, 14, 7, 0, 0, 0, time.UTC)}
	s := New(db, c.Now)
	s.Argon = cheap
	s.Key = []byte(testKey)
	return s, c
}

// testKey is the server key of test services.
const testKey = "kunci-server-uji-0123456789abcdef"

// testAddr is the client address of test logins.
const testAddr = "192.0.2.1"

func mustUser(tb testing.TB, s *Service, username string, role siaga.Role, scope string) *siaga.User {
	tb.Helper()
	u, err := s.CreateUser(context.Background(), username, "Petugas "+username, "rahasia-"+username, role, scope)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// wantError fails unless err is a *siaga.Error with code and field.
func wantError(tb testing.TB, err error, code, field string) {
	tb.Helper()
	var e *siaga.Error
	if !errors.As(err, &e) {
		tb.Fatalf("err = %v, want *siaga.Error %s on %q", err, code, field)
	}
	if e.Code != code || e.Field != field {
		tb.Fatalf("err = %v, want code %s on field %q", err, code, field)
	}
	if e.Message == "" || e.Message == e.MessageEN {
		tb.Fatalf("err %v has no Indonesian message", err)
	}
}
