package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// shipment is a waybill from a warehouse or an office to to.
func shipment(id, waybill, from, to string, lines ...siaga.Line) siaga.Shipment {
	return siaga.Shipment{ID: id, Waybill: waybill, From: from, To: to, Lines: lines, Mode: siaga.ModeTruck,
		Escort: "Polres Serang", EscortContact: "0812 0000 0001",
		PlannedDeparture: t0, PlannedArrival: t0.Add(3 * time.Hour), Status: siaga.ShipmentPlanned,
		LastEvent: t0, Source: "web", CreatedBy: "user:1", CreatedAt: t0}
}

func testShipments(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	boxes := siaga.Line{Item: siaga.ItemBox, Qty: 5}
	ballots := siaga.Line{Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 3", Qty: 300}
	a := shipment("a", "SJ/001", "3604", "360413", boxes, ballots)
	b := shipment("b", "SJ/002", "360413", "3604132009", boxes)
	b.Mode = siaga.ModeBoat
	b.Sea = &siaga.SeaRoute{Port: "Pelabuhan Karangantu", Vessel: "KM Tunda Ekspress", CrossingM: 120, EscortBoat: "Kapal Ditpolairud"}
	c := shipment("c", "SJ/003", "3673", "367301", siaga.Line{Item: siaga.ItemInk, Qty: 2})
	c.Status = siaga.ShipmentDelivered
	dep := t0.Add(time.Hour)
	c.Departed, c.Arrived = &dep, &dep
	c.Escort, c.EscortContact = "", ""
	must(t, s.SaveShipments(ctx, []siaga.Shipment{a, b, c}, siaga.AuditEvent{At: t0, Actor: "user:1", Action: "logistics.import"}))

	// Replaced by its waybill: the ID is found and kept.
	a2 := a
	a2.ID, a2.Lines = "", []siaga.Line{{Item: siaga.ItemBox, Qty: 6}, ballots}
	ss := []siaga.Shipment{a2}
	must(t, s.SaveShipments(ctx, ss))
	if ss[0].ID != "a" {
		t.Errorf("replaced by waybill: ID = %q, want a", ss[0].ID)
	}
	a2.ID = "a"
	got, err := s.Shipment(ctx, "a")
	must(t, err)
	if diff := cmp.Diff(a2, got); diff != "" {
		t.Errorf("Shipment after replace (-want +got):\n%s", diff)
	}
	// A new one without ID gets one.
	d := shipment("", "SJ/004", "32", "3201", boxes) // outside Banten, where the filters look
	ss = []siaga.Shipment{d}
	must(t, s.SaveShipments(ctx, ss))
	if ss[0].ID == "" {
		t.Error("new shipment without ID: no ID set")
	}
	d.ID = ss[0].ID
	// A waybill of another shipment is a conflict, and the whole call
	// stores nothing.
	clash := shipment("x", "SJ/002", "3604", "360401", boxes)
	e := shipment("e", "SJ/005", "3604", "360401", boxes)
	wantCode(t, s.SaveShipments(ctx, []siaga.Shipment{e, clash}), siaga.EConflict)
	_, err = s.Shipment(ctx, "e")
	wantCode(t, err, siaga.ENotFound)
	_, err = s.Shipment(ctx, "nope")
	wantCode(t, err, siaga.ENotFound)

	ids := func(list []siaga.Shipment) []string {
		out := []string{}
		for _, s := range list {
			out = append(out, s.Waybill)
		}
		return out
	}
	filters := []struct {
		name  string
		f     siaga.ShipmentFilter
		want  []string
		total int
	}{
		{"province", siaga.ShipmentFilter{Region: "36"}, []string{"SJ/001", "SJ/002", "SJ/003"}, 3},
		{"region", siaga.ShipmentFilter{Region: "3604"}, []string{"SJ/001", "SJ/002"}, 2},
		{"region below", siaga.ShipmentFilter{Region: "360413"}, []string{"SJ/001", "SJ/002"}, 2},
		{"status", siaga.ShipmentFilter{Status: []siaga.ShipmentStatus{siaga.ShipmentDelivered, siaga.ShipmentHeld}}, []string{"SJ/003"}, 1},
		{"item", siaga.ShipmentFilter{Item: siaga.ItemBallotDPRDProv}, []string{"SJ/001"}, 1},
		{"item is not a pattern", siaga.ShipmentFilter{Item: "surat%suara%dprd%prov"}, []string{}, 0},
		{"sea", siaga.ShipmentFilter{Sea: true}, []string{"SJ/002"}, 1},
		{"first page", siaga.ShipmentFilter{Region: "36", Limit: 2}, []string{"SJ/001", "SJ/002"}, 3},
		{"next page", siaga.ShipmentFilter{Region: "36", Limit: 2, After: "b"}, []string{"SJ/003"}, 3},
		{"bad region", siaga.ShipmentFilter{Region: "36%"}, []string{}, 0},
	}
	for _, tt := range filters {
		t.Run(tt.name, func(t *testing.T) {
			page, total, err := s.Shipments(ctx, tt.f)
			must(t, err)
			if diff := cmp.Diff(tt.want, ids(page)); diff != "" || total != tt.total {
				t.Errorf("Shipments(%+v): total %d, want %d; (-want +got):\n%s", tt.f, total, tt.total, diff)
			}
		})
	}
	page, _, err := s.Shipments(ctx, siaga.ShipmentFilter{Sea: true})
	must(t, err)
	if diff := cmp.Diff([]siaga.Shipment{b}, page); diff != "" {
		t.Errorf("sea shipment as stored (-want +got):\n%s", diff)
	}
	if _, total, err := s.Shipments(ctx, siaga.ShipmentFilter{}); err != nil || total != 4 {
		t.Errorf("Shipments(all): total %d, %v; want 4", total, err)
	}
	got, err = s.Shipment(ctx, d.ID)
	must(t, err)
	if diff := cmp.Diff(d, got); diff != "" {
		t.Errorf("new shipment (-want +got):\n%s", diff)
	}
}

func testShipmentEvents(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	a := shipment("a", "SJ/001", "3604", "360413", siaga.Line{Item: siaga.ItemBox, Qty: 5})
	b := shipment("b", "SJ/002", "3673", "367301", siaga.Line{Item: siaga.ItemBox, Qty: 5})
	must(t, s.SaveShipments(ctx, []siaga.Shipment{a, b}))

	dep := t0.Add(time.Hour)
	left := siaga.ShipmentEvent{ID: "ev1", Shipment: "a", Kind: siaga.EventDeparted, At: dep, Place: "Gudang KPU Serang",
		Lat: -6.1, Lon: 106.1, Source: "web", By: "user:1", RecordedAt: dep}
	a1 := a
	a1.Status, a1.Departed, a1.LastEvent = siaga.ShipmentDeparted, &dep, dep
	must(t, s.AddShipmentEvent(ctx, left, a1, nil, siaga.AuditEvent{At: dep, Actor: "user:1", Action: "logistics.event"}))

	newDep, newArr := t0.Add(24*time.Hour), t0.Add(26*time.Hour)
	hold := siaga.ShipmentEvent{ID: "ev2", Shipment: "a", Kind: siaga.EventHeld, At: t0.Add(2 * time.Hour),
		Reason: "gelombang 2,5 m", NewDeparture: &newDep, NewArrival: &newArr, Source: "lapangan", By: "user:2",
		RecordedAt: t0.Add(2 * time.Hour)}
	a2 := a1
	a2.Status, a2.LastEvent, a2.PlannedDeparture, a2.PlannedArrival = siaga.ShipmentHeld, hold.At, newDep, newArr
	alert := siaga.LogisticsAlert{Kind: siaga.AlertHold, Region: "3604", Ref: "shipment:a", Text: "tertahan", EN: "held", At: hold.At}
	must(t, s.AddShipmentEvent(ctx, hold, a2, []siaga.LogisticsAlert{alert}))

	// A replay is the same event even relayed by another source later;
	// it changes nothing, not even the shipment it carries.
	replay := hold
	replay.Source, replay.RecordedAt = "web", t0.Add(5*time.Hour)
	stale := a1
	must(t, s.AddShipmentEvent(ctx, replay, stale, []siaga.LogisticsAlert{alert}))
	// Another event under the same ID is a conflict.
	other := hold
	other.Reason = "angin"
	wantCode(t, s.AddShipmentEvent(ctx, other, stale, nil), siaga.EConflict)
	// An event of an unknown shipment stores nothing.
	lost := siaga.ShipmentEvent{ID: "ev3", Shipment: "nope", Kind: siaga.EventDeparted, At: dep}
	if err := s.AddShipmentEvent(ctx, lost, siaga.Shipment{ID: "nope", Waybill: "SJ/X"}, nil); err == nil {
		t.Error("event of an unknown shipment stored")
	}

	got, err := s.Shipment(ctx, "a")
	must(t, err)
	if diff := cmp.Diff(a2, got); diff != "" {
		t.Errorf("shipment after hold and replay (-want +got):\n%s", diff)
	}
	events, err := s.ShipmentEvents(ctx, "a")
	must(t, err)
	if diff := cmp.Diff([]siaga.ShipmentEvent{left, hold}, events); diff != "" {
		t.Errorf("ShipmentEvents (-want +got):\n%s", diff)
	}
	arrived := siaga.ShipmentEvent{ID: "ev4", Shipment: "b", Kind: siaga.EventDeparted, At: t0, RecordedAt: t0}
	must(t, s.AddShipmentEvent(ctx, arrived, b, nil))
	for _, tt := range []struct {
		region string
		want   []string
	}{{"36", []string{"ev4", "ev1", "ev2"}}, {"3604", []string{"ev1", "ev2"}}, {"3673", []string{"ev4"}}, {"31", nil}} {
		var seen []string
		must(t, s.EachShipmentEvent(ctx, tt.region, func(e *siaga.ShipmentEvent) error {
			seen = append(seen, e.ID)
			return nil
		}))
		if diff := cmp.Diff(tt.want, seen); diff != "" {
			t.Errorf("EachShipmentEvent(%s) (-want +got):\n%s", tt.region, diff)
		}
	}
	alerts, total, err := s.LogisticsAlerts(ctx, siaga.LogisticsAlertFilter{})
	must(t, err)
	if total != 1 || len(alerts) != 1 || alerts[0].Kind != siaga.AlertHold {
		t.Errorf("alerts after a hold and its replay: %d %+v, want the one hold alert", total, alerts)
	}
}

func testDeliveries(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	a := shipment("a", "SJ/001", "360413", "3604132009001",
		siaga.Line{Item: siaga.ItemBox, Qty: 5}, siaga.Line{Item: siaga.ItemBallotDPR, Dapil: "BANTEN II", Qty: 300})
	taken := shipment("t", "SJ/001-S1", "3604", "360401", siaga.Line{Item: siaga.ItemBox, Qty: 1})
	must(t, s.SaveShipments(ctx, []siaga.Shipment{a, taken}))

	at := t0.Add(5 * time.Hour)
	d := siaga.Delivery{ID: "d1", Shipment: "a", Receiver: "Ketua KPPS", ReceivedAt: at,
		Lines: []siaga.DeliveryLine{{Item: siaga.ItemBox, Sent: 5, Counted: 5},
			{Item: siaga.ItemBallotDPR, Dapil: "BANTEN II", Sent: 300, Counted: 280, Damaged: 20}},
		Photos: []string{"abc"}, Source: "lapangan", By: "device:1", RecordedAt: at}
	delivered := a
	delivered.Status, delivered.Arrived, delivered.LastEvent = siaga.ShipmentDelivered, &at, at
	alert := siaga.LogisticsAlert{Kind: siaga.AlertDiscrepancy, Region: "360413", TPS: "3604132009001", Ref: "shipment:a",
		Text: "kurang 20", EN: "short 20", At: at}
	follow := shipment("f", "SJ/001-S1", "360413", "3604132009001", siaga.Line{Item: siaga.ItemBallotDPR, Dapil: "BANTEN II", Qty: 20})
	follow.FollowUpOf = "a"

	// The follow-up's waybill is taken: the whole delivery fails and
	// nothing of it is stored, not its alert, not the shipment's state.
	wantCode(t, s.AddDelivery(ctx, d, delivered, []siaga.LogisticsAlert{alert}, []siaga.Shipment{follow}), siaga.EConflict)
	_, err := s.Delivery(ctx, "a")
	wantCode(t, err, siaga.ENotFound)
	if got, _ := s.Shipment(ctx, "a"); got.Status != siaga.ShipmentPlanned {
		t.Errorf("failed delivery changed the shipment: %s", got.Status)
	}
	if _, total, _ := s.LogisticsAlerts(ctx, siaga.LogisticsAlertFilter{}); total != 0 {
		t.Errorf("failed delivery stored %d alerts", total)
	}

	taken.Waybill = "SJ/900"
	must(t, s.SaveShipments(ctx, []siaga.Shipment{taken}))
	must(t, s.AddDelivery(ctx, d, delivered, []siaga.LogisticsAlert{alert}, []siaga.Shipment{follow},
		siaga.AuditEvent{At: at, Actor: "device:1", Action: "logistics.delivery"}))
	got, err := s.Delivery(ctx, "a")
	must(t, err)
	if diff := cmp.Diff(d, got); diff != "" {
		t.Errorf("Delivery (-want +got):\n%s", diff)
	}
	sh, err := s.Shipment(ctx, "a")
	must(t, err)
	if diff := cmp.Diff(delivered, sh); diff != "" {
		t.Errorf("delivered shipment (-want +got):\n%s", diff)
	}
	f, err := s.Shipment(ctx, "f")
	must(t, err)
	if diff := cmp.Diff(follow, f); diff != "" {
		t.Errorf("follow-up (-want +got):\n%s", diff)
	}

	// The same delivery again changes nothing; another one conflicts.
	replay := d
	replay.RecordedAt, replay.Source = at.Add(time.Hour), "web"
	must(t, s.AddDelivery(ctx, replay, delivered, []siaga.LogisticsAlert{alert}, nil))
	other := d
	other.ID = "d2"
	wantCode(t, s.AddDelivery(ctx, other, delivered, nil, nil), siaga.EConflict)
	changed := d
	changed.Lines = []siaga.DeliveryLine{{Item: siaga.ItemBox, Sent: 5, Counted: 4}}
	wantCode(t, s.AddDelivery(ctx, changed, delivered, nil, nil), siaga.EConflict)
	if _, total, _ := s.LogisticsAlerts(ctx, siaga.LogisticsAlertFilter{}); total != 1 {
		t.Errorf("alerts after replays = %d, want 1", total)
	}

	for _, tt := range []struct {
		region string
		want   int
	}{{"36", 1}, {"3604132009", 1}, {"3673", 0}} {
		list, err := s.Deliveries(ctx, tt.region)
		must(t, err)
		if len(list) != tt.want {
			t.Errorf("Deliveries(%s) = %d, want %d", tt.region, len(list), tt.want)
		}
	}
}

func testLogisticsAlerts(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	alerts := []siaga.LogisticsAlert{
		{Kind: siaga.AlertDiscrepancy, Region: "3604", Ref: "shipment:a", Text: "kurang", EN: "short", At: t0},
		{Kind: siaga.AlertHold, Region: "360413", Ref: "shipment:b", Text: "tertahan", EN: "held", At: t0},
		{Kind: siaga.AlertSeal, Region: "360413", Role: siaga.RoleBawaslu, TPS: "3604132009001", Ref: "handover:h",
			Text: "segel rusak", EN: "broken seal", At: t0},
		{Kind: siaga.AlertDiscrepancy, Region: "3673", Ref: "shipment:c", Text: "kurang", EN: "short", At: t0},
	}
	must(t, s.AddLogisticsAlerts(ctx, alerts))
	for i, a := range alerts {
		if a.ID == 0 || (i > 0 && a.ID <= alerts[i-1].ID) {
			t.Fatalf("alert IDs not set in order: %+v", alerts)
		}
	}
	at := t0.Add(time.Hour)
	must(t, s.AcknowledgeLogisticsAlert(ctx, alerts[1].ID, "user:7", at,
		siaga.AuditEvent{At: at, Actor: "user:7", Action: "logistics.ack"}))
	// A second acknowledgement keeps the first.
	must(t, s.AcknowledgeLogisticsAlert(ctx, alerts[1].ID, "user:8", at.Add(time.Hour)))
	wantCode(t, s.AcknowledgeLogisticsAlert(ctx, 9999, "user:7", at), siaga.ENotFound)
	acked := alerts[1]
	acked.AcknowledgedBy, acked.AcknowledgedAt = "user:7", &at

	tests := []struct {
		name  string
		f     siaga.LogisticsAlertFilter
		want  []siaga.LogisticsAlert
		total int
	}{
		{"all newest first", siaga.LogisticsAlertFilter{}, []siaga.LogisticsAlert{alerts[3], alerts[2], acked, alerts[0]}, 4},
		{"region", siaga.LogisticsAlertFilter{Region: "3604"}, []siaga.LogisticsAlert{alerts[2], acked, alerts[0]}, 3},
		{"kind", siaga.LogisticsAlertFilter{Kind: siaga.AlertDiscrepancy}, []siaga.LogisticsAlert{alerts[3], alerts[0]}, 2},
		{"open", siaga.LogisticsAlertFilter{Region: "3604", Open: true}, []siaga.LogisticsAlert{alerts[2], alerts[0]}, 2},
		{"role ppk", siaga.LogisticsAlertFilter{Region: "360413", Role: siaga.RolePPK}, []siaga.LogisticsAlert{acked}, 1},
		{"role bawaslu", siaga.LogisticsAlertFilter{Region: "360413", Role: siaga.RoleBawaslu}, []siaga.LogisticsAlert{alerts[2], acked}, 2},
		{"page", siaga.LogisticsAlertFilter{Limit: 2}, []siaga.LogisticsAlert{alerts[3], alerts[2]}, 4},
		{"next page", siaga.LogisticsAlertFilter{Limit: 2, Before: alerts[2].ID}, []siaga.LogisticsAlert{acked, alerts[0]}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.LogisticsAlerts(ctx, tt.f)
			must(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" || total != tt.total {
				t.Errorf("LogisticsAlerts(%+v): total %d, want %d (-want +got):\n%s", tt.f, total, tt.total, diff)
			}
		})
	}
}

func testLogisticsPhotos(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	p := siaga.LogisticsPhoto{SHA256: "ab12", Type: "image/png", Data: []byte("\x89PNG..."), By: "user:1", At: t0}
	must(t, s.SaveLogisticsPhoto(ctx, p))
	again := p
	again.By, again.At = "user:2", t0.Add(time.Hour)
	must(t, s.SaveLogisticsPhoto(ctx, again)) // the same photo is stored once
	got, err := s.LogisticsPhoto(ctx, "ab12")
	must(t, err)
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("LogisticsPhoto (-want +got):\n%s", diff)
	}
	_, err = s.LogisticsPhoto(ctx, "cd34")
	wantCode(t, err, siaga.ENotFound)
}

func testImportShipments(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	a := shipment("", "SJ/001", "360413", "3604132009001", siaga.Line{Item: siaga.ItemBox, Qty: 5})
	b := shipment("", "SJ/002", "360413", "3604132009002", siaga.Line{Item: siaga.ItemBox, Qty: 5})
	a.Status, b.Status = siaga.ShipmentDelivered, siaga.ShipmentDelivered
	ss := []siaga.Shipment{a, b}
	ds := []siaga.Delivery{
		{ID: "import:SJ/001", Shipment: "will be set", Receiver: "KPPS 1", ReceivedAt: t0,
			Lines: []siaga.DeliveryLine{{Item: siaga.ItemBox, Sent: 5, Counted: 4}}, Source: "import"},
	}
	alert := siaga.LogisticsAlert{Kind: siaga.AlertDiscrepancy, Region: "360413", Ref: "shipment:SJ/001", Text: "kurang", EN: "short", At: t0}
	// A delivery of a shipment that is not there stores nothing, not even
	// the shipments.
	wantCode(t, s.ImportShipments(ctx, ss, []siaga.Delivery{{ID: "x", Shipment: "nope", Lines: ds[0].Lines}}, nil), siaga.EInvalid)
	if _, total, _ := s.Shipments(ctx, siaga.ShipmentFilter{}); total != 0 {
		t.Fatalf("failed import stored %d shipments", total)
	}
	// IDs are the store's: the service names them before the call.
	ss[0].ID, ss[1].ID = "a", "b"
	ds[0].Shipment = "a"
	must(t, s.ImportShipments(ctx, ss, ds, []siaga.LogisticsAlert{alert}, siaga.AuditEvent{At: t0, Actor: "cli", Action: siaga.AuditShipmentSave}))
	got, err := s.Delivery(ctx, "a")
	must(t, err)
	if diff := cmp.Diff(ds[0], got); diff != "" {
		t.Errorf("imported delivery (-want +got):\n%s", diff)
	}
	// The same file again: the same delivery is kept; another is refused.
	must(t, s.ImportShipments(ctx, ss, ds, nil))
	other := ds[0]
	other.Lines = []siaga.DeliveryLine{{Item: siaga.ItemBox, Sent: 5, Counted: 5}}
	wantCode(t, s.ImportShipments(ctx, ss, []siaga.Delivery{other}, nil), siaga.EConflict)
	if _, total, _ := s.LogisticsAlerts(ctx, siaga.LogisticsAlertFilter{}); total != 1 {
		t.Errorf("alerts = %d, want 1", total)
	}
}
