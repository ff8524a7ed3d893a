package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func testSites(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	school := siaga.Site{Code: "SDN-CIBEBER-1", Name: "SD Negeri 1 Cibeber", Kind: "sekolah", Lat: -6.8412, Lon: 106.3125,
		Desa: "3602012003", Capacity: 600, Source: "Disdik Lebak", UpdatedAt: t0}
	tower := siaga.Site{Code: "MENARA-LBK-07", Name: "Menara Cilograng", Kind: "menara", Lat: -6.9521, Lon: 106.2133,
		Desa: "3602010001", Intervention: siaga.InterventionCOW, RadiusM: 3000, Cost: 85_000_000, Source: "Diskominfo", UpdatedAt: t0}
	roof := siaga.Site{Code: "ATAP-SRG-02", Name: "Balai Desa Bojonegara", Kind: "atap", Lat: -5.9876, Lon: 106.0712,
		Desa: "3604030005", Intervention: siaga.InterventionBooster, RadiusM: 800, Cost: 12_500_000, UpdatedAt: t0}
	outside := siaga.Site{Code: "LUAR-1", Name: "Balai tanpa desa", Kind: "balai", Lat: -2.5, Lon: 120.1, UpdatedAt: t0}
	must(t, s.SaveSites(ctx, []siaga.Site{school, tower, roof, outside}))

	// A re-import replaces the site of the same code.
	tower2 := tower
	tower2.Cost, tower2.RadiusM, tower2.UpdatedAt = 90_000_000, 3500, t0.Add(time.Hour)
	must(t, s.SaveSites(ctx, []siaga.Site{tower2}))

	tests := []struct {
		name string
		f    siaga.SiteFilter
		want []siaga.Site
	}{
		{"all", siaga.SiteFilter{}, []siaga.Site{roof, outside, tower2, school}},
		{"kabupaten", siaga.SiteFilter{Region: "3602"}, []siaga.Site{tower2, school}},
		{"desa", siaga.SiteFilter{Region: "3602012003"}, []siaga.Site{school}},
		{"intervention", siaga.SiteFilter{Intervention: siaga.InterventionBooster}, []siaga.Site{roof}},
		{"both", siaga.SiteFilter{Region: "3602", Intervention: siaga.InterventionBooster}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Sites(ctx, tt.f)
			must(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Sites(%+v) (-want +got):\n%s", tt.f, diff)
			}
		})
	}
}
