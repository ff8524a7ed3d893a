package http

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/ui"
)

// The JSON API of postponements on voting day (docs/postponement.md): each
// link of the decision chain is posted by the role the law gives it, in
// the account's scope; the list is public. What the public sees is what
// the letters say: the kind, the status, the new date, the reason, and
// each step's office, signatory, time and letter number. The accounts
// that recorded the steps are in the audit log only; no phone number is
// ever stored.

// Postponements records the chain (package postponement's Service): the
// pages' interface, which the API uses whole.
type Postponements = ui.Postponements

// postponementBody bounds a step's JSON: a few short fields.
const postponementBody = 8 << 10

// stepRequest is the body of every step: the signatory, when (now if
// left out), the letter number, a note; and what the step needs besides.
type stepRequest struct {
	Name   string    `json:"name"`
	Office string    `json:"office"`
	At     time.Time `json:"at"`
	Letter string    `json:"letter"`
	Note   string    `json:"note"`
	// Report only.
	Kind   siaga.PostponementKind `json:"kind"`
	Stage  string                 `json:"stage"`
	Reason string                 `json:"reason"`
	// Decision only.
	NewDate string `json:"new_date"`
	// Closing only: selesai or dibatalkan.
	Status siaga.PostponementStatus `json:"status"`
}

func (s *Server) readStep(w http.ResponseWriter, r *http.Request) (stepRequest, siaga.PostponementStep, bool) {
	var req stepRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.writeError(w, r, decodeError(err))
		return req, siaga.PostponementStep{}, false
	}
	if req.At.IsZero() {
		req.At = s.Now()
	}
	return req, siaga.PostponementStep{Name: req.Name, Office: req.Office, At: req.At, Letter: req.Letter, Note: req.Note,
		By: auth.Actor(s.account(r))}, true
}

// handleReportPostponement serves POST /api/v1/tps/{tps}/postponements:
// PPK, KPU or Bawaslu records the report of a TPS whose voting stopped.
// The route's rule keeps the TPS within the account's scope.
func (s *Server) handleReportPostponement(w http.ResponseWriter, r *http.Request) {
	if s.noPostponements(w, r) {
		return
	}
	req, step, ok := s.readStep(w, r)
	if !ok {
		return
	}
	p, err := s.Postponements.Report(r.Context(), r.PathValue("tps"), req.Kind, req.Stage, req.Reason, step)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, p)
}

// handleAdvancePostponement serves POST /api/v1/postponements/{id}/{step}
// for one step (recommend, decide, close): the route names the roles, the
// handler checks the TPS lies in the account's scope.
func (s *Server) handleAdvancePostponement(step string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.noPostponements(w, r) {
			return
		}
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id < 1 {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "id", "Nomor penundaan tidak sah", "invalid postponement id"))
			return
		}
		p, err := s.Postponements.Get(r.Context(), id)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if u := s.account(r); !siaga.InScope(u.Scope, p.TPS) {
			s.writeError(w, r, siaga.Errorf(siaga.EForbidden, "id", "TPS %s di luar wilayah akun Anda",
				"TPS %s is outside your account's region", p.TPS))
			return
		}
		req, st, ok := s.readStep(w, r)
		if !ok {
			return
		}
		switch step {
		case "recommend":
			p, err = s.Postponements.Recommend(r.Context(), *p, st)
		case "decide":
			p, err = s.Postponements.Decide(r.Context(), *p, st, req.NewDate)
		default:
			p, err = s.Postponements.Close(r.Context(), *p, req.Status, st)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, p)
	}
}

// handlePostponementsAPI serves GET /api/v1/postponements?region=&status=&kind=&cursor=&limit=:
// every postponement, active or not, a page at a time in the order they
// were reported, with how many the filter selects.
func (s *Server) handlePostponementsAPI(w http.ResponseWriter, r *http.Request) {
	if s.noPostponements(w, r) {
		return
	}
	v := r.URL.Query()
	f := siaga.PostponementFilter{Region: v.Get("region"), Status: siaga.PostponementStatus(v.Get("status")),
		Kind: siaga.PostponementKind(v.Get("kind")), Limit: 100}
	if f.Region != "" {
		if _, ok := s.Regions.Region(f.Region); !ok {
			s.writeError(w, r, errNoRegion(f.Region))
			return
		}
	}
	if f.Status != "" && !f.Status.Valid() {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "status", "Status %q tidak dikenal", "unknown status %q", f.Status))
		return
	}
	if f.Kind != "" && !f.Kind.Valid() {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "kind", "Jenis %q tidak dikenal: psl atau pss", "unknown kind %q: psl or pss", f.Kind))
		return
	}
	if c := v.Get("cursor"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 1 {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "cursor", "Kursor tidak sah", "invalid cursor"))
			return
		}
		f.After = n
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > ui.MaxAnomalyPage {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "limit", "limit harus antara 1 dan %d", "limit must be between 1 and %d", ui.MaxAnomalyPage))
			return
		}
		f.Limit = n
	}
	page, err := s.Postponements.List(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	next := ""
	if page.Next > 0 {
		next = strconv.FormatInt(page.Next, 10)
	}
	writeJSON(w, http.StatusOK, struct {
		Items []siaga.Postponement `json:"items"`
		Total int                  `json:"total"`
		Next  string               `json:"next"`
	}{page.Items, page.Total, next})
}

func (s *Server) noPostponements(w http.ResponseWriter, r *http.Request) bool {
	if s.Postponements != nil {
		return false
	}
	s.writeError(w, r, siaga.Errorf(siaga.EUnavailable, "", "Penundaan tidak dapat dicatat di server ini",
		"postponements cannot be recorded on this server"))
	return true
}
