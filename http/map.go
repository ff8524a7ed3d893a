package http

import (
	"encoding/json"
	"net/http"

	"github.com/deskpemilu/siaga"
)

// mapJSON serves GET /api/v1/map/{contest}/{region}: one entry per child
// with its progress and leader (ui.Pages.Map); the page joins it with the
// boundary layer.
func (s *Server) mapJSON(w http.ResponseWriter, r *http.Request) {
	c := siaga.Contest(r.PathValue("contest"))
	reg, ok := s.Regions.Region(r.PathValue("region"))
	if !c.Valid() || !ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":{"code":"not_found","message":"Kontes atau wilayah tidak ditemukan","field":""}}`))
		return
	}
	d := s.pages.Map(c, reg)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(d)
}
