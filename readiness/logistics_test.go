package readiness_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/readiness"
	"github.com/deskpemilu/siaga/registry"
	"github.com/deskpemilu/siaga/sqlite"
)

// board is the logistics board as readiness reads it: the node's adapter
// (node/open.go, boardLayer), restated here since readiness's tests must
// not import the node.
type board struct{ *logistics.Board }

func (b board) EachKit(ctx context.Context, region string, q readiness.LogisticsQuery, fn func(tps, status string)) error {
	return b.Board.EachKit(ctx, region, q.At, logistics.BoardFilter{Item: q.Item, Contest: q.Contest},
		func(t *siaga.TPS, k logistics.KitStatus) { fn(t.Code, string(k)) })
}

func (b board) InTransit(ctx context.Context, region string, q readiness.LogisticsQuery, limit int) ([]readiness.Leg, int, error) {
	states, n, err := b.Moving(ctx, region, q.At, logistics.BoardFilter{Item: q.Item, Contest: q.Contest}, limit)
	legs := make([]readiness.Leg, len(states))
	for i, s := range states {
		legs[i] = readiness.Leg{Shipment: *s.Shipment, Status: s.Status, Reason: s.Reason, Late: s.Late, Stalled: s.Stalled, LastEvent: s.LastEvent}
	}
	return legs, n, err
}

// TestKitLayer: the Logistik layer counts the TPS by the board's kit
// status for a region and its children, walks them in code order with
// their points, and lists the legs on their way; without the board it is
// absent.
func TestKitLayer(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	reg := testRegistry()
	idx := registry.NewIndex(reg)
	b := logistics.NewBoard(logistics.BoardConfig{Store: db, TPS: reg.TPS, Regions: idx, VotingDay: "2024-02-14", Now: func() time.Time { return now }})
	svc := readiness.New(readiness.Config{TPS: reg.TPS, Regions: idx, Logistics: board{b}})
	at := now.Add(-24 * time.Hour)
	legs := []siaga.Shipment{
		{ID: "a", Waybill: "SJ/A", From: "3604012005", To: "3604012005002", Lines: []siaga.Line{{Item: siaga.ItemBox, Qty: 5}}},
		{ID: "b", Waybill: "SJ/B", From: "3602", To: "360201", Lines: []siaga.Line{{Item: siaga.ItemBooth, Qty: 8}}, Mode: siaga.ModeBoat},
		{ID: "c", Waybill: "SJ/C", From: "3674031007", To: "3674031007072", Lines: []siaga.Line{{Item: siaga.ItemInk, Qty: 2}}},
	}
	for i := range legs {
		if legs[i].Mode == "" {
			legs[i].Mode = siaga.ModeTruck
		}
		legs[i].PlannedDeparture, legs[i].PlannedArrival, legs[i].Status, legs[i].Source, legs[i].CreatedAt = at, now.Add(time.Hour), siaga.ShipmentPlanned, "test", at
	}
	if err := db.SaveShipments(ctx, legs); err != nil {
		t.Fatal(err)
	}
	for _, e := range []siaga.ShipmentEvent{
		{ID: "e1", Shipment: "a", Kind: siaga.EventHeld, At: at, Reason: "banjir"},
		{ID: "e2", Shipment: "b", Kind: siaga.EventDeparted, At: at},
	} {
		e.Source, e.RecordedAt = "test", e.At
		sh, _ := db.Shipment(ctx, e.Shipment)
		if err := db.AddShipmentEvent(ctx, e, sh, nil); err != nil {
			t.Fatal(err)
		}
	}
	q := readiness.LogisticsQuery{At: now}
	banten, _ := idx.Region("36")
	total, children, err := svc.KitSummary(ctx, banten, q)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]int{"36": total.Kits}
	for _, c := range children {
		got[c.Code] = c.Kits
	}
	want := map[string]map[string]int{
		"36":   {"belum": 8, "tertahan": 1, "direncanakan": 1},
		"3602": {"belum": 2},
		"3604": {"belum": 5, "tertahan": 1},
		"3674": {"belum": 1, "direncanakan": 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("kits by region (-want +got):\n%s", diff)
	}
	var walked []string
	err = svc.EachKit(ctx, "3604012005", q, func(t readiness.KitTPS) error {
		if t.Point == "" {
			return nil
		}
		walked = append(walked, t.Code[10:]+"="+t.Kit)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"001=belum", "002=tertahan", "003=belum", "004=belum", "005=belum", "006=belum"}, walked); diff != "" {
		t.Errorf("the desa's TPS (-want +got):\n%s", diff)
	}
	moving, n, err := svc.InTransit(ctx, "36", q, 0)
	if err != nil || n != 2 || len(moving) != 2 || moving[0].Shipment.ID != "b" || moving[1].Status != siaga.ShipmentHeld || moving[1].Reason != "banjir" {
		t.Errorf("in transit: %v, %d, %+v", err, n, moving)
	}

	absent := readiness.New(readiness.Config{TPS: reg.TPS, Regions: idx})
	calls := 0
	if err := absent.EachKit(ctx, "", q, func(readiness.KitTPS) error { calls++; return nil }); err != nil || calls != 0 || absent.HasLogistics() {
		t.Errorf("without the board: %v, %d calls, has %v", err, calls, absent.HasLogistics())
	}
}
