package results

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

// MissingPage returns the page of the dispatch list q selects; see
// siaga.MissingQuery. It is one pass over the region's TPS under the read
// lock, counting every match; only the page's rows are kept (at most
// Limit+1 per connectivity class, since the list puts blank spots first).
func (e *Engine) MissingPage(q siaga.MissingQuery) (siaga.MissingPage, error) {
	page := siaga.MissingPage{Items: []siaga.MissingTPS{}}
	if err := e.checkRegion(q.Region); err != nil {
		return page, err
	}
	only := -1
	if q.Contest != "" {
		if only = contestIndex(q.Contest); only < 0 {
			return page, siaga.Errorf(siaga.EInvalid, "contest", "Kontes %q tidak dikenal", "unknown contest %q", q.Contest)
		}
	}
	if q.Kind != "" && q.Kind != siaga.MissingNothing && q.Kind != siaga.MissingIncomplete {
		return page, siaga.Errorf(siaga.EInvalid, "kind", "Jenis %q tidak dikenal (missing, incomplete)",
			"unknown kind %q (missing, incomplete)", q.Kind)
	}
	after := missingPos{rank: -1}
	if q.After != "" {
		var ok bool
		if after, ok = e.parseMissingCursor(q.After); !ok {
			return page, siaga.Errorf(siaga.EInvalid, "cursor", "Kursor tidak sah", "invalid cursor")
		}
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	var byRank [3][]siaga.MissingTPS
	lo, hi := e.st.tpsRange(q.Region)
	for i := lo; i < hi; i++ {
		m, ok := e.st.missingOf(i, only)
		if !ok {
			continue
		}
		if m.Kind == siaga.MissingNothing {
			page.Missing++
		} else {
			page.Incomplete++
		}
		if q.Kind != "" && m.Kind != q.Kind {
			continue
		}
		page.Total++
		rank := connRank(e.st.tps[i].Connectivity)
		if !after.before(missingPos{rank, int32(i)}) {
			continue
		}
		if q.Limit <= 0 || len(byRank[rank]) <= q.Limit {
			byRank[rank] = append(byRank[rank], m)
		}
	}
	for _, rows := range byRank {
		page.Items = append(page.Items, rows...)
	}
	if q.Limit > 0 && len(page.Items) > q.Limit {
		page.Items = page.Items[:q.Limit]
		last := page.Items[q.Limit-1]
		page.Next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(connRank(last.Connectivity)) + "/" + last.TPS))
	}
	return page, nil
}

// missingOf is the dispatch line of TPS i, looking at contest only (-1:
// every contest), and whether it lacks anything. Callers hold the read
// lock.
func (s *state) missingOf(i int, only int) (siaga.MissingTPS, bool) {
	var missing, incomplete []siaga.Contest
	for c, sl := range s.tpsState[i].slots {
		if only >= 0 && c != only {
			continue
		}
		switch {
		case sl != nil && sl.incomplete:
			incomplete = append(incomplete, siaga.Contests[c])
		case sl == nil || sl.contrib == nil:
			missing = append(missing, siaga.Contests[c])
		}
	}
	if len(missing)+len(incomplete) == 0 {
		return siaga.MissingTPS{}, false
	}
	m := siaga.MissingTPS{TPS: s.tps[i].Code, Kind: siaga.MissingIncomplete, Contests: missing, Incomplete: incomplete,
		Connectivity: s.tps[i].Connectivity}
	if len(missing) > 0 {
		m.Kind = siaga.MissingNothing
	} else {
		m.Contests = []siaga.Contest{} // JSON [] rather than null
	}
	if lc := s.tpsState[i].lastContact; lc > 0 {
		m.LastContact = unixTime(lc)
	}
	return m, true
}

// missingPos is a place in the dispatch list: connectivity class, then
// registry order. The class comes from the registry, so a cursor stays
// valid while forms arrive.
type missingPos struct {
	rank int
	tps  int32
}

func (p missingPos) before(q missingPos) bool {
	if p.rank != q.rank {
		return p.rank < q.rank
	}
	return p.tps < q.tps
}

func (e *Engine) parseMissingCursor(s string) (missingPos, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return missingPos{}, false
	}
	rank, code, ok := strings.Cut(string(b), "/")
	n, err := strconv.Atoi(rank)
	t := e.st.tpsIndex(code)
	return missingPos{n, t}, ok && err == nil && n >= 0 && n <= 2 && t >= 0
}
