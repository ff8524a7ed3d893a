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
	if q.Kind != "" && q.Kind != siaga.MissingNothing && q.Kind != siaga.MissingIncomplete && q.Kind != siaga.MissingPostponed {
		return page, siaga.Errorf(siaga.EInvalid, "kind", "Jenis %q tidak dikenal (missing, incomplete, postponed)",
			"unknown kind %q (missing, incomplete, postponed)", q.Kind)
	}
	after := missingPos{rank: -1}
	if q.After != "" {
		var ok bool
		if after, ok = e.parseMissingCursor(q.After); !ok {
			return page, siaga.Errorf(siaga.EInvalid, "cursor", "Kursor tidak sah", "invalid cursor")
		}
	}
	postponed := e.postponedIn(q.Region)
	e.mu.RLock()
	defer e.mu.RUnlock()
	var byRank [4][]siaga.MissingTPS
	lo, hi := e.st.tpsRange(q.Region)
	for i := lo; i < hi; i++ {
		m, ok := e.st.missingOf(i, only)
		if !ok {
			continue
		}
		// A TPS whose voting is postponed owes its forms after the new
		// date: "ditunda", not missing. Received incomplete, it is
		// incomplete as any other: something came, the desk asks for
		// the page.
		if len(postponed) > 0 && m.Kind == siaga.MissingNothing {
			if p, ok := postponed[e.st.tps[i].Code]; ok {
				m.Kind, m.Postponement = siaga.MissingPostponed, p
			}
		}
		switch m.Kind {
		case siaga.MissingNothing:
			page.Missing++
		case siaga.MissingIncomplete:
			page.Incomplete++
		default:
			page.Postponed++
		}
		if q.Kind != "" && m.Kind != q.Kind {
			continue
		}
		page.Total++
		rank := missingRank(m)
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
		page.Next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(missingRank(last)) + "/" + last.TPS))
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

// missingRank is the group of the dispatch list a row is in: blank spots,
// weak signal, the rest (connRank), then the postponed TPS, whom no
// runner needs to reach tonight.
func missingRank(m siaga.MissingTPS) int {
	if m.Kind == siaga.MissingPostponed {
		return 3
	}
	return connRank(m.Connectivity)
}

// postponedIn is the active postponements below region by TPS code; nil
// when there are none, so the list's loop pays nothing on a quiet day.
func (e *Engine) postponedIn(region string) map[string]*siaga.Postponement {
	if e.cfg.Postponed == nil {
		return nil
	}
	list := e.cfg.Postponed.PostponedIn(region)
	if len(list) == 0 {
		return nil
	}
	out := make(map[string]*siaga.Postponement, len(list))
	for i := range list {
		p := list[i] // a copy: the caller's list is shared
		out[p.TPS] = &p
	}
	return out
}

// missingPos is a place in the dispatch list: group (missingRank), then
// registry order. The connectivity class comes from the registry, so a
// cursor stays valid while forms arrive; a TPS postponed or no longer
// postponed between two pages moves group, and is shown on the page its
// new place falls on.
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
	return missingPos{n, t}, ok && err == nil && n >= 0 && n <= 3 && t >= 0
}
