package http

import (
	"net/http"
	"runtime"
	"time"

	"github.com/deskpemilu/siaga/fieldapp"
	"github.com/deskpemilu/siaga/priority"
)

// Handler returns every route of Siaga. This is the one place to look for
// what the server answers.
func (s *Server) Handler() (http.Handler, error) {
	if s.Now == nil {
		s.Now = time.Now
	}
	s.closing = make(chan struct{})
	s.checkers = priority.NewPool(2 * runtime.NumCPU())
	if err := s.Init(); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()

	// JSON API (SPEC section 9).
	mux.HandleFunc("POST /api/v1/submissions", s.handleSubmit)
	mux.HandleFunc("GET /api/v1/results/{contest}/{region}", s.handleResults)
	mux.HandleFunc("GET /api/v1/progress/{region}", s.handleProgress)
	mux.HandleFunc("GET /api/v1/regions/{code}", s.handleRegionAPI)
	mux.HandleFunc("GET /api/v1/tps/{code}", s.handleTPSAPI)
	mux.HandleFunc("GET /api/v1/anomalies", s.handleAnomaliesAPI)
	mux.HandleFunc("GET /api/v1/election", s.handleElectionAPI)
	mux.HandleFunc("POST /api/v1/enrolments", s.handleIssueEnrolment)
	mux.HandleFunc("POST /api/v1/devices", s.handleEnrolDevice)
	mux.HandleFunc("POST /api/v1/devices/{id}/revoke", s.handleRevokeDevice) // staff.go
	mux.HandleFunc("GET /api/v1/audit", s.handleAuditAPI)                    // audit.go
	mux.HandleFunc("GET /audit", s.auditPage)
	mux.HandleFunc("GET /audit.csv", s.handleAuditCSV)
	mux.HandleFunc("GET /audit.xlsx", s.handleAuditXLSX)
	mux.HandleFunc("GET /api/v1/ballot/{tps}", s.handleBallot)

	s.photoRoutes(mux) // photos of count form pages: photos.go
	s.smsRoutes(mux)   // SMS fallback: Kannel, webhook, operator log: sms.go

	// Relay without signal and the dispatch board: relay.go, dispatch.go.
	s.dispatchRoutes(mux)

	// Operations.
	mux.HandleFunc("GET /healthz", s.handleHealth)
	if s.Metrics != nil {
		mux.Handle("GET /metrics", s.Metrics)
	}

	// Dashboard pages, live events and static assets.
	s.dashboardRoutes(mux)
	mux.Handle("/lapangan/", fieldapp.Handler())
	return s.instrument(mux), nil
}
