package geo_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

func checkError(t testing.TB, err error, code, field string) {
	t.Helper()
	var e *siaga.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want a *siaga.Error %s", err, code)
	}
	if e.Code != code || e.Field != field {
		t.Errorf("error %s at %q (%v), want %s at %q", e.Code, e.Field, err, code, field)
	}
	if e.Message == "" || e.MessageEN == "" {
		t.Errorf("error %v lacks a message in both languages", err)
	}
}

func TestReadGeoJSON(t *testing.T) {
	const in = `{"type":"FeatureCollection","name":"bahaya","features":[
	 {"type":"Feature","properties":{"type":"banjir","class":"tinggi"},
	  "geometry":{"type":"Polygon","coordinates":[[[106,-6],[107,-6],[107,-7],[106,-6]],[[106.5,-6.2],[106.6,-6.2],[106.6,-6.3],[106.5,-6.2]]]}},
	 {"type":"Feature","properties":{"type":"gempa","depth":10.5,"aftershock":false,"source":null},
	  "geometry":{"type":"Point","coordinates":[106.1,-6.1,12]}}
	]}`
	fc, err := geo.ReadGeoJSON(strings.NewReader(in), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := []orb.Geometry{
		orb.Polygon{{{106, -6}, {107, -6}, {107, -7}, {106, -6}}, {{106.5, -6.2}, {106.6, -6.2}, {106.6, -6.3}, {106.5, -6.2}}},
		orb.Point{106.1, -6.1}, // elevation dropped
	}
	for i, f := range fc.Features {
		if d := cmp.Diff(want[i], f.Geometry); d != "" {
			t.Errorf("feature %d (-want +got):\n%s", i, d)
		}
	}
	if p := fc.Features[1].Properties; p["depth"] != 10.5 || p["aftershock"] != false || p["source"] != nil {
		t.Errorf("properties = %v", p)
	}
}

func TestReadGeoJSONRefuses(t *testing.T) {
	fc := func(geometry string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[106,-6]}},` +
			`{"type":"Feature","properties":{},"geometry":` + geometry + `}]}`
	}
	tests := []struct {
		name, in, code, field string
	}{
		{"not JSON", `{"type":"FeatureCollection",`, siaga.EInvalid, ""},
		{"a single feature", `{"type":"Feature","geometry":null,"properties":{}}`, siaga.EInvalid, ""},
		{"null feature", `{"type":"FeatureCollection","features":[null]}`, siaga.EInvalid, "features[0]"},
		{"no geometry", fc(`null`), siaga.EInvalid, "features[1].geometry"},
		{"unknown type", fc(`{"type":"Circle","coordinates":[1,2]}`), siaga.EInvalid, ""},
		{"longitude out of range", fc(`{"type":"Point","coordinates":[181,-6]}`), siaga.EInvalid, "features[1].geometry.coordinates"},
		{"line of one point", fc(`{"type":"LineString","coordinates":[[106,-6]]}`), siaga.EInvalid, "features[1].geometry.coordinates"},
		{"bad point in a multiline", fc(`{"type":"MultiLineString","coordinates":[[[106,-6],[107,-6]],[[106,-6],[106,95]]]}`),
			siaga.EInvalid, "features[1].geometry.coordinates[1][1]"},
		{"ring of three points", fc(`{"type":"Polygon","coordinates":[[[106,-6],[107,-6],[106,-6]]]}`),
			siaga.EInvalid, "features[1].geometry.coordinates[0]"},
		{"unclosed hole", fc(`{"type":"Polygon","coordinates":[[[106,-6],[107,-6],[107,-7],[106,-6]],[[106.5,-6.2],[106.6,-6.2],[106.6,-6.3],[106.5,-6.25]]]}`),
			siaga.EInvalid, "features[1].geometry.coordinates[1]"},
		{"polygon without rings", fc(`{"type":"Polygon","coordinates":[]}`), siaga.EInvalid, "features[1].geometry.coordinates"},
		{"empty multipolygon", fc(`{"type":"MultiPolygon","coordinates":[]}`), siaga.EInvalid, "features[1].geometry.coordinates"},
		{"bad polygon in a multipolygon", fc(`{"type":"MultiPolygon","coordinates":[[[[106,-6],[107,-6],[107,-7],[106,-6]]],[[[106,-6],[107,-6]]]]}`),
			siaga.EInvalid, "features[1].geometry.coordinates[1][0]"},
		{"bad member of a collection", fc(`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"MultiPoint","coordinates":[]}]}`),
			siaga.EInvalid, "features[1].geometry.geometries[1].coordinates"},
		{"too large", fc(`null`), siaga.ETooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit := int64(1 << 20)
			if tt.code == siaga.ETooLarge {
				limit = 50
			}
			_, err := geo.ReadGeoJSON(strings.NewReader(tt.in), limit)
			checkError(t, err, tt.code, tt.field)
		})
	}
}

// FuzzReadGeoJSON: outside GeoJSON never panics, and what is accepted is
// valid, exports, and reads back the same.
func FuzzReadGeoJSON(f *testing.F) {
	f.Add(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`)
	f.Add(`{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"properties":null,"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}}]}`)
	f.Add(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}}],"bbox":[0,0,1,1]}`)
	f.Fuzz(func(t *testing.T, in string) {
		fc, err := geo.ReadGeoJSON(strings.NewReader(in), 1<<20)
		if err != nil {
			return
		}
		for _, ft := range fc.Features {
			if err := geo.Check(ft.Geometry); err != nil {
				t.Fatalf("accepted an invalid geometry: %v", err)
			}
		}
		roundTrip(t, fc)
	})
}

// FuzzReadTopoJSON: an outside topology never panics nor blows up, and
// what is accepted is valid.
func FuzzReadTopoJSON(f *testing.F) {
	f.Add(plainTopo)
	f.Add(quantizedTopo)
	f.Fuzz(func(t *testing.T, in string) {
		objects, err := geo.ReadTopoJSON(strings.NewReader(in), 1<<20)
		if err != nil {
			return
		}
		for _, fc := range objects {
			for _, ft := range fc.Features {
				if err := geo.Check(ft.Geometry); err != nil {
					t.Fatalf("accepted an invalid geometry: %v", err)
				}
			}
		}
	})
}
