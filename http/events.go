package http

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
)

const (
	// eventGap is the least time between two events to one client: on
	// election night thousands of changes a second must not become
	// thousands of re-fetches per open dashboard.
	eventGap = 500 * time.Millisecond
	// pingEvery keeps proxies from closing an idle stream.
	pingEvery = 15 * time.Second
	// eventWriteTimeout drops a client that stops reading: its writes
	// block once the socket's buffers are full.
	eventWriteTimeout = 10 * time.Second
	// streamLife ends every stream after a while; EventSource reconnects
	// on its own, so a live page loses nothing, while a slot held by a
	// client that only idles comes back.
	streamLife = 10 * time.Minute
)

// streamSlots bounds the open live-update streams, in all and per client
// address: each holds a connection and a subscription to the engine.
type streamSlots struct {
	mu        sync.Mutex
	max, per  int
	open      int
	perClient map[string]int
}

func newStreamSlots(max, per int) *streamSlots {
	return &streamSlots{max: max, per: per, perClient: make(map[string]int)}
}

// take reserves a slot for client; release gives it back.
func (t *streamSlots) take(client string) (release func(), ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.open >= t.max || t.perClient[client] >= t.per {
		return nil, false
	}
	t.open++
	t.perClient[client]++
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.open--
		if t.perClient[client]--; t.perClient[client] == 0 {
			delete(t.perClient, client)
		}
	}, true
}

// events serves GET /events: server-sent events carrying only the newest
// change sequence; pages re-fetch what they show.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	release, ok := s.streams.take(s.clientAddr(r))
	if !ok {
		w.Header().Set("Retry-After", "30")
		s.writeError(w, r, siaga.Errorf(siaga.EUnavailable, "", "Terlalu banyak pembaruan langsung yang terbuka; halaman tetap dapat dimuat ulang",
			"too many live-update streams are open; reload the page instead"))
		return
	}
	defer release()
	rc := http.NewResponseController(w)
	// Each write has its own deadline (write), so a stream that nobody
	// reads ends; the stream as a whole ends after streamLife.
	write := func(format string, args ...any) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(eventWriteTimeout))
		_, err := fmt.Fprintf(w, format, args...)
		return err == nil && rc.Flush() == nil
	}
	life := time.NewTimer(streamLife)
	defer life.Stop()
	changes, cancel := s.Results.Subscribe()
	defer cancel()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// Tell EventSource to wait a little before reconnecting after a restart.
	if !write("retry: 3000\n\n") {
		return
	}
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	hold := time.NewTimer(0)
	<-hold.C
	var seq uint64
	pending, holding := false, false
	send := func() bool {
		pending, holding = false, true
		hold.Reset(eventGap)
		return write("event: change\nid: %d\ndata: {\"seq\":%d}\n\n", seq, seq)
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case <-life.C:
			return
		case c, ok := <-changes:
			if !ok {
				return
			}
			seq, pending = max(seq, c.Seq), true
			if !holding && !send() {
				return
			}
		case <-hold.C:
			holding = false
			if pending && !send() {
				return
			}
		case <-ping.C:
			if !write(": ping\n\n") {
				return
			}
		}
	}
}
