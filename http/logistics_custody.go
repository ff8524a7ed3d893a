package http

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/logistics"
)

// The JSON API of the custody of the sealed boxes after voting
// (docs/logistics.md, "Serah terima kotak suara"): a logistics officer, the
// PPK or KPU records a handover of a TPS in its scope; the staff who read
// logistics see, per TPS of a region in scope, where its boxes are. Names
// of who gave and received are staff data: no public route carries them.

// handoverBody bounds a handover's JSON: a hundred seal numbers, three
// photo hashes, two names and a note fit in a few KiB.
const handoverBody = 16 << 10

// custodyPageSize and maxCustodyPage: a kecamatan has a few hundred TPS.
const (
	custodyPageSize = 500
	maxCustodyPage  = 5000
)

// handleHandover serves POST /api/v1/logistics/handovers: one handover as
// JSON (siaga.Handover; source, by and recorded_at are the server's). The
// TPS must lie in the account's scope. It answers 201 with the handover as
// stored and the alerts it raised; a retry of a stored handover answers
// the same with the stored one and no alert (they were raised the first
// time).
func (s *Server) handleHandover(w http.ResponseWriter, r *http.Request) {
	if s.custodyOff(w, r) {
		return
	}
	var h siaga.Handover
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	u := s.account(r)
	if !siaga.InScope(u.Scope, h.TPS) {
		s.writeError(w, r, siaga.Errorf(siaga.EForbidden, "tps", "TPS %s di luar wilayah akun Anda",
			"TPS %s is outside your account's region", h.TPS))
		return
	}
	h.Source, h.By = "api", auth.Actor(u)
	stored, alerts, err := s.Custody.Handover(r.Context(), h)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, struct {
		Handover siaga.Handover         `json:"handover"`
		Alerts   []siaga.LogisticsAlert `json:"alerts"`
	}{stored, nonNil(alerts)})
}

func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// handleCustodyAPI serves GET /api/v1/logistics/{region}/custody: per TPS
// of the region, where its boxes are, since when, late or not, a seal
// problem or not; with the region's counts. ?place=tps|pps|ppk, ?late=1,
// ?seal=1 filter; ?after=TPS pages on, ?limit= (at most 5,000); ?at= (RFC
// 3339) asks how it stood at another moment than now.
func (s *Server) handleCustodyAPI(w http.ResponseWriter, r *http.Request) {
	if s.custodyOff(w, r) {
		return
	}
	code := r.PathValue("region")
	if _, ok := s.Regions.Region(code); !ok {
		if _, ok := s.Regions.TPS(code); !ok {
			s.writeError(w, r, errNoRegion(code))
			return
		}
	}
	v := r.URL.Query()
	f := logistics.CustodyFilter{Place: logistics.CustodyPlace(v.Get("place")), Late: v.Get("late") == "1",
		Seal: v.Get("seal") == "1", After: v.Get("after"), Limit: custodyPageSize}
	if f.Place != "" && !f.Place.Valid() {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "place", "Tempat %q tidak dikenal (tps, pps, ppk)", "unknown place %q (tps, pps, ppk)", f.Place))
		return
	}
	if l, err := queryInt(v.Get("limit"), "limit", 1, maxCustodyPage); err != nil {
		s.writeError(w, r, err)
		return
	} else if l > 0 {
		f.Limit = int(l)
	}
	at := s.now()
	if a := v.Get("at"); a != "" {
		t, err := time.Parse(time.RFC3339, a)
		if err != nil {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "at", "Waktu %q tidak terbaca (RFC 3339)", "time %q unreadable (RFC 3339)", a))
			return
		}
		at = t
	}
	rows, err := s.Custody.Status(r.Context(), code, at)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, s.Custody.Page(rows, f, at))
}

func (s *Server) custodyOff(w http.ResponseWriter, r *http.Request) bool {
	if s.Custody != nil {
		return false
	}
	s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "Serah terima kotak suara tidak dicatat di server ini",
		"box custody is not recorded on this server"))
	return true
}
