// Package disaster is the desk's disaster module: hazard zones imported
// from GeoJSON, where each TPS stands, which zones each TPS lies in (its
// exposure, computed with package geo's spatial index), the safe places
// an at-risk TPS can move to, and the notice that tells its voters.
package disaster

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// MaxHazardFile bounds a hazard GeoJSON file: a kab/kota's BNPB risk map
// simplified for the desk is a few megabytes; a whole province at full
// detail is under 100.
const MaxHazardFile = 128 << 20

// Indonesia is the extent a hazard zone or a TPS must touch: the
// country's outermost islands (Sabang to Merauke, Miangas to Rote) with a
// margin. A zone outside it is almost always a file with latitude and
// longitude swapped, or in another projection than WGS 84.
var Indonesia = orb.Bound{Min: orb.Point{94.5, -11.5}, Max: orb.Point{141.5, 6.5}}

// ReadHazards reads a hazard GeoJSON FeatureCollection (SPEC §9 "Hazard
// GeoJSON") into zones, their Layer left 0. Each feature must be a Polygon
// or MultiPolygon inside Indonesia whose properties carry type and class;
// source and date are optional. The first bad feature fails the whole
// file, its error naming the feature number (from 0, as in the file's
// features array and in GDAL's FID) and the reason.
func ReadHazards(r io.Reader, limit int64) ([]siaga.HazardZone, error) {
	fc, err := geo.ReadGeoJSON(r, limit)
	if err != nil {
		return nil, namedFeature(err)
	}
	if len(fc.Features) == 0 {
		return nil, siaga.Errorf(siaga.EInvalid, "features", "Berkas tidak berisi satu fitur pun", "the file holds no feature")
	}
	zones := make([]siaga.HazardZone, len(fc.Features))
	for i, f := range fc.Features {
		z, err := readZone(i, f)
		if err != nil {
			return nil, err
		}
		zones[i] = z
	}
	return zones, nil
}

// featureIndex finds the feature number in a field path of package geo.
var featureIndex = regexp.MustCompile(`^features\[(\d+)\]`)

// namedFeature puts the feature's number in the message of geo's error,
// which names it only in the field path.
func namedFeature(err error) error {
	var e *siaga.Error
	if !errors.As(err, &e) {
		return err
	}
	m := featureIndex.FindStringSubmatch(e.Field)
	if m == nil {
		return err
	}
	n, _ := strconv.Atoi(m[1])
	return featureText(n, e.Field, e.Message, e.MessageEN)
}

// featureError is an EInvalid error about feature n whose message starts
// with the feature's number in both languages.
func featureError(n int, field, id, en string, args ...any) *siaga.Error {
	return featureText(n, field, fmt.Sprintf(id, args...), fmt.Sprintf(en, args...))
}

// featureText is featureError of messages already formatted.
func featureText(n int, field, id, en string) *siaga.Error {
	return &siaga.Error{Code: siaga.EInvalid, Field: field,
		Message: fmt.Sprintf("fitur %d (%s): %s", n, field, id), MessageEN: fmt.Sprintf("feature %d (%s): %s", n, field, en)}
}

func readZone(i int, f *geojson.Feature) (siaga.HazardZone, error) {
	field := fmt.Sprintf("features[%d]", i)
	z := siaga.HazardZone{Feature: i}
	switch g := f.Geometry.(type) {
	case orb.Polygon, orb.MultiPolygon:
		if id, en := checkArea(g); id != "" {
			return z, featureText(i, field+".geometry", id, en)
		}
		if !g.Bound().Intersects(Indonesia) {
			return z, featureError(i, field+".geometry", "Zona di luar Indonesia (lintang dan bujur tertukar? bukan WGS 84?)",
				"zone outside Indonesia (latitude and longitude swapped? not WGS 84?)")
		}
	default:
		return z, featureError(i, field+".geometry", "Zona bahaya harus Polygon atau MultiPolygon, bukan %s",
			"a hazard zone must be a Polygon or MultiPolygon, not %s", f.Geometry.GeoJSONType())
	}
	var err *siaga.Error
	if z.Type, err = property(i, f, "type", true); err != nil {
		return z, err
	}
	if !siaga.ValidHazardType(z.Type) {
		return z, featureError(i, field+".properties.type", "Jenis bahaya %q tidak dikenal; pilih: %v",
			"unknown hazard type %q; one of: %v", z.Type, siaga.HazardTypes)
	}
	if z.Class, err = property(i, f, "class", true); err != nil {
		return z, err
	}
	if siaga.HazardRank(z.Class) == 0 {
		return z, featureError(i, field+".properties.class", "Kelas %q tidak dikenal; pilih: rendah, sedang, tinggi",
			"unknown class %q; one of: rendah, sedang, tinggi", z.Class)
	}
	if z.Source, err = property(i, f, "source", false); err != nil {
		return z, err
	}
	date, err := property(i, f, "date", false)
	if err != nil {
		return z, err
	}
	if date != "" {
		t, perr := parseDate(date)
		if perr != nil {
			return z, featureError(i, field+".properties.date", "Tanggal %q bukan YYYY-MM-DD", "date %q is not YYYY-MM-DD", date)
		}
		z.Date = t
	}
	b, merr := geojson.NewGeometry(f.Geometry).MarshalJSON()
	if merr != nil {
		return z, featureError(i, field+".geometry", "Geometri tidak dapat disimpan: %v", "geometry cannot be stored: %v", merr)
	}
	z.Geometry = b
	return z, nil
}

// property reads a string property; a required one must be present and
// not empty.
func property(i int, f *geojson.Feature, name string, required bool) (string, *siaga.Error) {
	field := fmt.Sprintf("features[%d].properties.%s", i, name)
	v, ok := f.Properties[name]
	if !ok || v == nil {
		if required {
			return "", featureError(i, field, "Properti %q wajib ada", "property %q is required", name)
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok || (required && s == "") {
		return "", featureError(i, field, "Properti %q harus teks yang tidak kosong", "property %q must be non-empty text", name)
	}
	return s, nil
}

// parseDate reads a date as a day (2024-02-14) or an instant (RFC 3339).
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// checkArea refuses a ring that encloses no area (all its points on one
// line): geo.ReadGeoJSON has checked that rings are closed and long
// enough, but such a ring would contain only its own edge.
// It returns the reason in Bahasa Indonesia and English, "" for none.
func checkArea(g orb.Geometry) (id, en string) {
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for p, poly := range polys {
		for r, ring := range poly {
			if planar.Area(ring) == 0 {
				return fmt.Sprintf("cincin %d poligon %d tidak berluas (semua titiknya segaris)", r, p),
					fmt.Sprintf("ring %d of polygon %d encloses no area (all its points on one line)", r, p)
			}
		}
	}
	return "", ""
}
