package storetest

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// testExpiredSessions: expired sessions go, the others stay.
func testExpiredSessions(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	u := createUser(t, s, "desk", siaga.RoleDesk)
	for i, exp := range []time.Duration{-time.Hour, -time.Nanosecond, 0, time.Nanosecond, time.Hour} {
		sess := siaga.Session{TokenHash: fmt.Sprintf("session-%d", i), UserID: u.ID, CSRF: "c", ExpiresAt: t0.Add(exp)}
		must(t, s.CreateSession(ctx, &sess))
	}
	n, err := s.DeleteExpiredSessions(ctx, t0)
	must(t, err)
	if n != 3 {
		t.Errorf("DeleteExpiredSessions deleted %d, want the 3 expired at t0", n)
	}
	for i, want := range []bool{false, false, false, true, true} {
		_, err := s.SessionByTokenHash(ctx, fmt.Sprintf("session-%d", i))
		if kept := err == nil; kept != want {
			t.Errorf("session %d kept %v, want %v (%v)", i, kept, want, err)
		}
	}
	n, err = s.DeleteExpiredSessions(ctx, t0)
	must(t, err)
	if n != 0 {
		t.Errorf("a second purge deleted %d", n)
	}
}

// testSecretKeyCheck: the first check stored wins.
func testSecretKeyCheck(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	_, err := s.SecretKeyCheck(ctx)
	wantCode(t, err, siaga.ENotFound)
	got, err := s.InitSecretKeyCheck(ctx, "first")
	must(t, err)
	if got != "first" {
		t.Errorf("InitSecretKeyCheck = %q, want first", got)
	}
	got, err = s.InitSecretKeyCheck(ctx, "second")
	must(t, err)
	if got != "first" {
		t.Errorf("a second InitSecretKeyCheck = %q, want the first kept", got)
	}
	got, err = s.SecretKeyCheck(ctx)
	must(t, err)
	if got != "first" {
		t.Errorf("SecretKeyCheck = %q, want first", got)
	}
}

// testSMSBadCodes: bad codes counted in parallel each get their own
// count, so exactly the limit of them can be told "N tries left"; a window
// opens with the first and a new one after it ends.
func testSMSBadCodes(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	const parallel, window = 12, time.Hour
	var wg sync.WaitGroup
	counts := make([]int, parallel)
	errs := make([]error, parallel)
	for i := range parallel {
		wg.Go(func() {
			counts[i], _, errs[i] = s.AddSMSBadCode(ctx, "+62811", t0.Add(time.Duration(i)*time.Second), window)
		})
	}
	wg.Wait()
	for _, err := range errs {
		must(t, err)
	}
	sort.Ints(counts)
	want := make([]int, parallel)
	for i := range want {
		want[i] = i + 1
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("parallel counts (-want +got):\n%s", diff)
	}

	steps := []struct {
		number string
		at     time.Duration
		n      int
		since  time.Duration
	}{
		{"+62812", 0, 1, 0},
		{"+62812", 30 * time.Minute, 2, 0},
		{"+62812", window - time.Nanosecond, 3, 0},
		{"+62812", window, 1, window}, // the first window is over
		{"+62812", window + time.Minute, 2, window},
		{"+62813", window, 1, window}, // numbers apart
	}
	for _, st := range steps {
		n, since, err := s.AddSMSBadCode(ctx, st.number, t0.Add(st.at), window)
		must(t, err)
		if n != st.n || !since.Equal(t0.Add(st.since)) {
			t.Errorf("AddSMSBadCode(%s, t0+%v) = %d since t0+%v, want %d since t0+%v", st.number, st.at, n, since.Sub(t0), st.n, st.since)
		}
	}
}
