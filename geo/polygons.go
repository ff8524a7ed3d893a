package geo

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
)

// Polygons answers which of a set of areas (hazard zones, desa) contain a
// point or lie near it. Each polygon of a MultiPolygon is indexed on its
// own: an island desa or a flood zone in pieces would otherwise have one
// bound spanning the sea between them.
type Polygons struct {
	parts []part
	index *Index
}

type part struct {
	area   int // the index of the geometry given to NewPolygons
	poly   orb.Polygon
	bounds []orb.Bound // of each ring, computed once
}

// NewPolygons indexes areas; the answers of its queries are indexes into
// areas. Each must be a Polygon, a MultiPolygon or a Collection of them.
func NewPolygons(areas []orb.Geometry) (*Polygons, error) {
	x := &Polygons{}
	for i, g := range areas {
		if e := x.add(i, g); e != nil {
			e.Field = join(fmt.Sprintf("[%d]", i), e.Field)
			return nil, e
		}
	}
	bounds := make([]orb.Bound, len(x.parts))
	for i, p := range x.parts {
		bounds[i] = p.bounds[0]
	}
	x.index = NewIndex(bounds)
	return x, nil
}

func (x *Polygons) add(area int, g orb.Geometry) *siaga.Error {
	switch g := g.(type) {
	case orb.Polygon:
		if len(g) == 0 || len(g[0]) == 0 {
			return invalid("", "Poligon kosong", "empty polygon")
		}
		bounds := make([]orb.Bound, len(g))
		for i, r := range g {
			bounds[i] = r.Bound()
		}
		x.parts = append(x.parts, part{area, g, bounds})
	case orb.MultiPolygon:
		for _, p := range g {
			if err := x.add(area, p); err != nil {
				return err
			}
		}
	case orb.Collection:
		for _, m := range g {
			if err := x.add(area, m); err != nil {
				return err
			}
		}
	default:
		return invalid("", "Bukan area (poligon)", "not an area (polygon)")
	}
	return nil
}

// Containing appends to dst the areas that contain p (holes excluded,
// boundary included), each once, and returns it.
func (x *Polygons) Containing(dst []int, p orb.Point) []int {
	start := len(dst)
	for i := range x.index.Search(orb.Bound{Min: p, Max: p}) {
		pt := x.parts[i]
		if !slices.Contains(dst[start:], pt.area) && polygonContains(pt.poly, pt.bounds, p) {
			dst = append(dst, pt.area)
		}
	}
	return dst
}

// Near appends to dst the areas within metres of p (those containing it
// too), each once, and returns it.
func (x *Polygons) Near(dst []int, p orb.Point, metres float64) []int {
	start := len(dst)
	for i := range x.index.Search(around(p, metres)) {
		pt := x.parts[i]
		if !slices.Contains(dst[start:], pt.area) && DistanceTo(pt.poly, p) <= metres {
			dst = append(dst, pt.area)
		}
	}
	return dst
}

// around is a bound holding every point within metres of p; it widens
// toward the poles where degrees of longitude shrink.
func around(p orb.Point, metres float64) orb.Bound {
	dLat := metres / metresPerDegree
	cos := math.Cos(math.Min(89, math.Abs(p[1])+dLat) * math.Pi / 180)
	dLon := math.Min(180, dLat/cos)
	return orb.Bound{Min: orb.Point{p[0] - dLon, p[1] - dLat}, Max: orb.Point{p[0] + dLon, p[1] + dLat}}
}
