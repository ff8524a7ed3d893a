package geo

import (
	"slices"

	"github.com/paulmach/orb"
)

// Points answers which of a set of points lie within a distance of a
// place: the TPS a booster, a mobile BTS or a walk-to point reaches, for
// the planner (package coverage) and the relocation search.
type Points struct {
	pts   []orb.Point
	index *Index
}

// NewPoints indexes pts; the answers of Near are indexes into pts.
func NewPoints(pts []orb.Point) *Points {
	bounds := make([]orb.Bound, len(pts))
	for i, p := range pts {
		bounds[i] = p.Bound()
	}
	return &Points{pts: pts, index: NewIndex(bounds)}
}

// Near appends to dst the points within metres of p (Distance, boundary
// included), in ascending order, and returns it.
func (x *Points) Near(dst []int, p orb.Point, metres float64) []int {
	start := len(dst)
	for i := range x.index.Search(around(p, metres)) {
		if Distance(x.pts[i], p) <= metres {
			dst = append(dst, i)
		}
	}
	slices.Sort(dst[start:]) // the tree's order is no order a caller can use
	return dst
}
