package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// EarthRadius is the mean radius of the earth in metres (IUGG). orb's
// haversine uses the equatorial radius, which overstates every distance by
// about 0.1%; the mean radius keeps the error of a spherical earth within
// ±0.5% everywhere, well under the precision of the places we measure.
const EarthRadius = 6_371_008.8

// metresPerDegree is the length of one degree of a great circle.
const metresPerDegree = EarthRadius * math.Pi / 180

// Distance is the great-circle distance between a and b in metres
// (haversine).
func Distance(a, b orb.Point) float64 {
	lat1, lat2 := a[1]*math.Pi/180, b[1]*math.Pi/180
	sinLat := math.Sin((lat2 - lat1) / 2)
	sinLon := math.Sin((b[0] - a[0]) * math.Pi / 180 / 2)
	h := sinLat*sinLat + math.Cos(lat1)*math.Cos(lat2)*sinLon*sinLon
	return 2 * EarthRadius * math.Asin(math.Sqrt(math.Min(1, h)))
}

// DistanceTo is the distance in metres from p to the nearest point of g:
// 0 inside a polygon, else to the nearest edge (a hole's edge too), line
// or point. It finds the nearest point on a local flat map around p
// (exact enough within tens of kilometres, the scale of a hazard zone)
// and measures the distance to it along the great circle. An empty
// geometry is infinitely far.
func DistanceTo(g orb.Geometry, p orb.Point) float64 {
	if Contains(g, p) {
		return 0
	}
	m := localMap(p)
	best, bestD := orb.Point{}, math.Inf(1)
	visit := func(a, b orb.Point) {
		q := m.nearestOnSegment(a, b)
		if d := m.dist2(q); d < bestD {
			best, bestD = q, d
		}
	}
	eachSegment(g, visit)
	if math.IsInf(bestD, 1) {
		return bestD
	}
	return Distance(p, best)
}

// eachSegment calls visit for every edge of g; a point is an edge from
// itself to itself.
func eachSegment(g orb.Geometry, visit func(a, b orb.Point)) {
	line := func(ls []orb.Point) {
		if len(ls) == 1 {
			visit(ls[0], ls[0])
		}
		for i := 1; i < len(ls); i++ {
			visit(ls[i-1], ls[i])
		}
	}
	switch g := g.(type) {
	case orb.Point:
		visit(g, g)
	case orb.MultiPoint:
		for _, q := range g {
			visit(q, q)
		}
	case orb.LineString:
		line(g)
	case orb.Ring:
		line(g)
	case orb.MultiLineString:
		for _, ls := range g {
			line(ls)
		}
	case orb.Polygon:
		for _, r := range g {
			line(r)
		}
	case orb.MultiPolygon:
		for _, poly := range g {
			for _, r := range poly {
				line(r)
			}
		}
	case orb.Collection:
		for _, m := range g {
			eachSegment(m, visit)
		}
	}
}

// flatMap is an equirectangular projection centred on a point, in metres.
type flatMap struct {
	origin orb.Point
	kx     float64 // metres per degree of longitude at the origin
}

func localMap(p orb.Point) flatMap {
	return flatMap{origin: p, kx: metresPerDegree * math.Cos(p[1]*math.Pi/180)}
}

func (m flatMap) xy(q orb.Point) (x, y float64) {
	return (q[0] - m.origin[0]) * m.kx, (q[1] - m.origin[1]) * metresPerDegree
}

func (m flatMap) dist2(q orb.Point) float64 {
	x, y := m.xy(q)
	return x*x + y*y
}

// nearestOnSegment is the point of segment ab nearest to the origin.
func (m flatMap) nearestOnSegment(a, b orb.Point) orb.Point {
	ax, ay := m.xy(a)
	bx, by := m.xy(b)
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return a
	}
	t := math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
	return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
}
