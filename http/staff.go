package http

import (
	"net/http"
)

// handleRevokeDevice serves POST /api/v1/devices/{id}/revoke: whoever may
// enrol such a device in its scope, or admin, stops it at once on every
// node (auth.Service.RevokeDevice). The body is ignored.
func (s *Server) handleRevokeDevice(w http.ResponseWriter, r *http.Request) {
	d, err := s.Auth.RevokeDevice(r.Context(), s.account(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, d)
}
