package http

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/deskpemilu/siaga"
)

// Search finds regions and TPS by code or name (search.Index).
type Search interface {
	Search(q, cursor string, limit int) (siaga.SearchResults, error)
}

// searchRate bounds the searches of one client address: a search costs
// well under a millisecond, a few on a one-letter query, and the
// suggestions ask once per pause in typing, so only a script can reach it.
var searchRate = rate{Burst: 60, PerSecond: 10}

// Hits per page: the page lists more than the suggestions under the box.
const (
	searchPageLimit    = 50
	searchSuggestLimit = 8
)

// searchPage is GET /cari?q=&lanjut=.
type searchPage struct {
	basePage
	Query   string
	Results siaga.SearchResults
	Hits    []searchRow
	From    int // position of the first hit shown, from 1
	To      int // and of the last
	Next    string
	Error   string
}

type searchRow struct {
	siaga.SearchHit
	URL   string
	Level string
	Why   string
}

// matchNames say why a hit was found.
var matchNames = map[siaga.Match]string{
	siaga.MatchCode:       "kode",
	siaga.MatchCodePrefix: "di bawah kode",
	siaga.MatchName:       "nama",
	siaga.MatchPrefix:     "awal nama",
	siaga.MatchTypo:       "nama, salah ketik",
	siaga.MatchWord:       "kata dalam nama",
	siaga.MatchTypoPrefix: "awal nama, salah ketik",
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	q, cursor := r.URL.Query().Get("q"), r.URL.Query().Get("lanjut")
	p := searchPage{basePage: s.base(r, "Cari"), Query: q}
	p.Nav = "cari"
	if s.Search == nil {
		s.pageError(w, r, http.StatusServiceUnavailable, "Pencarian tidak aktif di server ini.", "Search is not enabled on this server.")
		return
	}
	res, err := s.Search.Search(q, cursor, searchPageLimit)
	if err != nil {
		if e, ok := err.(*siaga.Error); ok {
			s.pageError(w, r, siaga.HTTPStatus(e.Code), e.Message+".", e.MessageEN+".")
			return
		}
		s.writeError(w, r, err)
		return
	}
	// A whole code typed, or one hit only: go there, as a search box does.
	if cursor == "" && len(res.Hits) > 0 && (res.Hits[0].Match == siaga.MatchCode || res.Total == 1) {
		http.Redirect(w, r, withContest(hitURL(res.Hits[0]), p.Contest), http.StatusFound)
		return
	}
	p.Results = res
	p.From, _ = strconv.Atoi(cursor)
	p.From++
	for _, h := range res.Hits {
		p.Hits = append(p.Hits, searchRow{SearchHit: h, URL: withContest(hitURL(h), p.Contest), Level: h.Level.String(), Why: matchNames[h.Match]})
	}
	p.To = p.From + len(p.Hits) - 1
	if res.Next != "" {
		p.Next = "/cari?" + url.Values{"q": {q}, "lanjut": {res.Next}, "kontes": {string(p.Contest)}}.Encode()
	}
	s.render(w, r, "search", p)
}

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
		out.Hits[i] = searchHitJSON{SearchHit: h, URL: hitURL(h), LevelName: h.Level.String()}
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

// hitURL is the dashboard page of a hit.
func hitURL(h siaga.SearchHit) string {
	if h.Level == siaga.LevelTPS {
		return "/tps/" + h.Code
	}
	return "/wilayah/" + h.Code
}
