package disaster_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/disaster"
)

func TestReadHazards(t *testing.T) {
	f, err := os.Open("testdata/banjir.geojson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zones, err := disaster.ReadHazards(f, disaster.MaxHazardFile)
	if err != nil {
		t.Fatal(err)
	}
	type kept struct {
		Feature             int
		Type, Class, Source string
		Date                time.Time
		Geometry            string
	}
	var got []kept
	for _, z := range zones {
		got = append(got, kept{z.Feature, z.Type, z.Class, z.Source, z.Date, string(z.Geometry)})
	}
	want := []kept{
		{0, "banjir", "tinggi", "BPBD Kota Tangerang Selatan (sintetis)", time.Date(2024, 2, 14, 0, 0, 0, 0, time.UTC),
			`{"type":"Polygon","coordinates":[[[106.7,-6.3],[106.72,-6.3],[106.72,-6.28],[106.7,-6.28],[106.7,-6.3]]]}`},
		{1, "longsor", "sedang", "", time.Time{},
			`{"type":"MultiPolygon","coordinates":[[[[106,-6.5],[106.1,-6.5],[106.1,-6.4],[106,-6.5]]],[[[106.2,-6.5],[106.3,-6.5],[106.3,-6.4],[106.2,-6.5]]]]}`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("zones (-want +got):\n%s", diff)
	}
}

// feature is one feature of a test file.
func feature(props, geometry string) string {
	return `{"type":"Feature","properties":` + props + `,"geometry":` + geometry + `}`
}

func collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

const (
	goodProps = `{"type":"banjir","class":"sedang"}`
	square    = `{"type":"Polygon","coordinates":[[[106.7,-6.3],[106.8,-6.3],[106.8,-6.2],[106.7,-6.3]]]}`
)

// TestReadHazardsRefuses: each bad file is refused whole, the error naming
// the feature (its number in both languages) and the reason.
func TestReadHazardsRefuses(t *testing.T) {
	good := feature(goodProps, square)
	for _, tt := range []struct {
		name, file string
		field      string // the error's field
		id, en     string // in the messages
	}{
		{"unclosed ring", collection(good, feature(goodProps, `{"type":"Polygon","coordinates":[[[106.7,-6.3],[106.8,-6.3],[106.8,-6.2],[106.71,-6.3]]]}`)),
			"features[1].geometry.coordinates[0]", "fitur 1", "feature 1"},
		{"too few points", collection(feature(goodProps, `{"type":"Polygon","coordinates":[[[106.7,-6.3],[106.8,-6.3],[106.7,-6.3]]]}`)),
			"features[0].geometry.coordinates[0]", "fitur 0", "at least 4 points"},
		{"off the earth", collection(good, good, feature(goodProps, `{"type":"Polygon","coordinates":[[[206.7,-6.3],[106.8,-6.3],[106.8,-6.2],[206.7,-6.3]]]}`)),
			"features[2].geometry.coordinates[0][0]", "fitur 2", "not a valid [longitude, latitude]"},
		{"no geometry", collection(`{"type":"Feature","properties":{"type":"banjir","class":"sedang"},"geometry":null}`),
			"features[0].geometry", "fitur 0", "without a geometry"},
		{"a point", collection(good, feature(goodProps, `{"type":"Point","coordinates":[106.7,-6.3]}`)),
			"features[1].geometry", "bukan Point", "not Point"},
		{"flat ring", collection(feature(goodProps, `{"type":"Polygon","coordinates":[[[106.7,-6.3],[106.8,-6.3],[106.9,-6.3],[106.7,-6.3]]]}`)),
			"features[0].geometry", "tidak berluas", "encloses no area"},
		{"swapped lat/lon", collection(feature(goodProps, `{"type":"Polygon","coordinates":[[[-6.3,10.7],[-6.3,10.8],[-6.2,10.8],[-6.3,10.7]]]}`)),
			"features[0].geometry", "di luar Indonesia", "outside Indonesia"},
		{"no type", collection(feature(`{"class":"tinggi"}`, square)), "features[0].properties.type", "wajib", "required"},
		{"unknown type", collection(good, feature(`{"type":"banjir bandang","class":"tinggi"}`, square)),
			"features[1].properties.type", "tidak dikenal", "unknown hazard type"},
		{"no class", collection(feature(`{"type":"banjir"}`, square)), "features[0].properties.class", "fitur 0", "required"},
		{"unknown class", collection(feature(`{"type":"banjir","class":"sangat tinggi"}`, square)),
			"features[0].properties.class", "tidak dikenal", "unknown class"},
		{"class not text", collection(feature(`{"type":"banjir","class":3}`, square)),
			"features[0].properties.class", "teks", "text"},
		{"bad date", collection(feature(`{"type":"banjir","class":"tinggi","date":"14/02/2024"}`, square)),
			"features[0].properties.date", "YYYY-MM-DD", "YYYY-MM-DD"},
		{"empty", collection(), "features", "satu fitur", "no feature"},
		{"not JSON", `{"type":"FeatureCollection","features":[`, "", "tidak dapat dibaca", "unreadable"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			zones, err := disaster.ReadHazards(strings.NewReader(tt.file), disaster.MaxHazardFile)
			var e *siaga.Error
			if !errors.As(err, &e) || e.Code != siaga.EInvalid {
				t.Fatalf("ReadHazards = %d zones, %v; want an invalid error", len(zones), err)
			}
			if zones != nil {
				t.Errorf("%d zones returned with the error", len(zones))
			}
			if e.Field != tt.field || !strings.Contains(e.Message, tt.id) || !strings.Contains(e.MessageEN, tt.en) {
				t.Errorf("error field %q, %q / %q; want field %q with %q / %q", e.Field, e.Message, e.MessageEN, tt.field, tt.id, tt.en)
			}
		})
	}
	_, err := disaster.ReadHazards(strings.NewReader(collection(feature(goodProps, square))), 50)
	if siaga.ErrorCode(err) != siaga.ETooLarge {
		t.Errorf("a file over the limit: %v", err)
	}
}

// FuzzReadHazards: whatever the input, ReadHazards either refuses it with
// a siaga error or returns zones that index and whose stored geometry
// reads back.
func FuzzReadHazards(f *testing.F) {
	seed, err := os.ReadFile("testdata/banjir.geojson")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(collection(feature(goodProps, square))))
	f.Add([]byte(collection(feature(`{"type":"gempa","class":"rendah","date":"2024-01-01T00:00:00Z"}`, square))))
	f.Fuzz(func(t *testing.T, b []byte) {
		zones, err := disaster.ReadHazards(bytes.NewReader(b), 1<<20)
		if err != nil {
			var e *siaga.Error
			if !errors.As(err, &e) {
				t.Fatalf("not a siaga error: %v", err)
			}
			return
		}
		for _, z := range zones {
			if !siaga.ValidHazardType(z.Type) || siaga.HazardRank(z.Class) == 0 {
				t.Fatalf("accepted zone %+v", z)
			}
		}
		if _, err := disaster.NewExposure(zones); err != nil {
			t.Fatalf("accepted zones do not index: %v", err)
		}
	})
}

func asError(err error, target **siaga.Error) bool { return errors.As(err, target) }
