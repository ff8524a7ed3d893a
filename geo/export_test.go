package geo_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// roundTrip exports fc and reads it back: the same features come out.
func roundTrip(t testing.TB, fc *geojson.FeatureCollection) {
	t.Helper()
	var buf bytes.Buffer
	if err := geo.Export(&buf, "layer", fc); err != nil {
		t.Fatalf("export: %v", err)
	}
	back, err := geo.ReadGeoJSON(&buf, int64(buf.Len()))
	if err != nil {
		t.Fatalf("read back: %v\n%s", err, buf.String())
	}
	if d := cmp.Diff(fc.Features, back.Features, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(geojson.Feature{}, "BBox", "ExtraMembers")); d != "" {
		t.Fatalf("export then read (-exported +read):\n%s", d)
	}
}

// hazardLayer is a small layer of every geometry and property type.
func hazardLayer() *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	add := func(g orb.Geometry, props geojson.Properties) {
		f := geojson.NewFeature(g)
		f.Properties = props
		fc.Append(f)
	}
	add(orb.Polygon{{{106, -6}, {106.5, -6}, {106.5, -6.5}, {106, -6}}, {{106.3, -6.05}, {106.4, -6.05}, {106.4, -6.1}, {106.3, -6.05}}},
		geojson.Properties{"type": "banjir", "class": "tinggi", "source": "BPBD Banten", "depth_m": 1.25, "n": 3.0, "synthetic": true})
	add(orb.MultiPolygon{{{{105.5, -6.5}, {105.6, -6.5}, {105.6, -6.6}, {105.5, -6.5}}}, {{{105.7, -6.5}, {105.8, -6.5}, {105.8, -6.6}, {105.7, -6.5}}}},
		geojson.Properties{"type": "longsor", "class": "sedang, \"lereng\"", "source": nil, "depth_m": -0.5, "n": 0.0, "synthetic": false})
	add(orb.Point{106.123456789012, -6.987654321098},
		geojson.Properties{"type": "gempa", "class": "rendah", "source": "BMKG", "depth_m": 10.0, "n": 1e6, "synthetic": true})
	return fc
}

func TestExportRoundTrip(t *testing.T) {
	roundTrip(t, hazardLayer())
	roundTrip(t, geojson.NewFeatureCollection())
}

func TestWriterStopsAtFirstError(t *testing.T) {
	var buf bytes.Buffer
	w := geo.NewWriter(&buf, "x")
	if err := w.Write(geojson.NewFeature(orb.Point{math.NaN(), 0})); err == nil {
		t.Fatal("a NaN coordinate was written")
	}
	if err := w.Write(geojson.NewFeature(orb.Point{1, 2})); err == nil {
		t.Error("the writer went on after an error")
	}
	if err := w.Close(); err == nil {
		t.Error("Close reported a broken collection as written")
	}
}

// needTool returns the path of a command the test needs, skipping the
// test when it is missing, unless SIAGA_REQUIRE_E2E=1 (as in CI), where
// a missing tool fails it (as chromiumtest does for Chromium).
func needTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
			t.Fatalf("%s not installed (Debian: gdal-bin) and SIAGA_REQUIRE_E2E=1", name)
		}
		t.Skipf("skipped: %s not installed (Debian: gdal-bin)", name)
	}
	return path
}

// TestExportReadByGDAL: GDAL, the reader of GIS desks (QGIS, ogr2ogr),
// reads an export with the same layer name, features, property values
// and geometry types, for a layer of every geometry and property type
// and for the 155 kecamatan of Banten.
func TestExportReadByGDAL(t *testing.T) {
	ogr2ogr, ogrinfo := needTool(t, "ogr2ogr"), needTool(t, "ogrinfo")
	regions, err := geo.Banten()
	if err != nil {
		t.Fatal(err)
	}
	layers := map[string]*geojson.FeatureCollection{
		"bahaya_sintetis": hazardLayer(),
		"kecamatan":       regions.Layer(siaga.LevelKecamatan),
	}
	for name, fc := range layers {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), name+".geojson")
			f, err := os.Create(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := geo.Export(f, name, fc); err != nil {
				t.Fatal(err)
			}
			f.Close()

			info := run(t, ogrinfo, "-ro", "-al", "-so", file)
			for _, want := range []string{"Layer name: " + name, "Feature Count: " + strconv.Itoa(len(fc.Features))} {
				if !strings.Contains(info, want) {
					t.Errorf("ogrinfo lacks %q:\n%s", want, info)
				}
			}
			rows, err := csv.NewReader(strings.NewReader(run(t, ogr2ogr, "-f", "CSV", "/vsistdout/", file, "-lco", "GEOMETRY=AS_WKT"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			compareCSV(t, fc, rows)
		})
	}
}

func run(t testing.TB, cmd string, args ...string) string {
	t.Helper()
	out, err := exec.Command(cmd, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", cmd, args, err)
	}
	return string(out)
}

// compareCSV checks GDAL's CSV of a layer (WKT first, then one column per
// property) against the features written.
func compareCSV(t testing.TB, fc *geojson.FeatureCollection, rows [][]string) {
	t.Helper()
	if len(rows) != len(fc.Features)+1 {
		t.Fatalf("GDAL read %d features, want %d", len(rows)-1, len(fc.Features))
	}
	header := rows[0]
	for i, f := range fc.Features {
		row := rows[i+1]
		wkt := row[0]
		if typ := strings.ToUpper(f.Geometry.GeoJSONType()) + " ("; !strings.HasPrefix(wkt, typ) {
			t.Errorf("feature %d: GDAL geometry %.40q…, want a %s", i, wkt, f.Geometry.GeoJSONType())
		}
		if got, want := strings.Count(wkt, ",")+1, vertices(f.Geometry); got != want {
			t.Errorf("feature %d: GDAL read %d positions, want %d", i, got, want)
		}
		for j, key := range header[1:] {
			if !sameValue(f.Properties[key], row[j+1]) {
				t.Errorf("feature %d %s: GDAL read %q, want %v", i, key, row[j+1], f.Properties[key])
			}
		}
		if len(header)-1 != len(f.Properties) {
			t.Errorf("feature %d: GDAL read columns %v, want the %d properties", i, header[1:], len(f.Properties))
		}
	}
}

func vertices(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Point:
		return 1
	case orb.Polygon:
		n := 0
		for _, r := range g {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			n += vertices(p)
		}
		return n
	}
	panic(g.GeoJSONType())
}

// sameValue compares a property with GDAL's text of it: null is empty,
// a boolean 1 or 0, a number equal to 12 significant digits.
func sameValue(want any, got string) bool {
	switch w := want.(type) {
	case nil:
		return got == ""
	case string:
		return got == w
	case bool:
		return got == map[bool]string{true: "1", false: "0"}[w]
	case float64:
		g, err := strconv.ParseFloat(got, 64)
		return err == nil && math.Abs(g-w) <= 1e-12*math.Max(1, math.Abs(w))
	}
	return false
}
