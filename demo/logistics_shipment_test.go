package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestLogisticsShipments plays the demo's shipments on a Banten node: every
// leg down to the 33,324 TPS exists; Pulau Panjang was held once and
// delivered; Cilegon has one short delivery with its alert and a follow-up
// delivered on H-1, and TPS legs still on the road.
func TestLogisticsShipments(t *testing.T) {
	if testing.Short() {
		t.Skip("plays every leg of Banten")
	}
	n := nodetest.Open(t, nil)
	ctx := context.Background()
	start := time.Now()
	if err := logisticsShipments(ctx, n); err != nil {
		t.Fatal(err)
	}
	t.Logf("shipments played in %v", time.Since(start))
	count := func(f siaga.ShipmentFilter) int {
		t.Helper()
		_, total, err := n.Shipments.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return total
	}
	legs := 1 // the follow-up
	for _, r := range n.Registry.Regions {
		if r.Level == siaga.LevelKecamatan || r.Level == siaga.LevelDesa {
			legs++
		}
	}
	legs += len(n.Registry.TPS)
	if got, want := count(siaga.ShipmentFilter{}), legs; got != want {
		t.Errorf("%d shipments, want %d (every leg and one follow-up)", got, want)
	}
	if got := count(siaga.ShipmentFilter{Region: "36", Status: []siaga.ShipmentStatus{siaga.ShipmentDeparted}}); got != 6 {
		t.Errorf("%d legs on the road at H-1, want 6", got)
	}
	if got := count(siaga.ShipmentFilter{Region: "36", Status: []siaga.ShipmentStatus{siaga.ShipmentPlanned}}); got != 3 {
		t.Errorf("%d legs not left at H-1, want 3", got)
	}
	sea, _, err := n.Shipments.List(ctx, siaga.ShipmentFilter{Sea: true})
	if err != nil || len(sea) != 2 {
		t.Fatalf("sea legs %d, %v", len(sea), err)
	}
	for _, sh := range sea {
		_, events, d, err := n.Shipments.Get(ctx, sh.ID)
		if err != nil || d == nil || sh.Status != siaga.ShipmentDelivered {
			t.Errorf("%s: %s, BTTB %v, %v", sh.Waybill, sh.Status, d, err)
		}
		held := 0
		for _, e := range events {
			if e.Kind == siaga.EventHeld {
				held++
			}
		}
		if want := map[string]int{tundaDesa: 0, panjangDesa: 1}[sh.To]; held != want {
			t.Errorf("%s: %d holds, want %d", sh.To, held, want)
		}
	}
	alerts, _, err := n.Shipments.Alerts(ctx, siaga.LogisticsAlertFilter{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[siaga.LogisticsAlertKind]int{}
	for _, a := range alerts {
		kinds[a.Kind]++
		if a.Kind == siaga.AlertDiscrepancy && !strings.HasPrefix(a.Region, fullKab) {
			t.Errorf("short delivery alerted to %s, not in Cilegon", a.Region)
		}
	}
	if kinds[siaga.AlertDiscrepancy] != 1 || kinds[siaga.AlertHold] != 1 {
		t.Errorf("alerts %v, want one discrepancy and one hold", kinds)
	}
	follow, _, err := n.Shipments.List(ctx, siaga.ShipmentFilter{Region: fullKab, Status: []siaga.ShipmentStatus{siaga.ShipmentDelivered}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, sh := range follow {
		if sh.FollowUpOf != "" {
			found = sh.Arrived != nil && sh.Arrived.In(wib).Day() == 13
		}
	}
	if !found {
		t.Error("no follow-up delivered on H-1")
	}
	start = time.Now()
	all, _, err := n.Shipments.List(ctx, siaga.ShipmentFilter{Region: "36"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the province's %d shipments read in %v", len(all), time.Since(start))
	// A kept folder is not played again.
	if err := logisticsShipments(ctx, n); err != nil {
		t.Fatal(err)
	}
	if got := count(siaga.ShipmentFilter{}); got != legs {
		t.Errorf("played twice: %d shipments", got)
	}
}
