package geo

import "github.com/paulmach/orb"

// Point in polygon is the innermost work of every hazard and region query,
// so it is written here rather than taken from orb/planar, which computes
// each ring's bound again on every call (a third of the time of a query)
// and counts a point on a hole's edge as outside.

// Contains reports whether g, a Polygon, MultiPolygon or a Collection of
// them, contains p. A point in a hole is outside; a point on any edge,
// a hole's too, is inside (a TPS on the edge of a flood zone is in it).
// Other geometries contain nothing.
func Contains(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return polygonContains(g, nil, p)
	case orb.MultiPolygon:
		for _, poly := range g {
			if polygonContains(poly, nil, p) {
				return true
			}
		}
	case orb.Collection:
		for _, m := range g {
			if Contains(m, p) {
				return true
			}
		}
	}
	return false
}

// polygonContains: p is in the outer ring and in no hole, or on an edge.
// bounds, when not nil, are the bounds of the rings, to skip those far
// from p without reading them.
func polygonContains(poly orb.Polygon, bounds []orb.Bound, p orb.Point) bool {
	for i, r := range poly {
		if bounds != nil && !bounds[i].Contains(p) {
			if i == 0 {
				return false
			}
			continue
		}
		in, on := ringContains(r, p)
		switch {
		case on:
			return true
		case i == 0 && !in:
			return false
		case i > 0 && in:
			return false
		}
	}
	return len(poly) > 0
}

// ringContains casts a ray from p towards +x and counts the edges it
// crosses (even-odd rule); on reports p lying on an edge. An unclosed ring
// is read as closed.
func ringContains(r orb.Ring, p orb.Point) (in, on bool) {
	px, py := p[0], p[1]
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		ax, ay, bx, by := r[i][0], r[i][1], r[j][0], r[j][1]
		if (ay > py) != (by > py) {
			x := ax + (py-ay)*(bx-ax)/(by-ay)
			if px == x {
				return false, true
			}
			if px < x {
				in = !in
			}
		} else if ay == py && by == py && min(ax, bx) <= px && px <= max(ax, bx) {
			return false, true // on a horizontal edge
		} else if ay == py && ax == px {
			return false, true // on a vertex
		}
	}
	return in, false
}
