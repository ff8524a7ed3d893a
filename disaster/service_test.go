package disaster_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/disaster"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/sqlite"
)

var now = time.Date(2024, 2, 14, 6, 0, 0, 0, time.UTC)

// Pondok Aren's desa (Kota Tangerang Selatan) and Sumberjaya's
// (Pandeglang), whose centroids these TPS stand near.
const (
	pondokAren = "3674031005"
	sumberjaya = "3601012001"
)

// testTPS: two TPS of Pondok Aren at the registry's (synthetic) points,
// two without any point, and one in Pandeglang.
func testTPS() []siaga.TPS {
	return []siaga.TPS{
		{Code: sumberjaya + "001", Desa: sumberjaya, Number: 1, DPT: 250, Lat: -6.657777, Lon: 105.593705},
		{Code: pondokAren + "001", Desa: pondokAren, Number: 1, DPT: 280, Lat: -6.260142, Lon: 106.711203},
		{Code: pondokAren + "002", Desa: pondokAren, Number: 2, DPT: 290, Lat: -6.2615, Lon: 106.7125},
		{Code: pondokAren + "003", Desa: pondokAren, Number: 3, DPT: 300},
		{Code: pondokAren + "004", Desa: pondokAren, Number: 4, DPT: 300},
	}
}

var (
	bantenOnce    sync.Once
	bantenRegions *geo.Regions
	bantenErr     error
)

func banten(t testing.TB) *geo.Regions {
	t.Helper()
	bantenOnce.Do(func() { bantenRegions, bantenErr = geo.Banten() })
	if bantenErr != nil {
		t.Fatal(bantenErr)
	}
	return bantenRegions
}

func newService(t testing.TB) (*disaster.Service, *sqlite.DB) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	regions := banten(t)
	s := disaster.New(disaster.Config{Store: db, TPS: testTPS(), Boundaries: func() (*geo.Regions, error) { return regions, nil }, Now: func() time.Time { return now }})
	if err := s.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, db
}

// floodAround is a square zone of half-side d degrees around p.
func floodAround(t testing.TB, class string, p orb.Point, d float64) siaga.HazardZone {
	return zone(t, 0, 0, "banjir", class, orb.Polygon{box(p[0]-d, p[1]-d, p[0]+d, p[1]+d)})
}

var arenCentre = orb.Point{106.711203, -6.260142}

// TestServiceExposure: importing a layer changes the exposure of the TPS
// under it at once, deleting it clears it; counts and the at-risk list
// page through every TPS of a region.
func TestServiceExposure(t *testing.T) {
	ctx := context.Background()
	s, db := newService(t)
	if got := s.Summary("3674"); got.Located != 2 || got.Unlocated != 2 || got.ByClass[disaster.NoHazard] != 2 {
		t.Fatalf("before any layer: %+v", got)
	}
	// TPS 001 is in both zones, 002 (about 250 m away) only in the wide
	// sedang one.
	tinggi := floodAround(t, siaga.HazardHigh, arenCentre, 0.001)
	sedang := floodAround(t, siaga.HazardMedium, arenCentre, 0.01)
	sedang.Feature = 1
	longsor := floodAround(t, siaga.HazardLow, arenCentre, 0.0005)
	longsor.Type, longsor.Feature = "longsor", 2
	layer := siaga.HazardLayer{Name: "Banjir Pondok Aren", Source: "sintetis", Synthetic: true}
	if err := s.ImportHazards(ctx, &layer, []siaga.HazardZone{tinggi, sedang, longsor}, "cli"); err != nil {
		t.Fatal(err)
	}
	e, err := s.TPS(pondokAren + "001")
	if err != nil {
		t.Fatal(err)
	}
	want := []disaster.Hit{{"banjir", "tinggi", layer.ID, 0}, {"longsor", "rendah", layer.ID, 2}}
	if diff := cmp.Diff(want, e.Hazards); diff != "" || e.Worst != "tinggi" || len(e.Zones) != 3 {
		t.Errorf("TPS 001: worst %q, %d zones, hazards (-want +got):\n%s", e.Worst, len(e.Zones), diff)
	}
	if e.Point == nil || !e.Point.Synthetic() {
		t.Errorf("TPS 001 stands at %+v, want the registry's synthetic point", e.Point)
	}
	sum := s.Summary("3674")
	wantSum := disaster.Summary{Region: "3674", TPS: 4, Located: 2, Unlocated: 2, SyntheticPoints: 2,
		ByClass: map[string]int{"tinggi": 1, "sedang": 1},
		ByType:  map[string]map[string]int{"banjir": {"tinggi": 1, "sedang": 1}, "longsor": {"rendah": 1}},
		Layers:  1, Synthetic: true}
	if diff := cmp.Diff(wantSum, sum); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}

	// The list, one per page: complete, with its total, and the cursor
	// goes on where the page before ended.
	var codes []string
	q := disaster.AtRiskQuery{Region: "36", Limit: 1}
	for {
		page, err := s.AtRisk(q)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 2 {
			t.Fatalf("total %d, want 2", page.Total)
		}
		for _, it := range page.Items {
			codes = append(codes, it.TPS)
		}
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	if diff := cmp.Diff([]string{pondokAren + "001", pondokAren + "002"}, codes); diff != "" {
		t.Errorf("at-risk pages (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		q    disaster.AtRiskQuery
		want int
	}{
		{disaster.AtRiskQuery{Region: "3674", MinClass: "tinggi"}, 1},
		{disaster.AtRiskQuery{Region: "3674", Type: "longsor"}, 1},
		{disaster.AtRiskQuery{Region: "3674", Type: "longsor", MinClass: "sedang"}, 0},
		{disaster.AtRiskQuery{Region: "3601"}, 0},
	} {
		page, err := s.AtRisk(tt.q)
		if err != nil || page.Total != tt.want || len(page.Items) != tt.want {
			t.Errorf("AtRisk(%+v) = %d of %d, %v; want %d", tt.q, len(page.Items), page.Total, err, tt.want)
		}
	}
	if _, err := s.AtRisk(disaster.AtRiskQuery{Type: "meteor"}); siaga.ErrorCode(err) != siaga.EInvalid {
		t.Errorf("an unknown type: %v", err)
	}

	// A fresh service over the same store computes the same.
	again := disaster.New(disaster.Config{Store: db, TPS: testTPS(), Now: func() time.Time { return now }})
	if err := again.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sum, again.Summary("3674")); diff != "" {
		t.Errorf("reloaded summary (-first +reloaded):\n%s", diff)
	}

	if err := s.DeleteHazardLayer(ctx, layer.ID, "cli"); err != nil {
		t.Fatal(err)
	}
	if got := s.Summary("3674"); got.ByClass[disaster.NoHazard] != 2 || got.Layers != 0 {
		t.Errorf("after deleting the layer: %+v", got)
	}
	if err := s.DeleteHazardLayer(ctx, layer.ID, "cli"); siaga.ErrorCode(err) != siaga.ENotFound {
		t.Errorf("deleting it again: %v", err)
	}
}

// TestReadLocations: a good file, then each bad row refused with its row
// and column named in both languages.
func TestReadLocations(t *testing.T) {
	s, _ := newService(t)
	got, err := s.ReadLocations(strings.NewReader("\ufefftps,lat,lon,address\n"+
		pondokAren+"003,-6.2585,106.7101,Jl. Raya Pondok Aren 3\n"+
		sumberjaya+"001, -6.6578 , 105.5937 ,\n"), now, "cli")
	if err != nil {
		t.Fatal(err)
	}
	want := []siaga.TPSLocation{
		{TPS: pondokAren + "003", Lat: -6.2585, Lon: 106.7101, Address: "Jl. Raya Pondok Aren 3", Source: siaga.LocationImported, At: now, By: "cli"},
		{TPS: sumberjaya + "001", Lat: -6.6578, Lon: 105.5937, Source: siaga.LocationImported, At: now, By: "cli"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
	const header = "tps,lat,lon\n"
	for _, tt := range []struct {
		name, csv, id, en string
	}{
		{"unknown TPS", header + pondokAren + "003,-6.2585,106.7101\n3674031005999,-6.2585,106.7101\n",
			"baris 3, kolom tps", "row 3, column tps: TPS \"3674031005999\" is not registered"},
		{"latitude not a number", header + pondokAren + "003,-6,2585,106.7101\n", "baris 2:", "row 2: 4 columns"},
		{"latitude out of range", header + pondokAren + "003,-96.2,106.7\n", "baris 2, kolom lat", "row 2, column lat"},
		{"outside Indonesia", header + pondokAren + "003,-6.2585,151.2\n", "baris 2, kolom lon", "outside Indonesia"},
		{"swapped", header + pondokAren + "003,106.7101,-6.2585\n", "baris 2, kolom lat", "not degrees between -90 and 90"},
		{"outside its kab/kota", header + pondokAren + "003,-6.6578,105.5937\n", "baris 2, kolom lat", "outside this TPS's kab/kota (3674)"},
		{"twice", header + pondokAren + "003,-6.2585,106.7101\n" + pondokAren + "003,-6.2585,106.7101\n", "baris 3, kolom tps", "already on row 2"},
		{"unknown column", "tps,lat,lon,rt\n", "baris 1, kolom rt", "unknown column"},
		{"missing column", "tps,lat\n", "baris 1, kolom lon", "missing"},
		{"no rows", header, "baris 2", "no data rows"},
		{"bad quoting", header + "\"" + pondokAren + "003,1,2\n", "baris", "unreadable CSV"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ReadLocations(strings.NewReader(tt.csv), now, "cli")
			var e *siaga.Error
			if !asError(err, &e) || got != nil {
				t.Fatalf("= %d rows, %v; want an error", len(got), err)
			}
			if !strings.Contains(e.Message, tt.id) || !strings.Contains(e.MessageEN, tt.en) {
				t.Errorf("error %q / %q, want %q / %q", e.Message, e.MessageEN, tt.id, tt.en)
			}
		})
	}
}

// FuzzReadLocations: any input is refused with a siaga error or gives
// rows of registered TPS inside Indonesia.
func FuzzReadLocations(f *testing.F) {
	s, _ := newService(f)
	f.Add("tps,lat,lon,address\n" + pondokAren + "003,-6.2585,106.7101,Jl. Raya\n")
	f.Add("lat,tps,lon\n-6.6578," + sumberjaya + "001,105.5937\n")
	f.Add("tps,lat,lon\n" + pondokAren + "003,NaN,106\n")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := s.ReadLocations(strings.NewReader(in), now, "fuzz")
		if err != nil {
			var e *siaga.Error
			if !asError(err, &e) {
				t.Fatalf("not a siaga error: %v", err)
			}
			return
		}
		for _, l := range got {
			if _, err := s.TPS(l.TPS); err != nil || !disaster.Indonesia.Contains(orb.Point{l.Lon, l.Lat}) {
				t.Fatalf("accepted %+v", l)
			}
		}
	})
}

// TestSyntheticLocations: every TPS whose desa has a boundary lands inside
// it, labelled synthetic, the same for the same seed.
func TestSyntheticLocations(t *testing.T) {
	regions := banten(t)
	tps := testTPS()
	tps = append(tps, siaga.TPS{Code: "9999999999001", Desa: "9999999999"}) // no boundary: left out
	got := disaster.SyntheticLocations(tps, regions, 7, now)
	if len(got) != 5 {
		t.Fatalf("%d locations, want 5", len(got))
	}
	for _, l := range got {
		desa, _ := regions.Boundary(l.TPS[:10])
		if !geo.Contains(desa.Geometry, orb.Point{l.Lon, l.Lat}) || !l.Synthetic() || l.By != "demo" {
			t.Errorf("%+v is not a synthetic point inside its desa", l)
		}
	}
	if diff := cmp.Diff(got, disaster.SyntheticLocations(tps, regions, 7, now)); diff != "" {
		t.Errorf("same seed, other points:\n%s", diff)
	}
}
