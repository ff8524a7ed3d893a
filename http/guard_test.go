package http

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestRouteCheck: the table refuses a route without an authorization rule,
// time limit or handler, and a scope rule naming no wildcard.
func TestRouteCheck(t *testing.T) {
	h := func(http.ResponseWriter, *http.Request) {}
	for _, tt := range []struct {
		name string
		rt   route
		want string // in the error; "" for none
	}{
		{"complete", route{"GET /x/{code}", staff().in("code"), limits{0, quick, nil, nil}, h}, ""},
		{"no rule", route{"GET /x", access{}, limits{0, quick, nil, nil}, h}, "no authorization rule"},
		{"no time", route{"GET /x", public(), limits{}, h}, "no time limit"},
		{"no handler", route{"GET /x", public(), limits{0, quick, nil, nil}, nil}, "no handler"},
		{"no method", route{"/x", public(), limits{0, quick, nil, nil}, h}, "METHOD /path"},
		{"scope not in path", route{"GET /x/{code}", staff().in("region"), limits{0, quick, nil, nil}, h}, "{region}"},
		{"unknown role", route{"GET /x", staff("raja"), limits{0, quick, nil, nil}, h}, "unknown role"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rt.check()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("check: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("check = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestRateLimiter: a bucket allows its burst, then refills at its rate;
// the limiter forgets the least recently used keys beyond its bound.
func TestRateLimiter(t *testing.T) {
	now := time.Unix(0, 0)
	l := newRateLimiter(func() time.Time { return now }, 2)
	r := rate{Burst: 3, PerSecond: 1}
	for i := range 3 {
		if ok, _ := l.allow("a", r); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.allow("a", r)
	if ok || wait != time.Second {
		t.Fatalf("after the burst: ok=%v wait=%v, want refused for 1s", ok, wait)
	}
	now = now.Add(time.Second)
	if ok, _ := l.allow("a", r); !ok {
		t.Fatal("refill refused")
	}
	l.allow("b", r)
	l.allow("c", r) // evicts a, the least recently used
	if len(l.buckets) != 2 {
		t.Fatalf("%d buckets, want 2", len(l.buckets))
	}
	if _, ok := l.buckets["a"]; ok {
		t.Fatal("the least recently used key was kept")
	}
}

// TestStreamSlots: streams are bounded in all and per client.
func TestStreamSlots(t *testing.T) {
	s := newStreamSlots(3, 2)
	r1, ok1 := s.take("a")
	_, ok2 := s.take("a")
	_, ok3 := s.take("a")
	_, ok4 := s.take("b")
	_, ok5 := s.take("c")
	if !ok1 || !ok2 || ok3 || !ok4 || ok5 {
		t.Fatalf("takes = %v %v %v %v %v, want true true false true false", ok1, ok2, ok3, ok4, ok5)
	}
	r1()
	if _, ok := s.take("c"); !ok {
		t.Fatal("a released slot was not given again")
	}
}

// TestClientAddr: X-Forwarded-For is believed only from a trusted proxy,
// and read from the right so a client cannot choose its address.
func TestClientAddr(t *testing.T) {
	s := &Server{TrustedProxies: mustPrefixes(t, "10.0.0.0/8")}
	for _, tt := range []struct {
		name, remote, xff, proto string
		want                     string
		tls                      bool
	}{
		{"direct", "203.0.113.5:1000", "1.2.3.4", "https", "203.0.113.5", false},
		{"via proxy", "10.0.0.1:1000", "198.51.100.7", "https", "198.51.100.7", true},
		{"spoofed left", "10.0.0.1:1000", "1.2.3.4, 198.51.100.7", "http", "198.51.100.7", false},
		{"two proxies", "10.0.0.1:1000", "198.51.100.7, 10.0.0.2", "", "198.51.100.7", false},
		{"garbage", "10.0.0.1:1000", "nonsense", "", "10.0.0.1", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			r.Header.Set("X-Forwarded-For", tt.xff)
			r.Header.Set("X-Forwarded-Proto", tt.proto)
			if got := s.clientAddr(r); got != tt.want {
				t.Errorf("clientAddr = %s, want %s", got, tt.want)
			}
			if got := s.viaTLS(r); got != tt.tls {
				t.Errorf("viaTLS = %v, want %v", got, tt.tls)
			}
		})
	}
}

func mustPrefixes(t testing.TB, cidrs ...string) []netip.Prefix {
	t.Helper()
	var out []netip.Prefix
	for _, c := range cidrs {
		p, err := netip.ParsePrefix(c)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}
