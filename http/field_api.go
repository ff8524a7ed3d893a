package http

import (
	"net/http"
	"strings"

	"github.com/deskpemilu/siaga"
)

// ballot is what the field app of one TPS needs to draw its five forms and
// check them: a few tens of KB rather than the whole election definition,
// which is more than half a megabyte for Banten.
type ballot struct {
	TPS       siaga.TPS      `json:"tps"`
	Election  string         `json:"election"`
	Name      string         `json:"name"`
	Tickets   []siaga.Ticket `json:"tickets"`
	Parties   []siaga.Party  `json:"parties"`
	Dapil     []siaga.Dapil  `json:"dapil"` // one per contest that has a dapil here; regions left out
	Synthetic []string       `json:"synthetic,omitempty"`
}

// handleBallot serves GET /api/v1/ballot/{tps}. It is public, as the
// election definition and the registry are.
func (s *Server) handleBallot(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("tps")
	t, ok := s.Regions.TPS(code)
	if !ok {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "tps", "TPS %s tidak ditemukan", "TPS %s not found", code))
		return
	}
	e := s.Election
	out := ballot{TPS: t, Election: e.ID, Name: e.Name, Tickets: e.Tickets, Parties: e.Parties, Dapil: []siaga.Dapil{}, Synthetic: e.Synthetic}
	for _, c := range siaga.Contests {
		if d := dapilOf(e, c, code); d != nil {
			d.Regions = nil
			out.Dapil = append(out.Dapil, *d)
		}
	}
	w.Header().Set("Cache-Control", "no-cache")
	// A legislative ballot lists hundreds of candidates; compressed it
	// reaches a phone on 2G in seconds rather than a minute.
	writeJSONCompressed(w, r, http.StatusOK, out)
}

// dapilOf returns a copy of the dapil of contest whose regions hold the
// longest prefix of the TPS code, or nil.
func dapilOf(e *siaga.Election, c siaga.Contest, tps string) *siaga.Dapil {
	var best *siaga.Dapil
	bestLen := 0
	for i := range e.Dapil {
		d := &e.Dapil[i]
		if d.Contest != c {
			continue
		}
		for _, reg := range d.Regions {
			if len(reg) > bestLen && strings.HasPrefix(tps, reg) {
				best, bestLen = d, len(reg)
			}
		}
	}
	if best == nil {
		return nil
	}
	cp := *best
	return &cp
}
