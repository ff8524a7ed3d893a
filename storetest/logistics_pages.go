package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// testShipmentPageFilters: the shipment list page's filters (mode, a
// piece of the waybill in any case, late at a moment, the follow-ups of
// a shipment) are applied in the
// store, with the total and the cursor as for the other filters.
func testShipmentPageFilters(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	boxes := siaga.Line{Item: siaga.ItemBox, Qty: 5}
	truck := shipment("p1", "SJ/3604/Tirta_0001", "3604", "360413", boxes) // arrives t0+3h
	boat := shipment("p2", "sj/3604/tirta%0002", "360413", "3604132009", boxes)
	boat.Mode = siaga.ModeBoat
	boat.Sea = &siaga.SeaRoute{Port: "Pelabuhan Karangantu", Vessel: "KM Tunda Ekspress", CrossingM: 120}
	arrived := shipment("p3", "SJ/3604/0003", "3604", "360401", boxes)
	at := t0.Add(time.Hour)
	arrived.Departed, arrived.Arrived, arrived.Status = &at, &at, siaga.ShipmentArrived
	later := shipment("p4", "SJ/3604/0004", "3604", "360402", boxes)
	later.PlannedArrival = t0.Add(48 * time.Hour)
	cancelled := shipment("p5", "SJ/3604/0005", "3604", "360403", boxes)
	cancelled.Status = siaga.ShipmentCancelled
	later.FollowUpOf = "p1"
	must(t, s.SaveShipments(ctx, []siaga.Shipment{truck, boat, arrived, later, cancelled}))

	for _, tc := range []struct {
		name  string
		f     siaga.ShipmentFilter
		want  []string
		total int
	}{
		{"mode", siaga.ShipmentFilter{Mode: siaga.ModeBoat}, []string{"p2"}, 1},
		{"waybill any case", siaga.ShipmentFilter{Waybill: "TIRTA"}, []string{"p1", "p2"}, 2},
		{"waybill wildcards are text", siaga.ShipmentFilter{Waybill: "a_0"}, []string{"p1"}, 1},
		{"waybill percent is text", siaga.ShipmentFilter{Waybill: "%"}, []string{"p2"}, 1},
		{"late at t0+4h", siaga.ShipmentFilter{LateAt: t0.Add(4 * time.Hour)}, []string{"p1", "p2"}, 2},
		{"late before any plan", siaga.ShipmentFilter{LateAt: t0}, []string{}, 0},
		{"late, by boat, in a region", siaga.ShipmentFilter{Region: "360413", LateAt: t0.Add(4 * time.Hour), Mode: siaga.ModeBoat},
			[]string{"p2"}, 1},
		{"follow-ups", siaga.ShipmentFilter{FollowUpOf: "p1"}, []string{"p4"}, 1},
		{"late, paged", siaga.ShipmentFilter{LateAt: t0.Add(72 * time.Hour), After: "p1", Limit: 1}, []string{"p2"}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, total, err := s.Shipments(ctx, tc.f)
			must(t, err)
			got := []string{}
			for _, sh := range page {
				got = append(got, sh.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" || total != tc.total {
				t.Errorf("ids (-want +got):\n%s total %d, want %d", diff, total, tc.total)
			}
		})
	}
}
