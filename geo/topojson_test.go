package geo_test

import (
	"compress/gzip"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// Two squares sharing the border x=1, the left one with a square hole,
// and an island: the arcs of a small hand-made topology.
//
//	arc 0: (1,0)→(0,0)→(0,2)→(1,2)    left square's outer edge
//	arc 1: (1,2)→(1,0)                shared border, downwards
//	arc 2: (1,2)→(2,2)→(2,0)→(1,0)    right square's outer edge
//	arc 3: hole (0.25,0.5)…           closed on itself
//	arc 4: island (5,5)…              closed on itself
const plainTopo = `{"type":"Topology",
 "arcs":[
  [[1,0],[0,0],[0,2],[1,2]],
  [[1,2],[1,0]],
  [[1,2],[2,2],[2,0],[1,0]],
  [[0.25,0.5],[0.75,0.5],[0.75,1.5],[0.25,1.5],[0.25,0.5]],
  [[5,5],[6,5],[6,6],[5,6],[5,5]]
 ],
 "objects":{
  "areas":{"type":"GeometryCollection","geometries":[
   {"type":"Polygon","id":"L","properties":{"kode_bps":"3601"},"arcs":[[0,1],[3]]},
   {"type":"MultiPolygon","properties":{"kode_bps":"3602","n":2},"arcs":[[[2,-2]],[[4]]]}
  ]},
  "border":{"type":"LineString","arcs":[1]},
  "things":{"type":"GeometryCollection","geometries":[
   {"type":"Point","coordinates":[3,4]},
   {"type":"MultiPoint","coordinates":[[3,4],[4,3]]},
   {"type":"MultiLineString","arcs":[[1],[-2]]},
   {"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,1]}]}
  ]}
 }}`

// quantizedTopo is the left square of plainTopo quantized with a scale
// of 0.5 and a translation of (100, -6): integer deltas, and a point in
// quantized but not delta-encoded coordinates.
const quantizedTopo = `{"type":"Topology",
 "transform":{"scale":[0.5,0.5],"translate":[100,-6]},
 "arcs":[
  [[2,0],[-2,0],[0,4],[2,0]],
  [[2,4],[0,-4]]
 ],
 "objects":{
  "left":{"type":"Polygon","arcs":[[0,1]]},
  "pt":{"type":"Point","coordinates":[2,2]}
 }}`

func TestReadTopoJSON(t *testing.T) {
	left := orb.Polygon{
		{{1, 0}, {0, 0}, {0, 2}, {1, 2}, {1, 0}},
		{{0.25, 0.5}, {0.75, 0.5}, {0.75, 1.5}, {0.25, 1.5}, {0.25, 0.5}},
	}
	right := orb.MultiPolygon{
		{{{1, 2}, {2, 2}, {2, 0}, {1, 0}, {1, 2}}}, // the shared border reversed
		{{{5, 5}, {6, 5}, {6, 6}, {5, 6}, {5, 5}}},
	}
	tests := []struct {
		name, topo, object string
		want               []orb.Geometry
		props              []geojson.Properties
	}{
		{"polygon with a hole", plainTopo, "areas", []orb.Geometry{left, right},
			[]geojson.Properties{{"kode_bps": "3601"}, {"kode_bps": "3602", "n": 2.0}}},
		{"line", plainTopo, "border", []orb.Geometry{orb.LineString{{1, 2}, {1, 0}}}, []geojson.Properties{{}}},
		{"points, lines and nested collections", plainTopo, "things", []orb.Geometry{
			orb.Point{3, 4},
			orb.MultiPoint{{3, 4}, {4, 3}},
			orb.MultiLineString{{{1, 2}, {1, 0}}, {{1, 0}, {1, 2}}},
			orb.Collection{orb.Point{1, 1}},
		}, []geojson.Properties{{}, {}, {}, {}}},
		{"quantized", quantizedTopo, "left", []orb.Geometry{
			orb.Polygon{{{101, -6}, {100, -6}, {100, -4}, {101, -4}, {101, -6}}},
		}, []geojson.Properties{{}}},
		{"quantized point", quantizedTopo, "pt", []orb.Geometry{orb.Point{101, -5}}, []geojson.Properties{{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objects, err := geo.ReadTopoJSON(strings.NewReader(tt.topo), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			fc := objects[tt.object]
			var got []orb.Geometry
			var props []geojson.Properties
			for _, f := range fc.Features {
				got = append(got, f.Geometry)
				props = append(props, f.Properties)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("geometries (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.props, props); d != "" {
				t.Errorf("properties (-want +got):\n%s", d)
			}
		})
	}
}

func TestReadTopoJSONKeepsIDs(t *testing.T) {
	objects, err := geo.ReadTopoJSON(strings.NewReader(plainTopo), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if id := objects["areas"].Features[0].ID; id != "L" {
		t.Errorf("id = %v, want L", id)
	}
}

func TestReadTopoJSONRefuses(t *testing.T) {
	tests := []struct {
		name, topo, code, field string
	}{
		{"not JSON", `{"type":`, siaga.EInvalid, ""},
		{"not a topology", `{"type":"FeatureCollection","features":[]}`, siaga.EInvalid, "type"},
		{"arc of one position", `{"type":"Topology","arcs":[[[0,0]]],"objects":{}}`, siaga.EInvalid, "arcs[0]"},
		{"position of one number", `{"type":"Topology","arcs":[[[0,0],[1]]],"objects":{}}`, siaga.EInvalid, "arcs[0][1]"},
		{"missing arc", `{"type":"Topology","arcs":[[[0,0],[1,1]]],"objects":{"a":{"type":"LineString","arcs":[1]}}}`,
			siaga.EInvalid, "objects.a.geometries[0].arcs"},
		{"missing reversed arc", `{"type":"Topology","arcs":[[[0,0],[1,1]]],"objects":{"a":{"type":"LineString","arcs":[-2]}}}`,
			siaga.EInvalid, "objects.a.geometries[0].arcs"},
		{"unclosed ring", `{"type":"Topology","arcs":[[[0,0],[1,0],[1,1],[0,1]]],"objects":{"a":{"type":"Polygon","arcs":[[0]]}}}`,
			siaga.EInvalid, "objects.a.geometries[0].coordinates[0]"},
		{"latitude out of range", `{"type":"Topology","arcs":[],"objects":{"a":{"type":"Point","coordinates":[106,-91]}}}`,
			siaga.EInvalid, "objects.a.geometries[0].coordinates"},
		{"null geometry", `{"type":"Topology","arcs":[],"objects":{"a":{"type":"GeometryCollection","geometries":[{"type":null}]}}}`,
			siaga.EInvalid, "objects.a.geometries[0]"},
		{"unknown type", `{"type":"Topology","arcs":[],"objects":{"a":{"type":"Circle"}}}`,
			siaga.EInvalid, "objects.a.geometries[0].type"},
		{"nested error", `{"type":"Topology","arcs":[],"objects":{"a":{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1]}]}]}}}`,
			siaga.EInvalid, "objects.a.geometries[0].geometries[0].coordinates"},
		{"one arc named a million times", `{"type":"Topology","arcs":[[[0,0],[1,0],[1,1],[0,0]]],"objects":{"a":{"type":"LineString","arcs":[` +
			strings.Repeat("0,", 1e6) + `0]}}}`, siaga.EInvalid, "objects.a.geometries[0].arcs"},
		{"too large", plainTopo, siaga.ETooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit := int64(4 << 20)
			if tt.code == siaga.ETooLarge {
				limit = 100
			}
			_, err := geo.ReadTopoJSON(strings.NewReader(tt.topo), limit)
			checkError(t, err, tt.code, tt.field)
		})
	}
}

// TestBantenTopologyMatchesGeoJSON decodes the embedded topology and
// compares its desa layer with the upstream's GeoJSON of the same desa:
// same codes and properties, same polygons and rings, every position
// within half a quantization step. A ring may start at another vertex.
func TestBantenTopologyMatchesGeoJSON(t *testing.T) {
	regions, err := geo.Banten()
	if err != nil {
		t.Fatal(err)
	}
	topo := regions.Layer(siaga.LevelDesa)
	want := readGzGeoJSON(t, "testdata/banten_desa_kelurahan.geojson.gz")
	if len(topo.Features) != 1552 || len(want.Features) != 1552 {
		t.Fatalf("%d features from the topology, %d from GeoJSON, want 1552", len(topo.Features), len(want.Features))
	}
	// Half of the topology's quantization step (scale 1.68e-5 × 1.21e-5
	// degrees), plus the rounding of GeoJSON's 5 to 6 decimals.
	const tol = 0.9e-5 + 1e-6
	for i, f := range topo.Features {
		w := want.Features[i]
		if d := cmp.Diff(w.Properties, f.Properties); d != "" {
			t.Fatalf("feature %d properties (-geojson +topojson):\n%s", i, d)
		}
		if err := sameArea(w.Geometry, f.Geometry, tol); err != "" {
			t.Errorf("desa %s: %s", f.Properties["kode_bps"], err)
		}
	}
}

func readGzGeoJSON(t testing.TB, path string) *geojson.FeatureCollection {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geo.ReadGeoJSON(z, 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	return fc
}

// sameArea compares two polygons or multipolygons ring by ring; "" if
// they agree within tol degrees.
func sameArea(want, got orb.Geometry, tol float64) string {
	polys := func(g orb.Geometry) orb.MultiPolygon {
		switch g := g.(type) {
		case orb.Polygon:
			return orb.MultiPolygon{g}
		case orb.MultiPolygon:
			return g
		}
		return nil
	}
	w, g := polys(want), polys(got)
	if want.GeoJSONType() != got.GeoJSONType() || len(w) != len(g) {
		return "types or polygon counts differ: " + want.GeoJSONType() + " " + got.GeoJSONType()
	}
	for i := range w {
		if len(w[i]) != len(g[i]) {
			return "ring counts differ"
		}
		for j := range w[i] {
			if !sameRing(w[i][j], g[i][j], tol) {
				return "a ring differs"
			}
		}
	}
	return ""
}

// sameRing: the rings have the same vertices in the same order, up to
// where each starts.
func sameRing(a, b orb.Ring, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	n := len(a) - 1 // the closing vertex repeats the first
	near := func(p, q orb.Point) bool { return math.Abs(p[0]-q[0]) <= tol && math.Abs(p[1]-q[1]) <= tol }
	for off := range n {
		if !near(a[0], b[off]) {
			continue
		}
		ok := true
		for k := 0; k < n && ok; k++ {
			ok = near(a[k], b[(k+off)%n])
		}
		if ok {
			return true
		}
	}
	return false
}
