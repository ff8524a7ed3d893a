package disaster_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/disaster"
)

// offset is the point dx, dy metres east and north of p (flat earth; good
// to a few cm at these distances).
func offset(p orb.Point, dx, dy float64) orb.Point {
	const m = 111_195.0                                  // metres per degree of latitude on the mean earth
	return orb.Point{p[0] + dx/(m*0.99404), p[1] + dy/m} // cos(6.26°) = 0.99404
}

func site(code, kind string, p orb.Point, capacity int) siaga.Site {
	return siaga.Site{Code: code, Name: code, Kind: kind, Lat: p[1], Lon: p[0], Capacity: capacity}
}

// TestCandidates: only kinds that hold a TPS, outside every sedang or
// tinggi zone, within the walk, nearest first, with whether they fit.
func TestCandidates(t *testing.T) {
	from := arenCentre
	x, err := disaster.NewExposure([]siaga.HazardZone{
		floodAround(t, siaga.HazardHigh, from, 0.003), // about 330 m each way
		func() siaga.HazardZone {
			z := zone(t, 0, 1, "longsor", siaga.HazardLow, orb.Polygon{box(from[0]+0.005, from[1]-0.001, from[0]+0.007, from[1]+0.001)})
			return z
		}(),
	})
	if err != nil {
		t.Fatal(err)
	}
	sites := []siaga.Site{
		site("A-masjid-dalam", "masjid", offset(from, 100, 0), 0),         // in the tinggi zone
		site("B-sekolah", "sekolah", offset(from, 0, 600), 500),           // safe, 600 m
		site("C-balai", "balai", offset(from, -500, 0), 100),              // safe, 500 m, too small for 280
		site("D-menara", "menara", offset(from, 0, -450), 0),              // a tower holds no TPS
		site("E-kantor", "kantor_desa", offset(from, 0, -1200), 0),        // 1.2 km: too far
		site("F-lapangan", "lapangan", offset(from, 0.006*110_500, 0), 0), // in the rendah zone, ~660 m
	}
	got := disaster.Candidates(from, 280, sites, x, disaster.DefaultWalk)
	type row struct {
		Code  string
		M     int
		Fits  bool
		Zones int
	}
	var rows []row
	for _, c := range got {
		rows = append(rows, row{c.Site.Code, int(c.DistanceM + 0.5), c.Fits, len(c.Zones)})
	}
	want := []row{{"C-balai", 500, false, 0}, {"B-sekolah", 600, true, 0}, {"F-lapangan", 663, true, 1}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("candidates (-want +got):\n%s", diff)
	}
	if got := disaster.Candidates(from, 280, sites, x, 1500); len(got) != 4 {
		t.Errorf("within 1.5 km: %d candidates, want 4 (the kantor desa too)", len(got))
	}
}

// TestRelocate: a decision needs its legal trail; recorded, the TPS
// stands at its new place (and is no longer at risk), keeps its code, and
// its old place stays in its history.
func TestRelocate(t *testing.T) {
	ctx := context.Background()
	s, db := newService(t)
	layer := siaga.HazardLayer{Name: "banjir", Synthetic: true}
	if err := s.ImportHazards(ctx, &layer, []siaga.HazardZone{floodAround(t, siaga.HazardHigh, arenCentre, 0.003)}, "cli"); err != nil {
		t.Fatal(err)
	}
	to := offset(arenCentre, 0, 600)
	r := siaga.Relocation{TPS: pondokAren + "001", Site: "B-sekolah", ToLat: to[1], ToLon: to[0], ToAddress: "SDN Pondok Aren 2",
		Reason: "banjir 80 cm", Decider: "Ketua KPU Kota Tangerang Selatan", DeciderOffice: "KPU Kota Tangerang Selatan",
		Decided: time.Date(2024, 2, 14, 0, 0, 0, 0, time.UTC), Letter: "123/PL.01.2-Kpt/3674/2024", By: "user:kpu.tangsel"}
	for _, field := range []string{"letter", "decider", "reason", "to_address", "decided"} {
		bad := r
		switch field {
		case "letter":
			bad.Letter = " "
		case "decider":
			bad.Decider = ""
		case "reason":
			bad.Reason = ""
		case "to_address":
			bad.ToAddress = ""
		case "decided":
			bad.Decided = time.Time{}
		}
		var e *siaga.Error
		if err := s.Relocate(ctx, &bad); !asError(err, &e) || e.Field != field {
			t.Errorf("without %s: %v", field, err)
		}
	}
	if err := s.Relocate(ctx, &r); err != nil {
		t.Fatal(err)
	}
	if r.FromLat != -6.260142 || r.FromLon != 106.711203 || r.At != now {
		t.Errorf("relocation from (%v, %v) at %v", r.FromLat, r.FromLon, r.At)
	}
	e, _ := s.TPS(r.TPS)
	if e.Point == nil || e.Point.Source != siaga.LocationRelocation || e.Worst != "" {
		t.Errorf("after the move: %+v", e)
	}
	hist, err := db.TPSLocationHistory(ctx, r.TPS)
	if err != nil || len(hist) != 1 || hist[0].Address != "SDN Pondok Aren 2" {
		t.Errorf("history %+v, %v", hist, err)
	}
	rs, err := db.Relocations(ctx, "3674")
	if err != nil || len(rs) != 1 || rs[0].Letter != r.Letter {
		t.Errorf("relocations %+v, %v", rs, err)
	}
}
