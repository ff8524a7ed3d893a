package http

import (
	"net/http"
	"slices"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/disaster"
	kesiapan "github.com/deskpemilu/siaga/readiness"
)

// The readiness API (package readiness, imported as kesiapan: the
// /readyz cache is this package's type readiness): one TPS's readiness (SPEC §9), and the readiness
// map's data and hazard layer of a region. All public; the surveyors'
// names (staff data) only reach the staff who read the surveys
// (connReadRoles) in the TPS's scope.

// readinessTPS is GET /api/v1/readiness/tps/{code}.
type readinessTPS struct {
	TPS     string                  `json:"tps"`
	Desa    string                  `json:"desa"`
	Number  int                     `json:"number"`
	DPT     int                     `json:"dpt"`
	Point   *readinessPoint         `json:"point"` // nil: no point known
	Level   siaga.ReadinessLevel    `json:"level"`
	Reasons []siaga.ReadinessReason `json:"reasons"`
	Signal  readinessSignal         `json:"signal"`
	// Interventions serve or cover it, tested or not: public fields for
	// the public, the whole record for staff in scope.
	Interventions any            `json:"interventions"`
	Hazards       []disaster.Hit `json:"hazards"` // the highest class of each type
	Hazard        string         `json:"hazard"`  // the highest of all; "" none
	// Relocation is the latest decision that moved it, Relocations all.
	Relocation   *kesiapan.Relocation  `json:"relocation"`
	Relocations  []kesiapan.Relocation `json:"relocations"`
	Postponement *siaga.Postponement   `json:"postponement"`
	// Kit is the logistics status of its kit (logistics.KitStatus), for
	// staff who read logistics (logReadRoles) in the TPS's scope; null for
	// everyone else: the public sees nothing of logistics.
	Kit *string `json:"kit"`
}

type readinessPoint struct {
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	Source    string  `json:"source"`
	Synthetic bool    `json:"synthetic"`
}

// readinessSignal is its signal: the class after tested interventions,
// from the surveys alone, the registry's estimate, and the latest survey
// of each operator.
type readinessSignal struct {
	Class    siaga.Connectivity `json:"class"`
	Surveyed siaga.Connectivity `json:"surveyed"`
	Estimate siaga.Connectivity `json:"estimate,omitempty"`
	Surveys  any                `json:"surveys"`
	// Staff says the surveyors' names are included.
	Staff bool `json:"staff"`
}

// publicSurvey is a survey without who took and recorded it: the shallower
// fields hide the embedded ones from JSON.
type publicSurvey struct {
	siaga.Survey
	Surveyor string `json:"surveyor,omitempty"`
	By       string `json:"by,omitempty"`
}

func (s *Server) readinessOff(w http.ResponseWriter, r *http.Request) bool {
	if s.Readiness != nil {
		return false
	}
	s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "peta kesiapan tidak tersedia di server ini", "the readiness map is not available on this server"))
	return true
}

// handleReadinessTPS serves GET /api/v1/readiness/tps/{code}.
func (s *Server) handleReadinessTPS(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if s.readinessOff(w, r) {
		return
	}
	t, ok, err := s.Readiness.TPS(r.Context(), code)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !ok {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "tps", "TPS %s tidak terdaftar", "TPS %s is not registered", code))
		return
	}
	u := s.account(r)
	staff := u != nil && slices.Contains(connReadRoles, u.Role) && siaga.InScope(u.Scope, code)
	if u != nil && slices.Contains(logReadRoles, u.Role) && siaga.InScope(u.Scope, code) {
		if err := s.Readiness.WithKit(r.Context(), &t); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	out := readinessTPS{TPS: t.Code, Desa: t.Desa, Number: t.Number, DPT: t.DPT, Level: t.Level, Reasons: t.Reasons,
		Hazards: t.Hazards, Hazard: t.Hazard, Postponement: t.Postponement, Kit: t.Kit, Relocations: []kesiapan.Relocation{},
		Signal: readinessSignal{Class: t.Signal, Surveyed: t.Surveyed, Estimate: t.Estimate, Staff: staff}}
	if t.Point != "" {
		out.Point = &readinessPoint{Lat: t.Lat, Lon: t.Lon, Source: t.Point, Synthetic: t.Synthetic}
	}
	st, _ := s.Readiness.SignalStatus(code)
	out.Signal.Surveys, out.Interventions = tpsSurveys(st, staff), tpsInterventions(st, staff)
	rels, err := s.Readiness.Relocations(r.Context(), code)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, rel := range rels {
		out.Relocations = append(out.Relocations, kesiapan.PublicRelocation(rel))
	}
	if n := len(out.Relocations); n > 0 {
		out.Relocation = &out.Relocations[n-1]
	}
	writeJSON(w, http.StatusOK, out)
}

func tpsSurveys(st connectivity.TPSStatus, staff bool) any {
	if staff {
		return append([]siaga.Survey{}, st.Surveys...)
	}
	out := []publicSurvey{}
	for _, sv := range st.Surveys {
		out = append(out, publicSurvey{Survey: sv})
	}
	return out
}

func tpsInterventions(st connectivity.TPSStatus, staff bool) any {
	if staff {
		return append([]connectivity.InterventionView{}, st.Interventions...)
	}
	out := []kesiapan.Intervention{}
	for _, v := range st.Interventions {
		out = append(out, kesiapan.PublicIntervention(v))
	}
	return out
}

// handleReadinessMap serves GET /api/v1/readiness/map/{region}: what the
// readiness map of the region draws (ui.ReadinessMapData).
func (s *Server) handleReadinessMap(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("region")
	reg, ok := s.Regions.Region(code)
	if !ok {
		s.writeError(w, r, errNoRegion(code))
		return
	}
	if s.readinessOff(w, r) {
		return
	}
	d, err := s.pages.ReadinessMap(r.Context(), reg)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSONCompressed(w, r, http.StatusOK, d)
}

// handleReadinessHazards serves GET /api/v1/readiness/map/{region}/hazards:
// the hazard zones over the region's TPS, simplified for its level and
// capped at readiness.MaxHazardBytes, as GeoJSON.
func (s *Server) handleReadinessHazards(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("region")
	reg, ok := s.Regions.Region(code)
	if !ok {
		s.writeError(w, r, errNoRegion(code))
		return
	}
	if s.readinessOff(w, r) {
		return
	}
	hm, err := s.Readiness.HazardMap(r.Context(), reg, 0)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSONCompressed(w, r, http.StatusOK, hm)
}

// handleReadinessLogistics serves GET
// /api/v1/readiness/map/{region}/logistics: the map's Logistik layer (kit
// statuses, shipments on their way; ui.ReadinessLogisticsData). Staff who
// read logistics in the region's scope only: the route's guard.
func (s *Server) handleReadinessLogistics(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("region")
	reg, ok := s.Regions.Region(code)
	if !ok {
		s.writeError(w, r, errNoRegion(code))
		return
	}
	if s.readinessOff(w, r) {
		return
	}
	if !s.pages.ReadsLogistics(r, reg.Code) {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "logistik tidak tersedia di server ini", "logistics is not available on this server"))
		return
	}
	d, err := s.pages.ReadinessLogistics(r, reg)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSONCompressed(w, r, http.StatusOK, d)
}
