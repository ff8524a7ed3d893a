package http

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// The JSON API of the ballot lots (docs/logistics.md, "Surat suara"): the
// shortfall per contest, dapil and warehouse of a region, and the posts
// that register a lot and record what was done to it. Staff in scope only:
// the public sees nothing of logistics.

// ballotBody bounds a lot's or an event's JSON: a few short fields.
const ballotBody = 8 << 10

// noBallots answers 404 when the ballot lots are off.
func (s *Server) noBallots(w http.ResponseWriter, r *http.Request) bool {
	if s.Ballots == nil {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "data logistik tidak tersedia di server ini", "logistics data is not available on this server"))
		return true
	}
	return false
}

// handleBallotsAPI serves GET /api/v1/logistics/{region}/ballots?pada=RFC3339:
// the report as of that moment (now without it).
func (s *Server) handleBallotsAPI(w http.ResponseWriter, r *http.Request) {
	if s.noBallots(w, r) {
		return
	}
	var asOf time.Time
	if v := r.URL.Query().Get("pada"); v != "" {
		var err error
		if asOf, err = time.Parse(time.RFC3339, v); err != nil {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "pada", "pada: waktu RFC 3339, mis. 2024-01-16T12:00:00+07:00",
				"pada: an RFC 3339 time, e.g. 2024-01-16T12:00:00+07:00"))
			return
		}
	}
	rep, err := s.Ballots.Report(r.Context(), r.PathValue("region"), asOf)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, rep)
}

// decodeBallot reads a lot's or an event's JSON, unknown fields refused.
func (s *Server) decodeBallot(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		s.writeError(w, r, decodeError(err))
		return false
	}
	return true
}

// handleAddBallotLot serves POST /api/v1/logistics/{region}/ballot-lots:
// {"warehouse","contest","dapil","number","printer","received","received_at","note"}.
func (s *Server) handleAddBallotLot(w http.ResponseWriter, r *http.Request) {
	if s.noBallots(w, r) {
		return
	}
	var l siaga.BallotLot
	if !s.decodeBallot(w, r, &l) {
		return
	}
	l.ID, l.By = 0, ""
	l, err := s.Ballots.AddLot(r.Context(), r.PathValue("region"), l, auth.Actor(s.account(r)))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, l)
}

// handleAddBallotEvent serves POST /api/v1/logistics/{region}/ballot-events:
// {"lot","kind","reason","qty","at","note"}.
func (s *Server) handleAddBallotEvent(w http.ResponseWriter, r *http.Request) {
	if s.noBallots(w, r) {
		return
	}
	var e siaga.BallotEvent
	if !s.decodeBallot(w, r, &e) {
		return
	}
	e.ID, e.By = 0, ""
	e, err := s.Ballots.AddEvent(r.Context(), r.PathValue("region"), e, auth.Actor(s.account(r)))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, e)
}
