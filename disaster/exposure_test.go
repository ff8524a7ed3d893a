package disaster_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/disaster"
)

// box is a closed counter-clockwise ring around [minLon, maxLon] ×
// [minLat, maxLat].
func box(minLon, minLat, maxLon, maxLat float64) orb.Ring {
	return orb.Ring{{minLon, minLat}, {maxLon, minLat}, {maxLon, maxLat}, {minLon, maxLat}, {minLon, minLat}}
}

func zone(t testing.TB, layer int64, feature int, typ, class string, g orb.Geometry) siaga.HazardZone {
	t.Helper()
	b, err := json.Marshal(geojson.NewGeometry(g))
	if err != nil {
		t.Fatal(err)
	}
	return siaga.HazardZone{Layer: layer, Feature: feature, Type: typ, Class: class, Geometry: b}
}

// handZones are three zones whose answers were worked out by hand; every
// coordinate is a multiple of 1/8 degree, exact in binary, so that points
// on edges are exactly on them:
//
//	A banjir sedang (layer 1, feature 0): the square 106..107 × -7..-6
//	  with a hole 106.25..106.75 × -6.75..-6.25;
//	B banjir tinggi (layer 2, feature 0): the square 106.5..107 × -6.5..-6,
//	  overlapping A's north-east and part of its hole;
//	C longsor rendah (layer 1, feature 1): a multipolygon, the square
//	  105.5..106 × -7..-6.5 (sharing its east edge with A's west edge) and
//	  the triangle (108,-7) (109,-7) (108,-6).
func handZones(t testing.TB) []siaga.HazardZone {
	a := orb.Polygon{box(106, -7, 107, -6), box(106.25, -6.75, 106.75, -6.25)}
	b := orb.Polygon{box(106.5, -6.5, 107, -6)}
	c := orb.MultiPolygon{{box(105.5, -7, 106, -6.5)}, {{{108, -7}, {109, -7}, {108, -6}, {108, -7}}}}
	return []siaga.HazardZone{
		zone(t, 1, 0, "banjir", siaga.HazardMedium, a),
		zone(t, 1, 1, "longsor", siaga.HazardLow, c),
		zone(t, 2, 0, "banjir", siaga.HazardHigh, b),
	}
}

var (
	hitA = disaster.Hit{Type: "banjir", Class: "sedang", Layer: 1, Feature: 0}
	hitB = disaster.Hit{Type: "banjir", Class: "tinggi", Layer: 2, Feature: 0}
	hitC = disaster.Hit{Type: "longsor", Class: "rendah", Layer: 1, Feature: 1}
)

// TestExposureByHand: holes, multipolygons, overlapping zones and points
// exactly on edges and vertices. Boundaries count in: a TPS on the edge
// of a zone is in it (see Exposure.At for why).
func TestExposureByHand(t *testing.T) {
	x, err := disaster.NewExposure(handZones(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		p       orb.Point
		all     []disaster.Hit
		highest []disaster.Hit
		worst   string
		safe    bool
	}{
		{"inside A only", orb.Point{106.125, -6.875}, []disaster.Hit{hitA}, []disaster.Hit{hitA}, "sedang", false},
		{"A's hole, on B's corner", orb.Point{106.5, -6.5}, []disaster.Hit{hitB}, []disaster.Hit{hitB}, "tinggi", false},
		{"A's hole, inside B", orb.Point{106.625, -6.375}, []disaster.Hit{hitB}, []disaster.Hit{hitB}, "tinggi", false},
		{"deep in A's hole, outside B", orb.Point{106.375, -6.625}, nil, nil, "", true},
		{"on the edge of A's hole", orb.Point{106.25, -6.5}, []disaster.Hit{hitA}, []disaster.Hit{hitA}, "sedang", false},
		{"on A's outer edge", orb.Point{107, -6.875}, []disaster.Hit{hitA}, []disaster.Hit{hitA}, "sedang", false},
		{"A and B overlap: tinggi wins", orb.Point{106.875, -6.125}, []disaster.Hit{hitB, hitA}, []disaster.Hit{hitB}, "tinggi", false},
		{"on the edge A and C share", orb.Point{106, -6.75}, []disaster.Hit{hitA, hitC}, []disaster.Hit{hitA, hitC}, "sedang", false},
		{"C's square", orb.Point{105.75, -6.75}, []disaster.Hit{hitC}, []disaster.Hit{hitC}, "rendah", true},
		{"C's triangle", orb.Point{108.25, -6.875}, []disaster.Hit{hitC}, []disaster.Hit{hitC}, "rendah", true},
		{"on C's hypotenuse", orb.Point{108.5, -6.5}, []disaster.Hit{hitC}, []disaster.Hit{hitC}, "rendah", true},
		{"between C's parts", orb.Point{107.5, -6.5}, nil, nil, "", true},
		{"just outside A", orb.Point{107.125, -6.875}, nil, nil, "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			all := x.At(tt.p)
			if diff := cmp.Diff(tt.all, all); diff != "" {
				t.Errorf("At (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.highest, disaster.Highest(all)); diff != "" {
				t.Errorf("Highest (-want +got):\n%s", diff)
			}
			if got := disaster.Worst(all); got != tt.worst {
				t.Errorf("Worst = %q, want %q", got, tt.worst)
			}
			if got := x.Safe(tt.p); got != tt.safe {
				t.Errorf("Safe = %v, want %v", got, tt.safe)
			}
		})
	}
}
