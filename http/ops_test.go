package http

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
)

// fakeStore answers Server.Ping as told.
type fakeStore struct {
	down  atomic.Bool
	pings atomic.Int32
	gate  chan struct{} // when set, a ping waits for it
}

func (f *fakeStore) ping(context.Context) error {
	f.pings.Add(1)
	if f.gate != nil {
		<-f.gate
	}
	if f.down.Load() {
		return errors.New("dial tcp: connection refused")
	}
	return nil
}

func testServer(store *fakeStore) *Server {
	return &Server{Logger: slog.New(slog.DiscardHandler), Ping: store.ping}
}

// expire forgets the cached readiness, as a second passing would.
func (s *Server) expire() {
	s.ready.mu.Lock()
	s.ready.at = time.Time{}
	s.ready.mu.Unlock()
}

// TestWriteError: every 503 says when to come back, and an unexpected
// error while the store does not answer is 503 unavailable, not 500.
func TestWriteError(t *testing.T) {
	tests := []struct {
		name       string
		down       bool
		preset     string // a Retry-After the handler set
		err        error
		status     int
		code       string
		retryAfter string
	}{
		{"unavailable", false, "", siaga.Errorf(siaga.EUnavailable, "", "x", "x"), 503, siaga.EUnavailable, "5"},
		{"unavailable, the handler's wait", false, "30", siaga.Errorf(siaga.EUnavailable, "", "x", "x"), 503, siaga.EUnavailable, "30"},
		{"unexpected, store answers", false, "", errors.New("boom"), 500, siaga.EInternal, ""},
		{"unexpected, store down", true, "", errors.New("query users: unexpected EOF"), 503, siaga.EUnavailable, "5"},
		{"conflict", true, "", siaga.Errorf(siaga.EConflict, "id", "x", "x"), 409, siaga.EConflict, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &fakeStore{}
			store.down.Store(tt.down)
			s := testServer(store)
			w := httptest.NewRecorder()
			if tt.preset != "" {
				w.Header().Set("Retry-After", tt.preset)
			}
			s.writeError(w, httptest.NewRequest("POST", "/api/v1/submissions", nil), tt.err)
			var body errorBody
			if err := json.NewDecoder(w.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if w.Code != tt.status || body.Error.Code != tt.code || w.Header().Get("Retry-After") != tt.retryAfter {
				t.Errorf("answered %d %s, Retry-After %q; want %d %s, %q", w.Code, body.Error.Code,
					w.Header().Get("Retry-After"), tt.status, tt.code, tt.retryAfter)
			}
		})
	}
}

// TestReadiness: /readyz fails while the store does not answer and
// recovers when it does; /healthz stays 200 and says degraded; a flood
// of probes costs one ping.
func TestReadiness(t *testing.T) {
	store := &fakeStore{}
	s := testServer(store)
	probe := func(h http.HandlerFunc, path string) (int, string, string) {
		w := httptest.NewRecorder()
		h(w, httptest.NewRequest("GET", path, nil))
		var body struct {
			Status string
			Error  struct{ Code string }
		}
		_ = json.NewDecoder(w.Body).Decode(&body)
		return w.Code, body.Status + body.Error.Code, w.Header().Get("Retry-After")
	}
	steps := []struct {
		name         string
		down         bool
		ready        int
		readyWord    string
		health       string
		retryAfterOK bool
	}{
		{"store answers", false, 200, "ready", "ok", false},
		{"store down", true, 503, siaga.EUnavailable, "degraded", true},
		{"store back", false, 200, "ready", "ok", false},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			store.down.Store(st.down)
			s.expire()
			code, word, retry := probe(s.handleReady, "/readyz")
			if code != st.ready || word != st.readyWord || (retry != "") != st.retryAfterOK {
				t.Errorf("/readyz = %d %q (Retry-After %q), want %d %q", code, word, retry, st.ready, st.readyWord)
			}
			if code, word, _ := probe(s.handleHealth, "/healthz"); code != 200 || word != st.health {
				t.Errorf("/healthz = %d %q, want 200 %q", code, word, st.health)
			}
		})
	}

	t.Run("flood", func(t *testing.T) {
		store.gate = make(chan struct{})
		before := store.pings.Load()
		s.expire()
		var wg sync.WaitGroup
		wg.Go(func() { probe(s.handleReady, "/readyz") }) // the one that pings, held
		for store.pings.Load() == before {
			time.Sleep(time.Millisecond)
		}
		for range 100 {
			wg.Go(func() {
				if code, _, _ := probe(s.handleReady, "/readyz"); code != 200 {
					t.Errorf("/readyz during a ping = %d, want the last answer, 200", code)
				}
			})
		}
		close(store.gate)
		wg.Wait()
		for range 100 { // answered from the cache
			probe(s.handleReady, "/readyz")
		}
		if n := store.pings.Load() - before; n != 1 {
			t.Errorf("%d pings for 201 probes, want 1", n)
		}
	})
}
