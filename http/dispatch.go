package http

import (
	"net/http"
	"strconv"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/ui"
)

// dispatchJSON serves GET /api/v1/dispatch/{region}?contest=&kind=&cursor=&limit=,
// which the board re-fetches when the tallies change: staff in scope
// only, by session or API token. Without contest it looks at every
// contest.
func (s *Server) dispatchJSON(w http.ResponseWriter, r *http.Request) {
	u := s.account(r)
	v := r.URL.Query()
	q := siaga.MissingQuery{Region: r.PathValue("region"), Contest: siaga.Contest(v.Get("contest")),
		Kind: siaga.MissingKind(v.Get("kind")), After: v.Get("cursor"), Limit: ui.DispatchPageSize}
	if _, ok := s.Regions.Region(q.Region); !ok {
		s.writeError(w, r, errNoRegion(q.Region))
		return
	}
	if !s.pages.MayDispatch(u, q.Region) {
		s.writeError(w, r, siaga.Errorf(siaga.EForbidden, "region", "Wilayah %s di luar wilayah akun Anda",
			"region %s is outside your account's region", q.Region))
		return
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > ui.MaxAnomalyPage {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "limit", "limit harus antara 1 dan %d", "limit must be between 1 and %d", ui.MaxAnomalyPage))
			return
		}
		q.Limit = n
	}
	b, err := s.pages.Board(r, q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, b)
}
