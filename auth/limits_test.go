package auth

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/argon2"

	"github.com/deskpemilu/siaga"
)

// gatedHashes replaces argon2.IDKey with one that records how many run at
// once and waits for the test to let each finish.
type gatedHashes struct {
	cur, peak, calls atomic.Int32
	entered          chan struct{}
	gate             chan struct{}
}

func gateHashes(s *Service) *gatedHashes {
	g := &gatedHashes{entered: make(chan struct{}, 100), gate: make(chan struct{})}
	s.idKey = func(pw, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
		n := g.cur.Add(1)
		for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
		}
		g.calls.Add(1)
		g.entered <- struct{}{}
		<-g.gate
		g.cur.Add(-1)
		return argon2.IDKey(pw, salt, time, memory, threads, keyLen)
	}
	return g
}

// Parallel logins, anonymous or not, never compute more password hashes at
// once than the bound: each holds argon2id's memory.
func TestLoginHashBound(t *testing.T) {
	const bound, logins = 3, 12
	s, _ := newService(t)
	s.MaxHashes, s.HashWait, s.Throttle = bound, time.Hour, nil
	mustUser(t, s, "ppk.sumur", siaga.RolePPK, "360101")
	g := gateHashes(s)

	var wg sync.WaitGroup
	errs := make(chan error, logins)
	for i := range logins {
		wg.Go(func() {
			user := []string{"ppk.sumur", "tidak.ada"}[i%2]
			_, _, _, err := s.Login(context.Background(), user, "tebakan-ke-"+fmt.Sprint(i), testAddr)
			errs <- err
		})
	}
	// Once every login is hashing or waiting for its turn, see how many
	// hash; then let them finish one by one.
	for g.cur.Load()+s.hashWaiting.Load() < logins {
		time.Sleep(time.Millisecond)
	}
	for range logins {
		<-g.entered
		g.gate <- struct{}{}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if siaga.ErrorCode(err) != siaga.EUnauthorized {
			t.Errorf("login: %v, want a wrong password", err)
		}
	}
	if peak := g.peak.Load(); peak > bound {
		t.Errorf("%d password hashes ran at once, want at most %d", peak, bound)
	}
	if calls := g.calls.Load(); calls != logins {
		t.Errorf("%d hashes for %d logins", calls, logins)
	}
}

// A login that cannot get a turn gives up with 503: when its context ends,
// or after HashWait. Its attempt does not count against the throttle.
func TestLoginHashBusy(t *testing.T) {
	s, _ := newService(t)
	s.MaxHashes, s.HashWait = 1, time.Millisecond
	mustUser(t, s, "ppk.sumur", siaga.RolePPK, "360101")
	s.Throttle = NewThrottle(ThrottleConfig{PerAccount: 2, PerAddr: 1, Window: time.Hour, MaxEntries: 10})
	g := gateHashes(s)
	holding := make(chan error, 1)
	go func() {
		_, _, _, err := s.Login(context.Background(), "ppk.sumur", "rahasia-ppk.sumur", "192.0.2.9")
		holding <- err
	}()
	<-g.entered // the one slot is taken

	t.Run("waited too long", func(t *testing.T) {
		_, _, _, err := s.Login(context.Background(), "ppk.sumur", "rahasia-ppk.sumur", testAddr)
		wantError(t, err, siaga.EUnavailable, "")
		if e := err.(*siaga.Error); e.RetryAfter <= 0 {
			t.Errorf("no Retry-After in %v", err)
		}
	})
	t.Run("context ended", func(t *testing.T) {
		s.HashWait = time.Hour
		defer func() { s.HashWait = time.Millisecond }()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := s.check(ctx, s.dummy(), "rahasia-ppk.sumur")
		wantError(t, err, siaga.EUnavailable, "")
	})
	g.gate <- struct{}{}
	if err := <-holding; err != nil {
		t.Fatal(err)
	}
	// The busy answer was refunded: the one attempt of testAddr is left.
	go func() { <-g.entered; g.gate <- struct{}{} }()
	if _, _, _, err := s.Login(context.Background(), "ppk.sumur", "rahasia-ppk.sumur", testAddr); err != nil {
		t.Fatalf("after two busy answers: %v", err)
	}
}

// records keeps the log records of a test.
type records struct {
	mu   sync.Mutex
	msgs []string
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	var b bytes.Buffer
	b.WriteString(rec.Message)
	rec.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
	r.mu.Lock()
	r.msgs = append(r.msgs, b.String())
	r.mu.Unlock()
	return nil
}
func (r *records) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *records) WithGroup(string) slog.Handler      { return r }

func TestLoginThrottle(t *testing.T) {
	s, clk := newService(t)
	ctx := context.Background()
	mustUser(t, s, "ppk.sumur", siaga.RolePPK, "360101")
	mustUser(t, s, "ppk.cinangka", siaga.RolePPK, "360102")
	s.Throttle = NewThrottle(ThrottleConfig{PerAccount: 3, PerAddr: 5, Window: 15 * time.Minute, MaxEntries: 100})
	log := &records{}
	s.Logger = slog.New(log)
	var hashes atomic.Int32
	s.idKey = func(pw, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
		hashes.Add(1)
		return argon2.IDKey(pw, salt, time, memory, threads, keyLen)
	}
	login := func(user, pw, addr string) error {
		_, _, _, err := s.Login(ctx, user, pw, addr)
		return err
	}
	const office, home, other = "192.0.2.1", "198.51.100.7", "203.0.113.5"

	steps := []struct {
		name, user, pw, addr string
		advance              time.Duration
		want                 string // error code; "" for success
		retry                time.Duration
	}{
		{"first failure", "ppk.sumur", "salah-satu-aaa", office, 0, siaga.EUnauthorized, 0},
		{"second failure", "ppk.sumur", "salah-dua-bbbb", home, time.Minute, siaga.EUnauthorized, 0},
		{"third failure", "ppk.sumur", "salah-tiga-ccc", other, time.Minute, siaga.EUnauthorized, 0},
		{"account locked, right password", "ppk.sumur", "rahasia-ppk.sumur", other, time.Minute, siaga.ETooMany, 12 * time.Minute},
		{"other account from the office", "ppk.cinangka", "salah-empat-dd", office, 0, siaga.EUnauthorized, 0},
		{"unknown account from the office", "tidak.ada", "salah-lima-eee", office, 0, siaga.EUnauthorized, 0},
		{"not a username, from the office", "Robert'); DROP", "salah-enam-fff", office, 0, siaga.EUnauthorized, 0},
		{"office's fifth failure", "ppk.cinangka", "salah-tujuh-gg", office, 0, siaga.EUnauthorized, 0},
		{"office locked, right password", "ppk.cinangka", "rahasia-ppk.cinangka", office, 0, siaga.ETooMany, 12 * time.Minute},
		{"other address unaffected", "ppk.cinangka", "rahasia-ppk.cinangka", home, 0, "", 0},
		{"account window over", "ppk.sumur", "rahasia-ppk.sumur", home, 12 * time.Minute, "", 0},
		{"success started the account afresh", "ppk.sumur", "salah-lagi-hhh", home, 0, siaga.EUnauthorized, 0},
	}
	for _, st := range steps {
		clk.Advance(st.advance)
		before := hashes.Load()
		err := login(st.user, st.pw, st.addr)
		if got := siaga.ErrorCode(err); got != st.want {
			t.Fatalf("%s: err = %v, want code %q", st.name, err, st.want)
		}
		if st.want != siaga.ETooMany {
			continue
		}
		wantError(t, err, siaga.ETooMany, "")
		if e := err.(*siaga.Error); e.RetryAfter != st.retry {
			t.Errorf("%s: retry after %v, want %v", st.name, e.RetryAfter, st.retry)
		}
		if hashes.Load() != before {
			t.Errorf("%s: a throttled attempt computed a password hash", st.name)
		}
	}
	var throttled []string
	for _, m := range log.msgs {
		if strings.HasPrefix(m, "login throttled") {
			throttled = append(throttled, m)
		}
	}
	want := []string{
		"login throttled username=ppk.sumur addr=203.0.113.5 retry_after=12m0s",
		"login throttled username=ppk.cinangka addr=192.0.2.1 retry_after=12m0s",
	}
	if diff := cmp.Diff(want, throttled); diff != "" {
		t.Errorf("throttled attempts logged (-want +got):\n%s", diff)
	}
}

// Whatever usernames and addresses an attacker varies, the throttle keeps
// at most MaxEntries of each, forgetting the oldest first.
func TestThrottleBounded(t *testing.T) {
	th := NewThrottle(ThrottleConfig{PerAccount: 2, PerAddr: 2, Window: time.Hour, MaxEntries: 50})
	now := time.Date(2024, 2, 14, 20, 0, 0, 0, time.UTC)
	for i := range 10_000 {
		th.Try(fmt.Sprintf("user%05d", i), fmt.Sprintf("10.%d.%d.%d", i>>16, i>>8&255, i&255), now.Add(time.Duration(i)))
	}
	if n, m := len(th.accounts.m), len(th.addrs.m); n != 50 || m != 50 || th.accounts.order.Len() != 50 || th.addrs.order.Len() != 50 {
		t.Fatalf("%d accounts and %d addresses remembered, want 50 each", n, m)
	}
	if _, ok := th.accounts.m["user09999"]; !ok {
		t.Error("the newest account was forgotten")
	}
	if _, ok := th.accounts.m["user00000"]; ok {
		t.Error("the oldest account is still remembered")
	}
}

func TestAddrKey(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"192.0.2.1", "192.0.2.1"},
		{"::ffff:192.0.2.1", "192.0.2.1"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
		{"bukan-alamat", "bukan-alamat"},
		{strings.Repeat("x", 100), strings.Repeat("x", 64)},
	}
	for _, tt := range tests {
		if got := addrKey(tt.addr); got != tt.want {
			t.Errorf("addrKey(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// Expired sessions are deleted at every login and by PurgeSessions.
func TestPurgeSessions(t *testing.T) {
	s, clk := newService(t)
	ctx := context.Background()
	mustUser(t, s, "ppk.sumur", siaga.RolePPK, "360101")
	login := func() string {
		token, _, _, err := s.Login(ctx, "ppk.sumur", "rahasia-ppk.sumur", testAddr)
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	stored := func(token string) bool {
		_, err := s.Store.SessionByTokenHash(ctx, hashSecret(token))
		if err != nil && siaga.ErrorCode(err) != siaga.ENotFound {
			t.Fatal(err)
		}
		return err == nil
	}
	old := login()
	clk.Advance(DefaultSessionTTL)
	fresh := login()
	if stored(old) || !stored(fresh) {
		t.Errorf("after a login: expired session stored %v, new one %v", stored(old), stored(fresh))
	}
	clk.Advance(DefaultSessionTTL)
	n, err := s.PurgeSessions(ctx)
	if err != nil || n != 1 || stored(fresh) {
		t.Errorf("PurgeSessions = %d, %v; session still stored: %v", n, err, stored(fresh))
	}
}
