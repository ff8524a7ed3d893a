package http

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/disaster"
	"github.com/deskpemilu/siaga/ui"
)

// Roles of the disaster module's staff routes.
var (
	// relocationViewRoles see the candidate sites of an at-risk TPS: KPU's
	// operators who move TPS, the desk who maps the risk, Bawaslu who
	// oversees the move.
	relocationViewRoles = []siaga.Role{siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv, siaga.RoleBawaslu, siaga.RoleDesk}
	// relocateRoles record a relocation: the decision is KPU kab/kota's
	// (the province's above it), by letter.
	relocateRoles = []siaga.Role{siaga.RoleKPUKab, siaga.RoleKPUProv}
)

// relocationBody bounds a relocation decision's JSON.
const relocationBody = 8 << 10

// SiteLister is the candidate sites (siaga.SiteStore): read by the
// relocation search, written when one is drawn on the planning map.
type SiteLister = ui.Sites

// publicLayer is a hazard layer without who imported it (staff data).
type publicLayer struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	Source     string    `json:"source"`
	Date       time.Time `json:"date,omitzero"`
	ImportedAt time.Time `json:"imported_at"`
	Synthetic  bool      `json:"synthetic"`
	Features   int       `json:"features"`
}

// handleHazards serves GET /api/v1/hazards/{region}: the region's TPS
// counted by the highest class of the zones they lie in, overall and per
// hazard type, with the layers behind the counts. Public.
func (s *Server) handleHazards(w http.ResponseWriter, r *http.Request) {
	region := r.PathValue("region")
	if !s.disasterOn(w, r) || !s.knownRegion(w, r, region) {
		return
	}
	layers := []publicLayer{}
	for _, l := range s.Disaster.Layers() {
		layers = append(layers, publicLayer{l.ID, l.Name, l.Source, l.Date, l.ImportedAt, l.Synthetic, l.Features})
	}
	writeJSON(w, http.StatusOK, struct {
		disaster.Summary
		HazardLayers []publicLayer `json:"hazard_layers"`
	}{s.Disaster.Summary(region), layers})
}

// handleAtRisk serves GET /api/v1/hazards/{region}/tps?type=&class=&after=&limit=:
// {"items","total","next"}, every at-risk TPS of the region page by page,
// ordered by code. Public: TPS codes, points and zones only.
func (s *Server) handleAtRisk(w http.ResponseWriter, r *http.Request) {
	region := r.PathValue("region")
	if !s.disasterOn(w, r) || !s.knownRegion(w, r, region) {
		return
	}
	v := r.URL.Query()
	q := disaster.AtRiskQuery{Region: region, Type: v.Get("type"), MinClass: v.Get("class"), After: v.Get("after")}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > disaster.MaxPage {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "limit", "limit harus 1 sampai %d", "limit must be 1 to %d", disaster.MaxPage))
			return
		}
		q.Limit = n
	}
	page, err := s.Disaster.AtRisk(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// handleRelocationCandidates serves GET /api/v1/relocation/{tps}/candidates?walk_m=:
// the safe sites within walking distance of the TPS, nearest first.
func (s *Server) handleRelocationCandidates(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("tps")
	if !s.disasterOn(w, r) {
		return
	}
	walk := disaster.DefaultWalk
	if v := r.URL.Query().Get("walk_m"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 50 || f > 20_000 {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "walk_m", "walk_m harus 50 sampai 20000 meter", "walk_m must be 50 to 20000 metres"))
			return
		}
		walk = f
	}
	exposure, err := s.Disaster.TPS(code)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// The sites of the TPS's kab/kota: a walk of a kilometre can cross
	// into the next kecamatan, not usually into the next kab/kota.
	var sites []siaga.Site
	if s.Sites != nil {
		if sites, err = s.Sites.Sites(r.Context(), siaga.SiteFilter{Region: code[:4]}); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	cands := []disaster.Candidate{}
	if exposure.Point != nil {
		if cands, err = s.Disaster.Candidates(code, sites, walk); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, struct {
		TPS        disaster.TPSExposure `json:"tps"`
		WalkM      float64              `json:"walk_m"`
		Sites      int                  `json:"sites"` // candidate sites searched
		Candidates []disaster.Candidate `json:"candidates"`
	}{exposure, walk, len(sites), cands})
}

// relocationRequest is the decision as POST /api/v1/relocation/{tps}
// takes it.
type relocationRequest struct {
	Site          string  `json:"site"`
	ToLat         float64 `json:"to_lat"`
	ToLon         float64 `json:"to_lon"`
	ToAddress     string  `json:"to_address"`
	Reason        string  `json:"reason"`
	Decider       string  `json:"decider"`
	DeciderOffice string  `json:"decider_office"`
	Decided       string  `json:"decided"` // YYYY-MM-DD
	Letter        string  `json:"letter"`
}

// handleRelocate serves POST /api/v1/relocation/{tps}: records a KPU
// relocation decision. The TPS keeps its code; its old place stays in
// its history. Answers the stored relocation.
func (s *Server) handleRelocate(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("tps")
	if !s.disasterOn(w, r) {
		return
	}
	var req relocationRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	decided, err := time.Parse(time.DateOnly, req.Decided)
	if err != nil {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "decided", "decided harus YYYY-MM-DD", "decided must be YYYY-MM-DD"))
		return
	}
	rel := siaga.Relocation{TPS: code, Site: req.Site, ToLat: req.ToLat, ToLon: req.ToLon, ToAddress: req.ToAddress,
		Reason: req.Reason, Decider: req.Decider, DeciderOffice: req.DeciderOffice, Decided: decided, Letter: req.Letter,
		By: "user:" + s.account(r).Username}
	if err := s.Disaster.Relocate(r.Context(), &rel); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rel)
}

// disasterOn answers 503 when the module is off (a server built without
// it, as some tests build one).
func (s *Server) disasterOn(w http.ResponseWriter, r *http.Request) bool {
	if s.Disaster == nil {
		s.writeError(w, r, siaga.Errorf(siaga.EUnavailable, "", "Modul bencana tidak aktif", "the disaster module is off"))
		return false
	}
	return true
}

func (s *Server) knownRegion(w http.ResponseWriter, r *http.Request, code string) bool {
	if _, ok := s.Regions.Region(code); !ok {
		s.writeError(w, r, errNoRegion(code))
		return false
	}
	return true
}
