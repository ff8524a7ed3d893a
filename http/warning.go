package http

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// The early warning's JSON API (docs/security-incidents.md, "## Early
// warning"): staff who read incidents read the alerts of a region in scope,
// paged newest first with N of M; the triage roles acknowledge and close
// them; every account keeps its own subscriptions. Alerts name incident
// ids and places: staff data, no public route carries them.

const (
	warningPageSize = 50
	maxWarningPage  = 500
	warningBody     = 4 << 10
)

func (s *Server) warningOff(w http.ResponseWriter, r *http.Request) bool {
	if s.Warning == nil {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "Peringatan dini tidak tersedia di server ini",
			"early warning is not available on this server"))
		return true
	}
	return false
}

// handleWarningsAPI serves GET /api/v1/warnings/{region}?status=&category=&rule=&before=&limit=.
func (s *Server) handleWarningsAPI(w http.ResponseWriter, r *http.Request) {
	if s.warningOff(w, r) {
		return
	}
	code := r.PathValue("region")
	if _, ok := s.Regions.Region(code); !ok {
		s.writeError(w, r, errNoRegion(code))
		return
	}
	v := r.URL.Query()
	f := siaga.WarningFilter{Scope: code, Rule: siaga.WarningRule(v.Get("rule")),
		Categories: codes[siaga.IncidentCategory](v.Get("category")), Statuses: codes[siaga.WarningStatus](v.Get("status"))}
	for _, c := range f.Categories {
		if !c.Valid() {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "category", "Kategori %q tidak dikenal", "unknown category %q", c))
			return
		}
	}
	for _, st := range f.Statuses {
		if !st.Valid() {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "status", "Status %q tidak dikenal", "unknown status %q", st))
			return
		}
	}
	if f.Rule != "" && !f.Rule.Valid() {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "rule", "Aturan %q tidak dikenal", "unknown rule %q", f.Rule))
		return
	}
	before, err := queryInt(v.Get("before"), "before", 1, 1<<62)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	limit, err := queryInt(v.Get("limit"), "limit", 1, maxWarningPage)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if limit == 0 {
		limit = warningPageSize
	}
	f.Before, f.Limit = before, int(limit)+1 // one more tells whether a next page exists
	items, total, err := s.Warning.Alerts(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, pageOf(items, total, int(limit), func(a siaga.WarningAlert) string { return strconv.FormatInt(a.ID, 10) }))
}

// warningInRegion reads the alert {id} and checks it lies under {region}.
func (s *Server) warningInRegion(w http.ResponseWriter, r *http.Request) (*siaga.WarningAlert, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "id", "id harus bilangan bulat positif", "id must be a positive integer"))
		return nil, false
	}
	a, err := s.Warning.Alert(r.Context(), id)
	if err == nil && !siaga.InScope(r.PathValue("region"), a.Region) {
		err = siaga.Errorf(siaga.ENotFound, "id", "Peringatan %d tidak ada di wilayah ini", "no alert %d in this region", id)
	}
	if err != nil {
		s.writeError(w, r, err)
		return nil, false
	}
	return a, true
}

// handleWarningAPI serves GET /api/v1/warnings/{region}/{id}.
func (s *Server) handleWarningAPI(w http.ResponseWriter, r *http.Request) {
	if s.warningOff(w, r) {
		return
	}
	a, ok := s.warningInRegion(w, r)
	if !ok {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, a)
}

// handleWarningStep serves POST /api/v1/warnings/{region}/{id}/steps:
// {"action": "akui"|"selesai", "version": N, "note": "..."}.
func (s *Server) handleWarningStep(w http.ResponseWriter, r *http.Request) {
	if s.warningOff(w, r) {
		return
	}
	var body struct {
		Action  string `json:"action"`
		Version int    `json:"version"`
		Note    string `json:"note"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	a, ok := s.warningInRegion(w, r)
	if !ok {
		return
	}
	by := auth.Actor(s.account(r))
	var err error
	switch body.Action {
	case "akui":
		a, err = s.Warning.Acknowledge(r.Context(), a.ID, body.Version, by)
	case "selesai":
		a, err = s.Warning.Close(r.Context(), a.ID, body.Version, by, body.Note)
	default:
		err = siaga.Errorf(siaga.EInvalid, "action", "action harus akui atau selesai", "action must be akui or selesai")
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, a)
}

// handleWarningSubscriptions serves GET /api/v1/warning-subscriptions:
// the account's own subscriptions.
func (s *Server) handleWarningSubscriptions(w http.ResponseWriter, r *http.Request) {
	if s.warningOff(w, r) {
		return
	}
	subs, err := s.Warning.Subscriptions(r.Context(), s.account(r).ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if subs == nil {
		subs = []siaga.WarningSubscription{}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, subs)
}

// handleWarningSubscribe serves POST /api/v1/warning-subscriptions:
// {"region": "3601", "categories": ["kekerasan"], "phone": "+62…"}; the
// region must lie in the account's scope.
func (s *Server) handleWarningSubscribe(w http.ResponseWriter, r *http.Request) {
	if s.warningOff(w, r) {
		return
	}
	var sub siaga.WarningSubscription
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sub); err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	u := s.account(r)
	if !siaga.InScope(u.Scope, sub.Region) {
		s.writeError(w, r, siaga.Errorf(siaga.EForbidden, "region", "Wilayah %s di luar wilayah akun Anda",
			"region %s is outside your account's region", sub.Region))
		return
	}
	sub.ID, sub.User = 0, u.ID
	sub.Categories = slices.Compact(sub.Categories)
	if err := s.Warning.Subscribe(r.Context(), &sub); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, sub)
}

// handleWarningUnsubscribe serves DELETE /api/v1/warning-subscriptions/{id}.
func (s *Server) handleWarningUnsubscribe(w http.ResponseWriter, r *http.Request) {
	if s.warningOff(w, r) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "id", "id harus bilangan bulat positif", "id must be a positive integer"))
		return
	}
	if err := s.Warning.Unsubscribe(r.Context(), s.account(r).ID, id); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
