package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func testSitreps(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	report := func(region, date string) siaga.SitrepReport {
		day, err := time.ParseInLocation(time.DateOnly, date, siaga.WIB)
		must(t, err)
		at := day.Add(6 * time.Hour).UTC()
		return siaga.SitrepReport{Region: region, Date: date, At: at, CreatedAt: at.Add(time.Minute),
			PDF: []byte("%PDF-1.3 " + region + " " + date), Snapshot: []byte(`{"region":{"code":"` + region + `"}}`)}
	}
	dates := []string{"2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14"}
	for _, d := range dates {
		r := report("36", d)
		must(t, s.SaveSitrep(ctx, &r))
	}
	other := report("3601", "2024-02-14")
	must(t, s.SaveSitrep(ctx, &other))

	// The schedule may run twice on a morning (two nodes, a restart): the
	// second report of a region and date is refused, the first kept.
	again := report("36", "2024-02-14")
	again.PDF = []byte("another")
	wantCode(t, s.SaveSitrep(ctx, &again), siaga.EConflict)
	got, err := s.SitrepReport(ctx, "36", "2024-02-14")
	must(t, err)
	want := report("36", "2024-02-14")
	want.Size = len(want.PDF)
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("SitrepReport (-want +got):\n%s", diff)
	}
	_, err = s.SitrepReport(ctx, "36", "2024-02-15")
	wantCode(t, err, siaga.ENotFound)

	// Newest first, paged by date, without the blobs; other regions apart.
	tests := []struct {
		name  string
		f     siaga.SitrepFilter
		dates []string
		next  string
		total int
	}{
		{"first page", siaga.SitrepFilter{Region: "36", Limit: 3}, []string{"2024-02-14", "2024-02-13", "2024-02-12"}, "2024-02-12", 4},
		{"next page", siaga.SitrepFilter{Region: "36", Limit: 3, Before: "2024-02-12"}, []string{"2024-02-11"}, "", 4},
		{"kab/kota", siaga.SitrepFilter{Region: "3601"}, []string{"2024-02-14"}, "", 1},
		{"none", siaga.SitrepFilter{Region: "3602"}, nil, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := s.SitrepReports(ctx, tt.f)
			must(t, err)
			var dates []string
			for _, r := range page.Items {
				if r.PDF != nil || r.Snapshot != nil {
					t.Errorf("%s: the list carries the blobs", r.Date)
				}
				if r.Size == 0 {
					t.Errorf("%s: size 0", r.Date)
				}
				dates = append(dates, r.Date)
			}
			if diff := cmp.Diff(tt.dates, dates); diff != "" {
				t.Errorf("dates (-want +got):\n%s", diff)
			}
			if page.Next != tt.next || page.Total != tt.total {
				t.Errorf("next, total = %q, %d, want %q, %d", page.Next, page.Total, tt.next, tt.total)
			}
		})
	}
}
