package geo_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga/geo"
)

// oneDegree is the length of one degree of a great circle on the mean
// sphere: 2πR/360.
const oneDegree = geo.EarthRadius * math.Pi / 180

func TestDistance(t *testing.T) {
	tests := []struct {
		name string
		a, b orb.Point
		want float64
	}{
		{"same point", orb.Point{106.15, -6.12}, orb.Point{106.15, -6.12}, 0},
		{"one degree along a meridian", orb.Point{106, -6}, orb.Point{106, -7}, oneDegree},
		{"one degree along the equator", orb.Point{106, 0}, orb.Point{107, 0}, oneDegree},
		{"one degree of longitude at 60°S is half", orb.Point{106, -60}, orb.Point{107, -60}, 2 * geo.EarthRadius * math.Asin(math.Sin(math.Pi/360)/2)},
		{"across the antimeridian", orb.Point{179.5, 0}, orb.Point{-179.5, 0}, oneDegree},
		{"antipodes", orb.Point{106, -6}, orb.Point{-74, 6}, math.Pi * geo.EarthRadius},
		{"pole to pole", orb.Point{0, 90}, orb.Point{0, -90}, math.Pi * geo.EarthRadius},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := geo.Distance(tt.a, tt.b)
			if math.Abs(got-tt.want) > 1e-6 {
				t.Errorf("Distance = %.6f m, want %.6f", got, tt.want)
			}
			if back := geo.Distance(tt.b, tt.a); back != got {
				t.Errorf("not symmetric: %v and %v", got, back)
			}
		})
	}
}

// square is the unit square at (x, y)–(x+1, y+1) with a hole of
// (x+0.25, y+0.25)–(x+0.75, y+0.75).
func square(x, y float64) orb.Polygon {
	return orb.Polygon{
		{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}},
		{{x + 0.25, y + 0.25}, {x + 0.25, y + 0.75}, {x + 0.75, y + 0.75}, {x + 0.75, y + 0.25}, {x + 0.25, y + 0.25}},
	}
}

func TestContains(t *testing.T) {
	sq := square(0, 0)
	multi := orb.MultiPolygon{square(0, 0), square(3, 0)}
	tests := []struct {
		name string
		g    orb.Geometry
		p    orb.Point
		want bool
	}{
		{"inside the ring", sq, orb.Point{0.1, 0.5}, true},
		{"in the hole", sq, orb.Point{0.5, 0.5}, false},
		{"outside", sq, orb.Point{1.5, 0.5}, false},
		{"on the outer edge", sq, orb.Point{1, 0.5}, true},
		{"on a vertex", sq, orb.Point{0, 0}, true},
		{"on a hole's vertical edge", sq, orb.Point{0.25, 0.5}, true},
		{"on a hole's horizontal edge", sq, orb.Point{0.5, 0.75}, true},
		{"on a hole's vertex", sq, orb.Point{0.75, 0.25}, true},
		{"on the line of an edge, beyond it", sq, orb.Point{2, 0}, false},
		{"level with a vertex, outside", orb.Polygon{{{0, 0}, {2, 1}, {0, 2}, {0, 0}}}, orb.Point{-1, 1}, false},
		{"level with a vertex, inside", orb.Polygon{{{0, 0}, {2, 1}, {0, 2}, {0, 0}}}, orb.Point{1, 1}, true},
		{"on a slanted edge", orb.Polygon{{{0, 0}, {2, 2}, {0, 2}, {0, 0}}}, orb.Point{1, 1}, true},
		{"an unclosed ring is read as closed", orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}, orb.Point{0.5, 0.5}, true},
		{"an empty polygon", orb.Polygon{}, orb.Point{0, 0}, false},
		{"in the second polygon", multi, orb.Point{3.1, 0.1}, true},
		{"in the second polygon's hole", multi, orb.Point{3.5, 0.5}, false},
		{"between the polygons", multi, orb.Point{2, 0.5}, false},
		{"in a collection", orb.Collection{orb.Point{9, 9}, multi}, orb.Point{3.1, 0.1}, true},
		{"a line contains nothing", orb.LineString{{0, 0}, {1, 1}}, orb.Point{0.5, 0.5}, false},
		{"a point contains nothing", orb.Point{1, 1}, orb.Point{1, 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := geo.Contains(tt.g, tt.p); got != tt.want {
				t.Errorf("Contains = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDistanceTo(t *testing.T) {
	sq := square(106, 0)
	tests := []struct {
		name string
		g    orb.Geometry
		p    orb.Point
		want float64
		tol  float64 // metres
	}{
		{"inside", sq, orb.Point{106.1, 0.5}, 0, 0},
		{"east of the east edge", sq, orb.Point{107.01, 0.5}, geo.Distance(orb.Point{107.01, 0.5}, orb.Point{107, 0.5}), 0.01},
		{"south of the south edge", sq, orb.Point{106.5, -0.002}, 0.002 * oneDegree, 0.01},
		{"in the hole, nearer its west edge", sq, orb.Point{106.3, 0.5}, geo.Distance(orb.Point{106.3, 0.5}, orb.Point{106.25, 0.5}), 0.01},
		{"beyond a corner", sq, orb.Point{107.003, 1.004}, geo.Distance(orb.Point{107, 1}, orb.Point{107.003, 1.004}), 0.01},
		{"to a point", orb.Point{106, 0}, orb.Point{106, 0.01}, 0.01 * oneDegree, 1e-6},
		{"to a line", orb.LineString{{106, 0}, {106, 1}}, orb.Point{106.001, 0.5}, 0.001 * oneDegree, 0.01},
		{"to the nearer polygon", orb.MultiPolygon{square(100, 0), sq}, orb.Point{105.99, 0.5}, geo.Distance(orb.Point{105.99, 0.5}, orb.Point{106, 0.5}), 0.01},
		{"empty", orb.MultiPolygon{}, orb.Point{106, 0}, math.Inf(1), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := geo.DistanceTo(tt.g, tt.p)
			if !(math.Abs(got-tt.want) <= tt.tol) && got != tt.want {
				t.Errorf("DistanceTo = %.4f m, want %.4f ± %v", got, tt.want, tt.tol)
			}
		})
	}
}

// TestDistanceToAtBantenLatitude: away from the equator the nearest point
// of an edge is still found, and the distance is the great-circle one.
func TestDistanceToAtBantenLatitude(t *testing.T) {
	edge := orb.LineString{{106.0, -6.3}, {106.2, -6.1}} // a diagonal edge
	p := orb.Point{106.15, -6.2}
	got := geo.DistanceTo(edge, p)
	// Brute force: the nearest of 200,001 points along the edge.
	best := math.Inf(1)
	for i := range 200_001 {
		f := float64(i) / 200_000
		q := orb.Point{edge[0][0] + f*(edge[1][0]-edge[0][0]), edge[0][1] + f*(edge[1][1]-edge[0][1])}
		best = math.Min(best, geo.Distance(p, q))
	}
	if math.Abs(got-best) > 0.05 {
		t.Errorf("DistanceTo = %.3f m, brute force %.3f m", got, best)
	}
}
