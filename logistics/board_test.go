package logistics

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// wib is a moment of February 2024 in WIB.
func wib(day, hour, minute int) time.Time {
	return time.Date(2024, time.February, day, hour, minute, 0, 0, siaga.WIB)
}

func ptr[T any](v T) *T { return &v }

// A TPS of 250 voters in dapil BANTEN 3 of DPRD Provinsi needs 250 + ⌈2% ×
// 250⌉ = 255 ballots and 5 boxes (cut to two lines for hand-working).
var kitNeed = []siaga.Line{
	{Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 3", Qty: 255},
	{Item: siaga.ItemBox, Qty: 5},
}

// kitShipment is a PPS → TPS leg of the whole kit, created on 10 Feb,
// planned 12 Feb 08:00 → 10:00.
func kitShipment(id string, lines ...siaga.Line) siaga.Shipment {
	if lines == nil {
		lines = kitNeed
	}
	return siaga.Shipment{ID: id, From: "3604132009", To: "3604132009001", Lines: lines, Mode: siaga.ModeMinibus,
		PlannedDeparture: wib(12, 8, 0), PlannedArrival: wib(12, 10, 0), CreatedAt: wib(10, 9, 0)}
}

func ev(kind siaga.ShipmentEventKind, at time.Time) siaga.ShipmentEvent {
	return siaga.ShipmentEvent{Kind: kind, At: at}
}

// delivered is a BTTB received at 12 Feb 11:00 counting ballots (of dapil)
// and boxes.
func delivered(dapil string, ballots, boxes int) *siaga.Delivery {
	return &siaga.Delivery{ReceivedAt: wib(12, 11, 0), Lines: []siaga.DeliveryLine{
		{Item: siaga.ItemBallotDPRDProv, Dapil: dapil, Sent: 255, Counted: ballots},
		{Item: siaga.ItemBox, Sent: 5, Counted: boxes},
	}}
}

type legCase struct {
	sh     siaga.Shipment
	events []siaga.ShipmentEvent
	d      *siaga.Delivery
}

func TestKit(t *testing.T) {
	noon := wib(12, 12, 0)
	departed := []siaga.ShipmentEvent{ev(siaga.EventDeparted, wib(12, 8, 0))}
	onTime := kitShipment("a")
	onTime.PlannedArrival = wib(12, 18, 0)
	followUp := kitShipment("b", siaga.Line{Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 3", Qty: 5})
	followUp.PlannedArrival = wib(13, 10, 0)
	boxes := kitShipment("c", siaga.Line{Item: siaga.ItemBox, Qty: 5})
	ballots := kitShipment("d", siaga.Line{Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 3", Qty: 255})
	later := kitShipment("e")
	later.CreatedAt = wib(12, 13, 0)
	tests := []struct {
		name string
		legs []legCase
		keep siaga.Item
		want KitStatus
	}{
		{"nothing shipped", nil, "", KitNone},
		{"only a cancelled one", []legCase{{kitShipment("a"), []siaga.ShipmentEvent{ev(siaga.EventCancelled, wib(11, 9, 0))}, nil}}, "", KitNone},
		{"created after the moment", []legCase{{later, nil, nil}}, "", KitNone},
		{"planned, arrival tomorrow", []legCase{{followUp, nil, nil}}, "", KitPlanned},
		{"planned, arrival passed, never left", []legCase{{kitShipment("a"), nil, nil}}, "", KitLate},
		{"departed, arrival at 18:00", []legCase{{onTime, departed, nil}}, "", KitInTransit},
		{"departed, arrival at 10:00 passed", []legCase{{kitShipment("a"), departed, nil}}, "", KitLate},
		{"held at the port", []legCase{{onTime, append(departed, siaga.ShipmentEvent{Kind: siaga.EventHeld, At: wib(12, 9, 0), Reason: "gelombang 2,5 m"}), nil}}, "", KitHeld},
		{"held, new plan tomorrow, resumed", []legCase{{kitShipment("a"), append(departed,
			siaga.ShipmentEvent{Kind: siaga.EventHeld, At: wib(12, 9, 0), NewArrival: ptr(wib(13, 10, 0))},
			ev(siaga.EventResumed, wib(12, 11, 0))), nil}}, "", KitInTransit},
		{"arrived, not counted yet", []legCase{{kitShipment("a"), append(departed, ev(siaga.EventArrived, wib(12, 10, 30))), nil}}, "", KitInTransit},
		{"delivered whole: 255 ballots of BANTEN 3 and 5 boxes", []legCase{{kitShipment("a"), departed, delivered("BANTEN 3", 255, 5)}}, "", KitComplete},
		{"delivered more than needed", []legCase{{kitShipment("a"), departed, delivered("BANTEN 3", 260, 6)}}, "", KitComplete},
		{"delivered 250 of 255 ballots", []legCase{{kitShipment("a"), departed, delivered("BANTEN 3", 250, 5)}}, "", KitShort},
		{"delivered ballots of BANTEN 2", []legCase{{kitShipment("a"), departed, delivered("BANTEN 2", 255, 5)}}, "", KitShort},
		{"short, its follow-up on the way", []legCase{{kitShipment("a"), departed, delivered("BANTEN 3", 250, 5)},
			{followUp, []siaga.ShipmentEvent{ev(siaga.EventDeparted, wib(12, 11, 30))}, nil}}, "", KitInTransit},
		{"short, its follow-up held", []legCase{{kitShipment("a"), departed, delivered("BANTEN 3", 250, 5)},
			{followUp, []siaga.ShipmentEvent{ev(siaga.EventHeld, wib(12, 11, 30))}, nil}}, "", KitHeld},
		{"short, a follow-up too small", []legCase{{kitShipment("a"), departed, delivered("BANTEN 3", 240, 5)},
			{followUp, nil, nil}}, "", KitShort},
		{"delivery after the moment is not seen", []legCase{{onTime, departed, &siaga.Delivery{ReceivedAt: wib(12, 13, 0)}}}, "", KitInTransit},
		{"boxes in, ballots late", []legCase{{boxes, departed, &siaga.Delivery{ReceivedAt: wib(12, 10, 0), Lines: []siaga.DeliveryLine{{Item: siaga.ItemBox, Sent: 5, Counted: 5}}}},
			{ballots, departed, nil}}, "", KitLate},
		{"boxes in, filtered to boxes", []legCase{{boxes, departed, &siaga.Delivery{ReceivedAt: wib(12, 10, 0), Lines: []siaga.DeliveryLine{{Item: siaga.ItemBox, Sent: 5, Counted: 5}}}},
			{ballots, departed, nil}}, siaga.ItemBox, KitComplete},
		{"boxes on the way, filtered to ballots", []legCase{{boxes, departed, nil}}, siaga.ItemBallotDPRDProv, KitNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var states []ShipmentState
			for _, l := range tc.legs {
				states = append(states, StateAt(&l.sh, l.events, l.d, noon))
			}
			keep, err := BoardFilter{Item: tc.keep}.keep()
			if err != nil {
				t.Fatal(err)
			}
			if got := Kit(kitNeed, states, keep); got != tc.want {
				t.Errorf("Kit = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestStateAt(t *testing.T) {
	road := kitShipment("a") // 08:00 → 10:00: a leg of 2 hours
	sea := kitShipment("s")
	sea.PlannedArrival = wib(12, 9, 0) // an hour on the plan, but the crossing takes 2
	sea.Sea = &siaga.SeaRoute{Port: "Pelabuhan Karangantu", Vessel: "KM Tunda Ekspress", CrossingM: 120}
	moved := []siaga.ShipmentEvent{ev(siaga.EventDeparted, wib(12, 8, 0)), ev(siaga.EventPosition, wib(12, 9, 0))}
	type got struct {
		Status         siaga.ShipmentStatus
		Late, Stalled  bool
		LastEvent      time.Time
		PlannedArrival time.Time
	}
	tests := []struct {
		name   string
		sh     siaga.Shipment
		events []siaga.ShipmentEvent
		at     time.Time
		want   got
	}{
		{"before departure", road, moved, wib(12, 7, 0), got{siaga.ShipmentPlanned, false, false, wib(10, 9, 0), wib(12, 10, 0)}},
		{"moving, on time", road, moved, wib(12, 9, 30), got{siaga.ShipmentDeparted, false, false, wib(12, 9, 0), wib(12, 10, 0)}},
		// 11:00 − 09:00 = 2 h: not longer than the leg.
		{"late, silent for as long as the leg", road, moved, wib(12, 11, 0), got{siaga.ShipmentDeparted, true, false, wib(12, 9, 0), wib(12, 10, 0)}},
		{"late and stalled", road, moved, wib(12, 11, 1), got{siaga.ShipmentDeparted, true, true, wib(12, 9, 0), wib(12, 10, 0)}},
		// 10:45 − 09:00 = 1 h 45 < the 2 h crossing, though > the 1 h plan.
		{"at sea within the crossing", sea, moved, wib(12, 10, 45), got{siaga.ShipmentDeparted, true, false, wib(12, 9, 0), wib(12, 9, 0)}},
		{"at sea past the crossing", sea, moved, wib(12, 11, 30), got{siaga.ShipmentDeparted, true, true, wib(12, 9, 0), wib(12, 9, 0)}},
		{"held: neither late nor stalled, new plan", road, append(moved, siaga.ShipmentEvent{Kind: siaga.EventHeld, At: wib(12, 9, 30), NewArrival: ptr(wib(13, 10, 0))}),
			wib(12, 20, 0), got{siaga.ShipmentHeld, false, false, wib(12, 9, 30), wib(13, 10, 0)}},
		{"arrived", road, append(moved, ev(siaga.EventArrived, wib(12, 10, 0))), wib(12, 20, 0), got{siaga.ShipmentArrived, false, false, wib(12, 10, 0), wib(12, 10, 0)}},
		{"events out of order", road, []siaga.ShipmentEvent{ev(siaga.EventArrived, wib(12, 10, 0)), ev(siaga.EventDeparted, wib(12, 8, 0))}, wib(12, 20, 0),
			got{siaga.ShipmentArrived, false, false, wib(12, 10, 0), wib(12, 10, 0)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := StateAt(&tc.sh, tc.events, nil, tc.at)
			g := got{s.Status, s.Late, s.Stalled, s.LastEvent, s.PlannedArrival}
			if diff := cmp.Diff(tc.want, g); diff != "" {
				t.Errorf("StateAt (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCountdownAt(t *testing.T) {
	tests := []struct {
		at   time.Time
		day  int
		text string
	}{
		{wib(10, 19, 0), -4, "H-4, 2 hari 5 jam lagi menuju H-1"},
		{wib(11, 19, 0), -3, "H-3, 1 hari 5 jam lagi menuju H-1"},
		{wib(11, 0, 0), -3, "H-3, 2 hari 0 jam lagi menuju H-1"},
		{wib(12, 23, 30), -2, "H-2, 0 hari 0 jam lagi menuju H-1"},
		{wib(13, 8, 0), -1, "H-1: hari terakhir sebelum pemungutan suara"},
		{wib(14, 23, 59), 0, "Hari H: pemungutan suara hari ini"},
		{wib(16, 1, 0), 2, "H+2: pemungutan suara sudah berlangsung (2024-02-14)"},
		// 13 Feb 23:00 UTC is already 14 Feb in WIB.
		{time.Date(2024, 2, 13, 23, 0, 0, 0, time.UTC), 0, "Hari H: pemungutan suara hari ini"},
	}
	for _, tc := range tests {
		t.Run(tc.at.String(), func(t *testing.T) {
			c := CountdownAt(tc.at, "2024-02-14")
			if c.Day != tc.day || c.Text != tc.text {
				t.Errorf("CountdownAt = %d %q, want %d %q", c.Day, c.Text, tc.day, tc.text)
			}
		})
	}
}
