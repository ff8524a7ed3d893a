package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func testLocations(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	loc := func(tps string, lat float64, source string, at time.Duration) siaga.TPSLocation {
		return siaga.TPSLocation{TPS: tps, Lat: lat, Lon: 106.7, Address: "Jl. " + tps, Source: source, At: t0.Add(at), By: "cli"}
	}
	got, err := s.TPSLocations(ctx)
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("a new store has %d locations", len(got))
	}
	first := []siaga.TPSLocation{
		loc("3674031001001", -6.25, siaga.LocationSynthetic, 0),
		loc("3674031001002", -6.26, siaga.LocationSynthetic, 0),
	}
	audit := siaga.AuditEvent{At: t0, Actor: "cli", Action: siaga.AuditLocations, Subject: "2", Scope: "36"}
	must(t, s.AddTPSLocations(ctx, first, audit))
	// A second import moves one TPS: it is where the newest row puts it,
	// and its history keeps both places.
	moved := loc("3674031001001", -6.30, siaga.LocationImported, time.Hour)
	must(t, s.AddTPSLocations(ctx, []siaga.TPSLocation{moved}))
	got, err = s.TPSLocations(ctx)
	must(t, err)
	if diff := cmp.Diff([]siaga.TPSLocation{moved, first[1]}, got); diff != "" {
		t.Errorf("TPSLocations (-want +got):\n%s", diff)
	}
	hist, err := s.TPSLocationHistory(ctx, "3674031001001")
	must(t, err)
	if diff := cmp.Diff([]siaga.TPSLocation{first[0], moved}, hist); diff != "" {
		t.Errorf("TPSLocationHistory (-want +got):\n%s", diff)
	}
	hist, err = s.TPSLocationHistory(ctx, "3601012001001")
	must(t, err)
	if len(hist) != 0 {
		t.Errorf("a TPS never placed has %d locations", len(hist))
	}
	page, err := s.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditLocations, Limit: 10})
	must(t, err)
	if page.Total != 1 {
		t.Errorf("%d audit entries for locations, want 1", page.Total)
	}

	// Many rows at once (PostgreSQL copies them) come back alike.
	many := make([]siaga.TPSLocation, 300)
	for i := range many {
		many[i] = loc(fmt.Sprintf("3601012001%03d", i+1), -6.5-float64(i)/1000, siaga.LocationSynthetic, 2*time.Hour)
	}
	must(t, s.AddTPSLocations(ctx, many))
	got, err = s.TPSLocations(ctx)
	must(t, err)
	if diff := cmp.Diff(many, got[:len(many)]); diff != "" || len(got) != 302 {
		t.Errorf("after 300 more, %d locations (-want +got):\n%s", len(got), diff)
	}
}
