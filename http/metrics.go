package http

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Instruments counts requests and their latency by route pattern and
// status; it is registered once per server.
type Instruments struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewInstruments registers the HTTP metrics with reg.
func NewInstruments(reg prometheus.Registerer) *Instruments {
	in := &Instruments{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "siaga_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "siaga_http_request_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
	}
	reg.MustRegister(in.requests, in.latency)
	return in
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Flush keeps server-sent events working through the wrapper.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) instrument(mux *http.ServeMux) http.Handler {
	if s.Instruments == nil {
		return mux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		mux.ServeHTTP(sw, r)
		route := r.Pattern // set by the mux while routing
		if route == "" {
			route = "unmatched"
		}
		s.Instruments.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
		s.Instruments.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}
