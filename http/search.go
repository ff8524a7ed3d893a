package http

import (
	"net/http"
	"strconv"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/ui"
)

// Search finds regions and TPS by code or name (search.Index).
type Search interface {
	Search(q, cursor string, limit int) (siaga.SearchResults, error)
}

// searchRate bounds the searches of one client address: a search costs
// well under a millisecond, a few on a one-letter query, and the
// suggestions ask once per pause in typing, so only a script can reach it.
var searchRate = rate{Burst: 60, PerSecond: 10}

// searchSuggestLimit is how many hits the API gives by default: the
// suggestions under the box (the page, ui.SearchPage, lists more).
const searchSuggestLimit = 8

// handleSearchAPI is GET /api/v1/search?q=&limit=&cursor=: the box's
// suggestions, and anyone's lookup of a code or name.
func (s *Server) handleSearchAPI(w http.ResponseWriter, r *http.Request) {
	if s.Search == nil {
		s.writeError(w, r, siaga.Errorf(siaga.EUnavailable, "", "Pencarian tidak aktif di server ini", "search is not enabled on this server"))
		return
	}
	q := r.URL.Query()
	limit := searchSuggestLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > siaga.MaxSearchLimit {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "limit", "limit harus 1 sampai %d", "limit must be 1 to %d", siaga.MaxSearchLimit))
			return
		}
		limit = n
	}
	res, err := s.Search.Search(q.Get("q"), q.Get("cursor"), limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		siaga.SearchResults
		Hits []searchHitJSON `json:"hits"`
	}{SearchResults: res, Hits: make([]searchHitJSON, len(res.Hits))}
	for i, h := range res.Hits {
		out.Hits[i] = searchHitJSON{SearchHit: h, URL: ui.HitURL(h), LevelName: h.Level.String()}
	}
	// The registry does not change while the node runs.
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeJSON(w, http.StatusOK, out)
}

// searchHitJSON is a hit with the page it leads to.
type searchHitJSON struct {
	siaga.SearchHit
	URL       string `json:"url"`
	LevelName string `json:"level_name"`
}
