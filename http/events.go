package http

import (
	"fmt"
	"net/http"
	"time"
)

const (
	// eventGap is the least time between two events to one client: on
	// election night thousands of changes a second must not become
	// thousands of re-fetches per open dashboard.
	eventGap = 500 * time.Millisecond
	// pingEvery keeps proxies from closing an idle stream.
	pingEvery = 15 * time.Second
)

// events serves GET /events: server-sent events carrying only the newest
// change sequence; pages re-fetch what they show.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// A server-wide write timeout would cut every stream; this one has none.
	_ = rc.SetWriteDeadline(time.Time{})
	changes, cancel := s.Results.Subscribe()
	defer cancel()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// Tell EventSource to wait a little before reconnecting after a restart.
	if _, err := fmt.Fprint(w, "retry: 3000\n\n"); err != nil || rc.Flush() != nil {
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
		_, err := fmt.Fprintf(w, "event: change\nid: %d\ndata: {\"seq\":%d}\n\n", seq, seq)
		return err == nil && rc.Flush() == nil
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
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
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}
