package http

import (
	"net/http"
	"strconv"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/ui"
)

// The audit log is Bawaslu's and admin's to read and export, each in its
// scope (auth.CanReadAudit): as a page, as paged JSON, and as CSV or XLSX
// for the spreadsheets oversight works in. The page and the downloads are
// package ui's (ui/audit.go), which reads the filter for both.

// handleAuditAPI serves GET /api/v1/audit: {"items","total","next"},
// newest first; next is the before= of the following page.
func (s *Server) handleAuditAPI(w http.ResponseWriter, r *http.Request) {
	if s.Audit == nil {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "Log audit tidak tersedia", "the audit log is not available"))
		return
	}
	f, err := ui.AuditFilter(s.account(r), r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.Audit.Audit(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Items []siaga.AuditEvent `json:"items"`
		Total int                `json:"total"`
		Next  string             `json:"next,omitempty"`
	}{Items: page.Items, Total: page.Total}
	if out.Items == nil {
		out.Items = []siaga.AuditEvent{}
	}
	if n := len(page.Items); n == f.Limit {
		out.Next = strconv.FormatInt(page.Items[n-1].Seq, 10)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}
