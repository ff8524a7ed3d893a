package search

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

// class ranks why something matched, best first (siaga.Match).
type class uint8

const (
	classCode class = iota
	classCodePrefix
	className
	classPrefix
	classTypo
	classWord
	classTypoPrefix
)

var matchOf = [...]siaga.Match{siaga.MatchCode, siaga.MatchCodePrefix, siaga.MatchName, siaga.MatchPrefix,
	siaga.MatchTypo, siaga.MatchWord, siaga.MatchTypoPrefix}

// Typing mistakes forgiven by the length of the key typed: none in a
// short word, where one mistake makes another real name ("baru", "bau"),
// one from five letters, two from nine.
func maxTypos(n int) int {
	switch {
	case n < 5:
		return 0
	case n < 9:
		return 1
	}
	return 2
}

// Keys at least this long also find names whose later words (minWord) or
// whose start give or take one mistake (minTypoPrefix) they match.
const (
	minWord       = 3
	minTypoPrefix = 5
)

// Search returns the hits of q from cursor on, at most limit (clamped to
// 1…siaga.MaxSearchLimit), and how many match in all. A query longer than
// siaga.MaxSearchQuery or a cursor this index did not give is refused.
func (x *Index) Search(q, cursor string, limit int) (siaga.SearchResults, error) {
	res := siaga.SearchResults{Query: q, Hits: []siaga.SearchHit{}}
	if len(q) > siaga.MaxSearchQuery {
		return res, siaga.Errorf(siaga.EInvalid, "q", "Kata pencarian terlalu panjang (paling banyak %d karakter)",
			"search query too long (at most %d characters)", siaga.MaxSearchQuery)
	}
	offset := 0
	if cursor != "" {
		n, err := strconv.Atoi(cursor)
		if err != nil || n < 0 || n > len(x.regions)+len(x.tps) {
			return res, siaga.Errorf(siaga.EInvalid, "cursor", "Kursor halaman tidak sah", "invalid page cursor")
		}
		offset = n
	}
	limit = min(max(limit, 1), siaga.MaxSearchLimit)
	p := parseQuery(q)
	var page []hit
	if p.code != "" {
		page, res.Total = x.byCode(p.code, offset, limit)
	} else {
		var best []hit
		best, res.Total = x.byName(p, offset+limit)
		page = best[min(offset, len(best)):]
	}
	for _, h := range page {
		res.Hits = append(res.Hits, x.hitOf(h))
	}
	if end := offset + len(page); end < res.Total {
		res.Next = strconv.Itoa(end)
	}
	return res, nil
}

// hit is a match before it is spelt out: a region (at ≥ 0) or a TPS
// (tps ≥ 0).
type hit struct {
	at, tps int32
	class   class
	miss    bool // the query named another kind of region ("kec." for a desa)
	dist    uint8
}

func (x *Index) hitOf(h hit) siaga.SearchHit {
	out := siaga.SearchHit{Match: matchOf[h.class], Distance: int(h.dist)}
	if h.tps >= 0 {
		t := x.tps[h.tps]
		out.Code, out.Level, out.Name = t.Code, siaga.LevelTPS, "TPS "+threeDigits(t.Number)
		out.Path = x.path(t.Code)
		return out
	}
	r := x.regions[h.at]
	out.Code, out.Level, out.Name, out.Path = r.code, r.level, r.name, x.path(r.code)
	return out
}

func threeDigits(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}

// path names what encloses code, nearest first: "Desa Sukamaju, Kec.
// Cibeber, Kab. Lebak, Banten".
func (x *Index) path(code string) string {
	var parts []string
	for _, c := range siaga.Ancestors(code) {
		if i, ok := x.regionAt(c); ok {
			parts = append(parts, label(x.regions[i]))
		}
	}
	return strings.Join(parts, ", ")
}

func (x *Index) regionAt(code string) (int, bool) {
	return slices.BinarySearchFunc(x.regions, code, func(r region, c string) int { return strings.Compare(r.code, c) })
}

// label is a region's name as an address writes it.
func label(r region) string {
	switch r.kind {
	case kindDesa:
		return "Desa " + r.name
	case kindKel:
		return "Kel. " + r.name
	case kindKec:
		return "Kec. " + r.name
	case kindKab:
		if rest, ok := cutPrefixFold(r.name, "kabupaten "); ok {
			return "Kab. " + rest
		}
	}
	return r.name
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// byCode finds the region or TPS of that code first, then, larger regions
// first, everything under it: a page is cut from these runs without
// listing them.
func (x *Index) byCode(code string, offset, limit int) ([]hit, int) {
	type run struct {
		lo, hi int32
		hit    func(j int32) hit
	}
	var runs []run
	if i, ok := x.regionAt(code); ok {
		runs = append(runs, run{0, 1, func(int32) hit { return hit{at: int32(i), tps: -1, class: classCode} }})
	}
	tlo, thi := prefixRange(len(x.tps), func(i int) string { return x.tps[i].Code }, code)
	if tlo < thi && x.tps[tlo].Code == code {
		t := tlo
		runs = append(runs, run{0, 1, func(int32) hit { return hit{at: -1, tps: t, class: classCode} }})
		tlo++
	}
	for lvl := siaga.LevelProvince; lvl <= siaga.LevelDesa; lvl++ {
		ids := x.byLevel[lvl]
		lo, hi := prefixRange(len(ids), func(i int) string { return x.regions[ids[i]].code }, code)
		if lo < hi && x.regions[ids[lo]].code == code {
			lo++ // the exact one, already first
		}
		runs = append(runs, run{lo, hi, func(j int32) hit { return hit{at: ids[j], tps: -1, class: classCodePrefix} }})
	}
	runs = append(runs, run{tlo, thi, func(j int32) hit { return hit{at: -1, tps: j, class: classCodePrefix} }})
	var page []hit
	total := 0
	for _, r := range runs {
		n := int(r.hi - r.lo)
		if offset < total+n {
			for j := r.lo + int32(max(offset-total, 0)); j < r.hi && len(page) < limit; j++ {
				page = append(page, r.hit(j))
			}
		}
		total += n
	}
	return page, total
}

// prefixRange finds the run of a code-sorted sequence whose codes start with
// prefix. Codes are digits, so prefix+":" sorts after every one of them.
func prefixRange(n int, code func(int) string, prefix string) (int32, int32) {
	lo := sort.Search(n, func(i int) bool { return code(i) >= prefix })
	hi := sort.Search(n, func(i int) bool { return code(i) >= prefix+":" })
	return int32(lo), int32(hi)
}
