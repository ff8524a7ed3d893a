package http

import (
	"context"
	"crypto/subtle"
	"net/http"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
)

// handleHealth is liveness: 200 while the process serves, because
// restarting it would not bring a database back. The status says
// "degraded" while the store does not answer, for whoever watches.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	status := "ok"
	if s.storeDown(r.Context()) != nil {
		status = "degraded"
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": status})
}

// handleReady is readiness: 503 while the store does not answer, so that
// a load balancer sends the phones elsewhere, 200 once it answers again.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.storeDown(r.Context()) != nil {
		s.writeError(w, r, errNotReady())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// storeDown returns why the store does not answer, or nil.
func (s *Server) storeDown(ctx context.Context) error {
	return s.ready.check(ctx, s.Ping)
}

func errNotReady() *siaga.Error {
	return siaga.Errorf(siaga.EUnavailable, "", "Basis data tidak menjawab; coba lagi sebentar lagi",
		"the database does not answer; try again shortly")
}

// Readiness is asked at most once a second, each time for at most a
// second: a flood of /readyz, or of failing requests, costs the database
// one query a second.
const (
	readyFor    = time.Second
	pingTimeout = time.Second
)

// readiness caches the store's answer to Server.Ping. While one ping is
// out the others get the last answer rather than waiting. It measures
// wall time, as deadlines do, not the node's clock (which a demo speeds).
type readiness struct {
	mu      sync.Mutex
	at      time.Time // of the last answer; zero before the first
	err     error
	pinging bool
}

// check returns the store's last answer to ping, asking again when it is
// older than readyFor. Without ping the store is always ready.
func (rd *readiness) check(ctx context.Context, ping func(context.Context) error) error {
	if ping == nil {
		return nil
	}
	rd.mu.Lock()
	if rd.pinging || (!rd.at.IsZero() && time.Since(rd.at) < readyFor) {
		err := rd.err
		rd.mu.Unlock()
		return err
	}
	rd.pinging = true
	rd.mu.Unlock()
	// Not the caller's context: a client that leaves must not make the
	// store look down to everyone else.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), pingTimeout)
	err := ping(ctx)
	cancel()
	rd.mu.Lock()
	rd.at, rd.err, rd.pinging = time.Now(), err, false
	rd.mu.Unlock()
	return err
}

// handleMetrics serves Prometheus metrics to a caller with the metrics
// token (the guard checked it).
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if s.Metrics == nil {
		http.NotFound(w, r)
		return
	}
	s.Metrics.ServeHTTP(w, r)
}

// metricsAllowed: metrics say how busy the server is and which routes
// fail, which helps an attacker time an attack; on the public address they
// need the operator's token.
func (s *Server) metricsAllowed(r *http.Request) bool {
	token, ok := bearer(r)
	return ok && s.MetricsToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.MetricsToken)) == 1
}
