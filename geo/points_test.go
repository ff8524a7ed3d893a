package geo

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
)

// TestPointsNear checks Near against measuring every point, around Lebak
// and at the far west and east of Indonesia.
func TestPointsNear(t *testing.T) {
	r := rand.New(rand.NewPCG(3602, 1))
	for _, centre := range []orb.Point{{106.2, -6.6}, {95.3, 5.9}, {140.7, -8.5}} {
		pts := make([]orb.Point, 2000)
		for i := range pts {
			pts[i] = orb.Point{centre[0] + (r.Float64()-0.5)*0.5, centre[1] + (r.Float64()-0.5)*0.5}
		}
		x := NewPoints(pts)
		for range 200 {
			q := orb.Point{centre[0] + (r.Float64()-0.5)*0.6, centre[1] + (r.Float64()-0.5)*0.6}
			metres := r.Float64() * 8000
			var want []int
			for i, p := range pts {
				if Distance(p, q) <= metres {
					want = append(want, i)
				}
			}
			got := x.Near([]int{-1}, q, metres)
			if got[0] != -1 || !slices.IsSorted(got[1:]) {
				t.Fatalf("Near(%v, %v) = %v: dst overwritten or unsorted", q, metres, got)
			}
			if diff := cmp.Diff(want, got[1:], cmp.Comparer(func(a, b []int) bool { return slices.Equal(a, b) })); diff != "" {
				t.Fatalf("Near(%v, %v) (-want +got):\n%s", q, metres, diff)
			}
		}
	}
	if got := NewPoints(nil).Near(nil, orb.Point{106, -6}, 1000); len(got) != 0 {
		t.Errorf("Near on no points = %v", got)
	}
}
