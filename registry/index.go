package registry

import (
	"slices"
	"sort"
	"strings"

	"github.com/deskpemilu/siaga"
)

// Index answers lookups on a registry in constant time: one map entry per
// region (not per TPS), holding where its children and its TPS sit in
// code-sorted slices. Returned slices share the index's memory: do not
// modify them.
type Index struct {
	regions map[string]entry
	levels  [siaga.LevelDesa + 1][]siaga.Region // by level, each sorted by code
	tps     []siaga.TPS                         // sorted by code
}

type entry struct {
	level            siaga.Level
	at               int32 // in levels[level]
	childLo, childHi int32 // in levels[level+1]
	tpsLo, tpsHi     int32 // in tps
}

// NewIndex indexes reg. reg must not change while the index is in use.
func NewIndex(reg *siaga.Registry) *Index {
	x := &Index{regions: make(map[string]entry, len(reg.Regions)), tps: reg.TPS}
	byCode := func(a, b siaga.TPS) int { return strings.Compare(a.Code, b.Code) }
	if !slices.IsSortedFunc(x.tps, byCode) {
		x.tps = slices.Clone(x.tps)
		slices.SortFunc(x.tps, byCode)
	}
	for _, r := range reg.Regions {
		if r.Level >= siaga.LevelProvince && r.Level <= siaga.LevelDesa {
			x.levels[r.Level] = append(x.levels[r.Level], r)
		}
	}
	for lvl := siaga.LevelProvince; lvl <= siaga.LevelDesa; lvl++ {
		rs := x.levels[lvl]
		sortRegions(rs)
		for i, r := range rs {
			e := entry{level: lvl, at: int32(i)}
			if lvl < siaga.LevelDesa {
				next := x.levels[lvl+1]
				e.childLo, e.childHi = prefixRange(len(next), func(j int) string { return next[j].Code }, r.Code)
			}
			e.tpsLo, e.tpsHi = prefixRange(len(x.tps), func(j int) string { return x.tps[j].Code }, r.Code)
			x.regions[r.Code] = e
		}
	}
	return x
}

// prefixRange finds the run of a code-sorted sequence whose codes start with
// prefix. Codes are digits, so prefix+":" sorts after every one of them.
func prefixRange(n int, code func(int) string, prefix string) (int32, int32) {
	lo := sort.Search(n, func(i int) bool { return code(i) >= prefix })
	hi := sort.Search(n, func(i int) bool { return code(i) >= prefix+":" })
	return int32(lo), int32(hi)
}

// Region returns the province, kab/kota, kecamatan or desa with that code.
func (x *Index) Region(code string) (siaga.Region, bool) {
	e, ok := x.regions[code]
	if !ok {
		return siaga.Region{}, false
	}
	return x.levels[e.level][e.at], true
}

// Children returns the regions directly under code, ordered by code: the
// kab/kota of a province, the kecamatan of a kab/kota, the desa of a
// kecamatan. A desa has none; its TPS come from TPSOf.
func (x *Index) Children(code string) []siaga.Region {
	e, ok := x.regions[code]
	if !ok || e.level == siaga.LevelDesa {
		return nil
	}
	return x.levels[e.level+1][e.childLo:e.childHi:e.childHi]
}

// Provinces returns every province, ordered by code.
func (x *Index) Provinces() []siaga.Region {
	p := x.levels[siaga.LevelProvince]
	return p[:len(p):len(p)]
}

// TPS returns the TPS with that 13-digit code.
func (x *Index) TPS(code string) (siaga.TPS, bool) {
	if len(code) != 13 {
		return siaga.TPS{}, false
	}
	in := x.TPSOf(code[:10])
	i, ok := slices.BinarySearchFunc(in, code, func(t siaga.TPS, c string) int { return strings.Compare(t.Code, c) })
	if !ok {
		return siaga.TPS{}, false
	}
	return in[i], true
}

// TPSOf returns every TPS under a region, ordered by code.
func (x *Index) TPSOf(regionCode string) []siaga.TPS {
	e, ok := x.regions[regionCode]
	if !ok {
		return nil
	}
	return x.tps[e.tpsLo:e.tpsHi:e.tpsHi]
}

// Path returns the regions from the province down to code itself, for
// breadcrumbs. For a TPS code it ends at the TPS's desa. It is nil when code
// is unknown.
func (x *Index) Path(code string) []siaga.Region {
	if len(code) == 13 {
		if _, ok := x.TPS(code); !ok {
			return nil
		}
		code = code[:10]
	}
	self, ok := x.Region(code)
	if !ok {
		return nil
	}
	anc := siaga.Ancestors(code)
	out := make([]siaga.Region, 0, len(anc)+1)
	for i := len(anc) - 1; i >= 0; i-- {
		if r, ok := x.Region(anc[i]); ok {
			out = append(out, r)
		}
	}
	return append(out, self)
}
