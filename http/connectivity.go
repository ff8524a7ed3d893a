package http

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/ui"
)

// Connectivity is the signal picture of the TPS (package connectivity) as
// the API and the pages (ui.Connectivity) read and change it.
type Connectivity interface {
	ui.Connectivity
}

// connectivityBody bounds an intervention or a status change: a few
// fields and a note.
const connectivityBody = 8 << 10

// Pages of the staff's lists.
const (
	surveyPageSize       = 100
	maxSurveyPage        = 1000
	interventionPageSize = 100
)

// connectivityOff answers when the server runs without the service.
func (s *Server) connectivityOff(w http.ResponseWriter, r *http.Request) bool {
	if s.Connectivity != nil {
		return false
	}
	s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "data konektivitas tidak tersedia di server ini", "connectivity data is not available on this server"))
	return true
}

// handleConnectivityAPI is a region's classes (from surveys, after the
// tested interventions, and the registry's estimate), its interventions
// counted, and the history: public, without surveyors, notes or costs.
func (s *Server) handleConnectivityAPI(w http.ResponseWriter, r *http.Request) {
	code, ok := s.connRegion(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, s.Connectivity.Summary(code))
}

// handleSurveysAPI is one page of a region's surveys, by ID: staff data
// (surveyors' names). ?after=ID pages on; ?source= filters.
func (s *Server) handleSurveysAPI(w http.ResponseWriter, r *http.Request) {
	code, ok := s.connRegion(w, r)
	if !ok {
		return
	}
	v := r.URL.Query()
	f := siaga.SurveyFilter{Region: code, Source: v.Get("source"), Limit: surveyPageSize}
	var err error
	if f.After, err = queryInt(v.Get("after"), "after", 0, 1<<62); err != nil {
		s.writeError(w, r, err)
		return
	}
	if l, err := queryInt(v.Get("limit"), "limit", 1, maxSurveyPage); err != nil {
		s.writeError(w, r, err)
		return
	} else if l > 0 {
		f.Limit = int(l)
	}
	page, err := s.Connectivity.Surveys(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		siaga.SurveyPage
		Next string `json:"next,omitempty"`
	}{SurveyPage: page}
	if n := len(page.Items); n == f.Limit {
		out.Next = strconv.FormatInt(page.Items[n-1].ID, 10)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

// handleInterventionsAPI is a page of a region's interventions, by ID,
// with whether each is late and the TPS it covers. ?after=ID pages on.
func (s *Server) handleInterventionsAPI(w http.ResponseWriter, r *http.Request) {
	code, ok := s.connRegion(w, r)
	if !ok {
		return
	}
	after, err := queryInt(r.URL.Query().Get("after"), "after", 0, 1<<62)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	all := s.Connectivity.Interventions(code)
	out := struct {
		Items []connectivity.InterventionView `json:"items"`
		Total int                             `json:"total"`
		Next  string                          `json:"next,omitempty"`
	}{Items: []connectivity.InterventionView{}, Total: len(all)}
	for _, v := range all {
		if v.ID <= after {
			continue
		}
		if len(out.Items) == interventionPageSize {
			out.Next = strconv.FormatInt(out.Items[len(out.Items)-1].ID, 10)
			break
		}
		out.Items = append(out.Items, v)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

// handleAddIntervention records a planned (or already installed)
// intervention in the region of the path: its TPS, when it serves one,
// must lie there.
func (s *Server) handleAddIntervention(w http.ResponseWriter, r *http.Request) {
	code, ok := s.connRegion(w, r)
	if !ok {
		return
	}
	var req struct {
		Kind    string    `json:"kind"`
		TPS     string    `json:"tps"`
		Site    string    `json:"site"`
		Lat     float64   `json:"lat"`
		Lon     float64   `json:"lon"`
		RadiusM float64   `json:"radius_m"`
		Cost    int64     `json:"cost"`
		Owner   string    `json:"owner"`
		Status  string    `json:"status"`
		Due     time.Time `json:"due"`
		Note    string    `json:"note"`
	}
	if !decodeStrict(s, w, r, &req) {
		return
	}
	iv := siaga.Intervention{Kind: req.Kind, TPS: req.TPS, Site: req.Site, Region: code, Lat: req.Lat, Lon: req.Lon,
		RadiusM: req.RadiusM, Cost: req.Cost, Owner: req.Owner, Status: req.Status, Due: req.Due, Note: req.Note}
	if err := s.Connectivity.AddIntervention(r.Context(), &iv, auth.Actor(s.account(r))); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, iv)
}

// handleInterventionStatus moves an intervention of the path's region
// forward: installed, tested (after a passing test survey), removed.
func (s *Server) handleInterventionStatus(w http.ResponseWriter, r *http.Request) {
	code, ok := s.connRegion(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "id", "nomor intervensi tidak sah", "not an intervention number"))
		return
	}
	var req struct {
		Status string `json:"status"`
		Note   string `json:"note"`
	}
	if !decodeStrict(s, w, r, &req) {
		return
	}
	// The intervention must stand in the path's region, which the guard
	// checked against the account's scope.
	found := false
	for _, v := range s.Connectivity.Interventions(code) {
		found = found || v.ID == id
	}
	if !found {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "id", "intervensi %d tidak ada di wilayah %s", "no intervention %d in region %s", id, code))
		return
	}
	iv, err := s.Connectivity.SetInterventionStatus(r.Context(), id, req.Status, req.Note, auth.Actor(s.account(r)))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, iv)
}

// decodeStrict reads a JSON body refusing unknown fields, and answers the
// error itself.
func decodeStrict(s *Server, w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		s.writeError(w, r, decodeError(err))
		return false
	}
	return true
}

// queryInt reads an optional whole-number parameter within [lo, hi]; 0
// when absent.
func queryInt(v, name string, lo, hi int64) (int64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, siaga.Errorf(siaga.EInvalid, name, "%s harus bilangan bulat antara %d dan %d", "%s must be a whole number between %d and %d", name, lo, hi)
	}
	return n, nil
}

// connRegion is the region of the path, answering the error itself when
// it is unknown or the connectivity module is off.
func (s *Server) connRegion(w http.ResponseWriter, r *http.Request) (string, bool) {
	code := r.PathValue("region")
	if _, ok := s.Regions.Region(code); !ok {
		s.writeError(w, r, errNoRegion(code))
		return "", false
	}
	return code, !s.connectivityOff(w, r)
}
