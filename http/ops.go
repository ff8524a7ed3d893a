package http

import (
	"crypto/subtle"
	"net/http"
)

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
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
