package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func testDisaster(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	square := json.RawMessage(`{"type":"Polygon","coordinates":[[[106.7,-6.3],[106.8,-6.3],[106.8,-6.2],[106.7,-6.3]]]}`)
	layer := siaga.HazardLayer{Name: "Banjir Tangsel", Source: "BPBD", Date: t0.AddDate(0, -1, 0),
		ImportedAt: t0, ImportedBy: "cli", Synthetic: true}
	zones := []siaga.HazardZone{
		{Feature: 0, Type: "banjir", Class: siaga.HazardHigh, Source: "BPBD", Date: t0.AddDate(0, -1, 0), Geometry: square},
		{Feature: 1, Type: "longsor", Class: siaga.HazardLow, Geometry: square},
	}
	audit := siaga.AuditEvent{At: t0, Actor: "cli", Action: siaga.AuditHazardImport, Scope: "36"}
	must(t, s.ImportHazardLayer(ctx, &layer, zones, audit))
	if layer.ID == 0 || layer.Features != 2 || zones[0].Layer != layer.ID {
		t.Fatalf("after import: layer %+v, zone layer %d", layer, zones[0].Layer)
	}
	second := siaga.HazardLayer{Name: "Tsunami", ImportedAt: t0.Add(time.Hour), ImportedBy: "user:desk"}
	tsunami := []siaga.HazardZone{{Feature: 0, Type: "tsunami", Class: siaga.HazardMedium, Geometry: square}}
	must(t, s.ImportHazardLayer(ctx, &second, tsunami))

	// A file whose features repeat a number stores nothing of itself.
	bad := siaga.HazardLayer{Name: "rusak", ImportedAt: t0, ImportedBy: "cli"}
	dup := []siaga.HazardZone{{Feature: 0, Type: "banjir", Class: siaga.HazardLow, Geometry: square}, {Feature: 0, Type: "banjir", Class: siaga.HazardLow, Geometry: square}}
	if err := s.ImportHazardLayer(ctx, &bad, dup); err == nil {
		t.Fatal("a layer with a repeated feature number was stored")
	}

	layers, err := s.HazardLayers(ctx)
	must(t, err)
	if diff := cmp.Diff([]siaga.HazardLayer{layer, second}, layers); diff != "" {
		t.Errorf("HazardLayers (-want +got):\n%s", diff)
	}
	got, err := s.HazardZones(ctx)
	must(t, err)
	// Geometry is compared as JSON: PostgreSQL keeps the bytes as given.
	if diff := cmp.Diff(append(append([]siaga.HazardZone{}, zones...), tsunami...), got); diff != "" {
		t.Errorf("HazardZones (-want +got):\n%s", diff)
	}
	page, err := s.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditHazardImport, Limit: 10})
	must(t, err)
	if page.Total != 1 || page.Items[0].Subject == "" {
		t.Errorf("import audit: %+v", page.Items)
	}

	must(t, s.DeleteHazardLayer(ctx, layer.ID, siaga.AuditEvent{At: t0, Actor: "cli", Action: siaga.AuditHazardDelete}))
	wantCode(t, s.DeleteHazardLayer(ctx, layer.ID), siaga.ENotFound)
	got, err = s.HazardZones(ctx)
	must(t, err)
	if diff := cmp.Diff(tsunami, got); diff != "" {
		t.Errorf("HazardZones after delete (-want +got):\n%s", diff)
	}
	layers, err = s.HazardLayers(ctx)
	must(t, err)
	if len(layers) != 1 || layers[0].ID != second.ID {
		t.Errorf("layers after delete: %+v", layers)
	}
}

func testRelocations(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	const tps = "3674031001005"
	old := siaga.TPSLocation{TPS: tps, Lat: -6.27, Lon: 106.71, Address: "Lapangan RW 05", Source: siaga.LocationImported, At: t0, By: "cli"}
	must(t, s.AddTPSLocations(ctx, []siaga.TPSLocation{old}))
	r := siaga.Relocation{TPS: tps, FromLat: old.Lat, FromLon: old.Lon, FromAddress: old.Address, Site: "SDN-01",
		ToLat: -6.26, ToLon: 106.72, ToAddress: "SD Negeri 1 Pondok Aren", Reason: "banjir setinggi 80 cm",
		Decider: "Ketua KPU", DeciderOffice: "KPU Kota Tangerang Selatan", Decided: t0.Add(-time.Hour),
		Letter: "123/PL.01.2-SD/3674/2024", By: "user:kpu.tangsel", At: t0.Add(time.Hour)}
	audit := siaga.AuditEvent{At: r.At, Actor: r.By, Action: siaga.AuditRelocation, Subject: tps, Scope: tps}
	must(t, s.AddRelocation(ctx, &r, audit))
	if r.ID == 0 {
		t.Fatal("relocation got no id")
	}
	other := r
	other.TPS, other.ID = "3601012001001", 0
	must(t, s.AddRelocation(ctx, &other))

	for _, tt := range []struct {
		region string
		want   []siaga.Relocation
	}{{"", []siaga.Relocation{other, r}}, {"3674", []siaga.Relocation{r}}, {"3673", nil}, {"'", nil}} {
		got, err := s.Relocations(ctx, tt.region)
		must(t, err)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Relocations(%q) (-want +got):\n%s", tt.region, diff)
		}
	}
	// The TPS stands at its new place and keeps its old one in history.
	hist, err := s.TPSLocationHistory(ctx, tps)
	must(t, err)
	if diff := cmp.Diff([]siaga.TPSLocation{old, r.Location()}, hist); diff != "" {
		t.Errorf("history after relocation (-want +got):\n%s", diff)
	}
	page, err := s.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditRelocation, Limit: 10})
	must(t, err)
	if page.Total != 1 {
		t.Errorf("%d relocation audit entries, want 1", page.Total)
	}
}
