package ui

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

// searchPageLimit is how many hits a page lists: more than the
// suggestions under the box (GET /api/v1/search).
const searchPageLimit = 50

// SearchPage is GET /cari?q=&lanjut=.
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

func (h *Pages) SearchPage(w http.ResponseWriter, r *http.Request) {
	q, cursor := r.URL.Query().Get("q"), r.URL.Query().Get("lanjut")
	p := searchPage{basePage: h.base(r, "Cari"), Query: q}
	p.Nav = "cari"
	if h.Search == nil {
		h.Error(w, r, http.StatusServiceUnavailable, "Pencarian tidak aktif di server ini.", "Search is not enabled on this server.")
		return
	}
	res, err := h.Search.Search(q, cursor, searchPageLimit)
	if err != nil {
		if e, ok := err.(*siaga.Error); ok {
			h.Error(w, r, siaga.HTTPStatus(e.Code), e.Message+".", e.MessageEN+".")
			return
		}
		h.writeError(w, r, err)
		return
	}
	// A whole code typed, or one hit only: go there, as a search box does.
	if cursor == "" && len(res.Hits) > 0 && (res.Hits[0].Match == siaga.MatchCode || res.Total == 1) {
		http.Redirect(w, r, withContest(HitURL(res.Hits[0]), p.Contest), http.StatusFound)
		return
	}
	p.Results = res
	p.From, _ = strconv.Atoi(cursor)
	p.From++
	for _, hit := range res.Hits {
		p.Hits = append(p.Hits, searchRow{SearchHit: hit, URL: withContest(HitURL(hit), p.Contest), Level: hit.Level.String(), Why: matchNames[hit.Match]})
	}
	p.To = p.From + len(p.Hits) - 1
	if res.Next != "" {
		p.Next = "/cari?" + url.Values{"q": {q}, "lanjut": {res.Next}, "kontes": {string(p.Contest)}}.Encode()
	}
	h.render(w, r, "search", p)
}

// HitURL is the dashboard page of a hit (the search API links to it too).
func HitURL(h siaga.SearchHit) string {
	if h.Level == siaga.LevelTPS {
		return "/tps/" + h.Code
	}
	return "/wilayah/" + h.Code
}
