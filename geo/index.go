package geo

import (
	"cmp"
	"iter"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// nodeSize is the fan-out of the tree: 16 bounds fit a few cache lines and
// keep a tree of a million items five levels deep.
const nodeSize = 16

// Index is a static R-tree over bounding boxes, packed once by
// Sort-Tile-Recursive (Leutenegger et al., 1997): items are sorted into
// vertical slices by the x of their centre, each slice by y, and cut into
// nodes of nodeSize; the nodes are packed the same way, level by level. A
// packed tree has full nodes that overlap little, and lives in a few flat
// slices (no pointers for the garbage collector to trace). Hazard zones and
// boundaries are loaded once and queried many times, so it never changes
// after NewIndex.
type Index struct {
	levels [][]entry // levels[0] holds the items; the last level the roots
}

// entry is an item (on level 0: lo is its number) or a node over the
// entries lo..hi-1 of the level below.
type entry struct {
	b      orb.Bound
	lo, hi int32
}

// NewIndex packs the bounds; item i is bounds[i].
func NewIndex(bounds []orb.Bound) *Index {
	es := make([]entry, len(bounds))
	for i, b := range bounds {
		es[i] = entry{b: b, lo: int32(i)}
	}
	x := &Index{}
	for len(es) > 0 {
		strSort(es)
		x.levels = append(x.levels, es)
		if len(es) <= nodeSize {
			break
		}
		es = parents(es)
	}
	return x
}

// Len is the number of items.
func (x *Index) Len() int {
	if len(x.levels) == 0 {
		return 0
	}
	return len(x.levels[0])
}

// Search yields, in no set order, every item whose bound intersects b
// (touching counts).
func (x *Index) Search(b orb.Bound) iter.Seq[int] {
	return func(yield func(int) bool) {
		if top := len(x.levels) - 1; top >= 0 {
			x.search(top, 0, len(x.levels[top]), b, yield)
		}
	}
}

func (x *Index) search(level, lo, hi int, b orb.Bound, yield func(int) bool) bool {
	for _, e := range x.levels[level][lo:hi] {
		if !intersects(e.b, b) {
			continue
		}
		if level == 0 {
			if !yield(int(e.lo)) {
				return false
			}
		} else if !x.search(level-1, int(e.lo), int(e.hi), b, yield) {
			return false
		}
	}
	return true
}

// intersects is orb.Bound.Intersects without its extra checks; this is
// the innermost loop of every query.
func intersects(a, b orb.Bound) bool {
	return a.Min[0] <= b.Max[0] && b.Min[0] <= a.Max[0] && a.Min[1] <= b.Max[1] && b.Min[1] <= a.Max[1]
}

// strSort orders es into tiles: vertical slices by centre x, each sorted
// by centre y, so that consecutive runs of nodeSize are compact nodes.
func strSort(es []entry) {
	nodes := (len(es) + nodeSize - 1) / nodeSize
	slice := nodeSize * int(math.Ceil(math.Sqrt(float64(nodes))))
	slices.SortFunc(es, func(a, b entry) int { return cmp.Compare(a.b.Min[0]+a.b.Max[0], b.b.Min[0]+b.b.Max[0]) })
	for lo := 0; lo < len(es); lo += slice {
		s := es[lo:min(lo+slice, len(es))]
		slices.SortFunc(s, func(a, b entry) int { return cmp.Compare(a.b.Min[1]+a.b.Max[1], b.b.Min[1]+b.b.Max[1]) })
	}
}

// parents groups each run of nodeSize entries under one node.
func parents(es []entry) []entry {
	out := make([]entry, 0, (len(es)+nodeSize-1)/nodeSize)
	for lo := 0; lo < len(es); lo += nodeSize {
		hi := min(lo+nodeSize, len(es))
		b := es[lo].b
		for _, e := range es[lo+1 : hi] {
			b = b.Union(e.b)
		}
		out = append(out, entry{b: b, lo: int32(lo), hi: int32(hi)})
	}
	return out
}
