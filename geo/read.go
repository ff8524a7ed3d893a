// Package geo holds Siaga's geodata: reading GeoJSON and TopoJSON into
// github.com/paulmach/orb geometries, Banten's embedded region boundaries
// and centroids, a packed R-tree over polygons for point-in-polygon and
// proximity queries, distances in metres, and a streaming GeoJSON writer
// for exports. Coordinates are GeoJSON's: orb.Point{longitude, latitude}
// in degrees (WGS 84).
package geo

import (
	"bytes"
	"fmt"
	"io"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
)

// ReadGeoJSON reads a FeatureCollection of at most limit bytes. It parses
// outside input (imported hazard zones), so it refuses what later code
// would trip over: a feature without a geometry, a coordinate that is not
// a finite longitude/latitude, a line of one point, an unclosed or too
// short polygon ring.
func ReadGeoJSON(r io.Reader, limit int64) (*geojson.FeatureCollection, error) {
	b, err := readAll(r, limit)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, siaga.Errorf(siaga.EInvalid, "", "GeoJSON tidak dapat dibaca: %v", "unreadable GeoJSON: %v", err)
	}
	if err := checkFeatures(fc.Features); err != nil {
		return nil, err
	}
	return fc, nil
}

// readAll reads r whole, refusing more than limit bytes.
func readAll(r io.Reader, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, siaga.Errorf(siaga.ETooLarge, "", "Berkas lebih dari %d bita", "file over %d bytes", limit)
	}
	return buf.Bytes(), nil
}

func checkFeatures(fs []*geojson.Feature) error {
	for i, f := range fs {
		field := fmt.Sprintf("features[%d]", i)
		if f == nil {
			return siaga.Errorf(siaga.EInvalid, field, "Fitur kosong", "empty feature")
		}
		if e := check(f.Geometry); e != nil {
			e.Field = join(field+".geometry", e.Field)
			return e
		}
	}
	return nil
}

// Check returns a siaga.EInvalid error, its Field the path inside g
// ("coordinates[0][3]"), when g is nil or not a valid geometry on the
// earth.
func Check(g orb.Geometry) error {
	if e := check(g); e != nil {
		return e
	}
	return nil
}

func check(g orb.Geometry) *siaga.Error {
	switch g := g.(type) {
	case nil:
		return invalid("", "Fitur tanpa geometri", "feature without a geometry")
	case orb.Point:
		return checkPoint(g, "coordinates")
	case orb.MultiPoint:
		return checkPoints(g, "coordinates", 1)
	case orb.LineString:
		return checkPoints(g, "coordinates", 2)
	case orb.MultiLineString:
		for i, ls := range g {
			if e := checkPoints(ls, fmt.Sprintf("coordinates[%d]", i), 2); e != nil {
				return e
			}
		}
	case orb.Polygon:
		return checkPolygon(g, "coordinates")
	case orb.MultiPolygon:
		if len(g) == 0 {
			return invalid("coordinates", "Multipoligon kosong", "empty multipolygon")
		}
		for i, p := range g {
			if e := checkPolygon(p, fmt.Sprintf("coordinates[%d]", i)); e != nil {
				return e
			}
		}
	case orb.Collection:
		// An empty collection places nothing, and its GeoJSON reads back
		// as a feature without a geometry.
		if len(g) == 0 {
			return invalid("geometries", "Kumpulan geometri kosong", "empty geometry collection")
		}
		for i, m := range g {
			if e := check(m); e != nil {
				e.Field = join(fmt.Sprintf("geometries[%d]", i), e.Field)
				return e
			}
		}
	default:
		return invalid("", "Jenis geometri %s tidak didukung", "geometry type %s not supported", g.GeoJSONType())
	}
	return nil
}

func checkPolygon(p orb.Polygon, field string) *siaga.Error {
	if len(p) == 0 {
		return invalid(field, "Poligon tanpa cincin", "polygon without a ring")
	}
	for i, r := range p {
		f := fmt.Sprintf("%s[%d]", field, i)
		if e := checkPoints(r, f, 4); e != nil {
			return e
		}
		if !r.Closed() {
			return invalid(f, "Cincin poligon tidak tertutup (titik awal ≠ titik akhir)", "polygon ring not closed (first point ≠ last point)")
		}
	}
	return nil
}

// checkPoints checks each point and that there are at least min of them.
func checkPoints(ps []orb.Point, field string, min int) *siaga.Error {
	if len(ps) < min {
		return invalid(field, "Paling sedikit %d titik, ada %d", "at least %d points, got %d", min, len(ps))
	}
	for i, p := range ps {
		if e := checkPoint(p, fmt.Sprintf("%s[%d]", field, i)); e != nil {
			return e
		}
	}
	return nil
}

func checkPoint(p orb.Point, field string) *siaga.Error {
	lon, lat := p[0], p[1]
	if math.IsNaN(lon) || math.IsNaN(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
		return invalid(field, "Koordinat [%g, %g] bukan [bujur, lintang] yang sah", "coordinate [%g, %g] is not a valid [longitude, latitude]", lon, lat)
	}
	return nil
}

// join joins two parts of a field path, either of which may be empty.
func join(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "." + b
}

func invalid(field, id, en string, args ...any) *siaga.Error {
	e := siaga.Errorf(siaga.EInvalid, "", id, en, args...)
	e.Field = field
	return e
}
