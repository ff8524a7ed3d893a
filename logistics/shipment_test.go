package logistics_test

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/registry"
	"github.com/deskpemilu/siaga/sqlite"
)

var banten = sync.OnceValues(func() (*siaga.Registry, error) { return registry.Load("36", 1) })

// Places of the tests: Pulau Tunda's desa and first TPS, a mainland TPS of
// Kota Serang, and their PPK and warehouses.
const (
	tundaDesa = "3604132009" // Wargasara, Kec. Tirtayasa, on Pulau Tunda
	tundaTPS  = "3604132009001"
	tirtayasa = "360413"
	kabSerang = "3604"
	kotaTPS   = "3673011001001"
	kotaDesa  = "3673011001"
	kotaPPK   = "367301"
	kotaSer   = "3673"
)

type fixture struct {
	svc   *logistics.Shipments
	store siaga.Store
	now   time.Time
}

// newShipments is the service over a fresh SQLite store, Banten's
// registry and election, the islands list and a clock the test moves.
func newShipments(t testing.TB) *fixture {
	t.Helper()
	reg, err := banten()
	if err != nil {
		t.Fatal(err)
	}
	islands, err := registry.Islands()
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f := &fixture{store: store, now: time.Date(2024, 2, 5, 8, 0, 0, 0, siaga.WIB)}
	f.svc = logistics.NewShipments(logistics.ShipmentsConfig{Store: store, Registry: reg, Election: election.Banten2024(reg, 1),
		Islands: islands, Now: func() time.Time { return f.now }})
	return f
}

func wantErr(t testing.TB, err error, code, field string) {
	t.Helper()
	var e *siaga.Error
	if siaga.ErrorCode(err) != code {
		t.Fatalf("error %v: code %q, want %q", err, siaga.ErrorCode(err), code)
	}
	if code != "" && field != "" {
		if ok := asError(err, &e); !ok || e.Field != field {
			t.Fatalf("error %v: field %q, want %q", err, fieldOf(err), field)
		}
		if e.Message == "" || e.MessageEN == "" {
			t.Errorf("error %v is not bilingual", err)
		}
	}
}

func asError(err error, e **siaga.Error) bool {
	se, ok := err.(*siaga.Error)
	if ok {
		*e = se
	}
	return ok
}

func fieldOf(err error) string {
	if e, ok := err.(*siaga.Error); ok {
		return e.Field
	}
	return ""
}

func boxes(n int) siaga.Line { return siaga.Line{Item: siaga.ItemBox, Qty: n} }

func TestCreate(t *testing.T) {
	tunda := &siaga.SeaRoute{Port: "Pelabuhan Karangantu", Vessel: "KM Tunda Ekspress", CrossingM: 120, EscortBoat: "Kapal Ditpolairud"}
	tests := []struct {
		name  string
		sh    siaga.Shipment
		code  string
		field string
		check func(t *testing.T, sh siaga.Shipment)
	}{
		{name: "PPS to TPS", sh: siaga.Shipment{Waybill: "SJ/1", From: kotaDesa, To: kotaTPS, Mode: siaga.ModeMotorbike,
			Lines: []siaga.Line{boxes(5), {Item: siaga.ItemBallotDPRDProv, Qty: 250}}},
			check: func(t *testing.T, sh siaga.Shipment) {
				if sh.ID == "" || sh.Status != siaga.ShipmentPlanned || sh.Source != "web" || sh.CreatedBy != "user:1" {
					t.Errorf("defaults: %+v", sh)
				}
				if sh.Lines[1].Dapil != "BANTEN 11" {
					t.Errorf("ballot line without dapil got %q, want the destination's BANTEN 11", sh.Lines[1].Dapil)
				}
			}},
		{name: "unknown origin", sh: siaga.Shipment{Waybill: "SJ/2", From: "3699", To: "369901", Mode: siaga.ModeTruck, Lines: []siaga.Line{boxes(5)}},
			code: siaga.EInvalid, field: "from"},
		{name: "unknown TPS", sh: siaga.Shipment{Waybill: "SJ/2", From: kotaDesa, To: kotaDesa + "999", Mode: siaga.ModeTruck, Lines: []siaga.Line{boxes(5)}},
			code: siaga.EInvalid, field: "to"},
		{name: "up the chain", sh: siaga.Shipment{Waybill: "SJ/2", From: kotaPPK, To: kotaSer, Mode: siaga.ModeTruck, Lines: []siaga.Line{boxes(5)}},
			code: siaga.EInvalid, field: "to"},
		{name: "another branch", sh: siaga.Shipment{Waybill: "SJ/2", From: tirtayasa, To: kotaDesa, Mode: siaga.ModeTruck, Lines: []siaga.Line{boxes(5)}},
			code: siaga.EInvalid, field: "to"},
		{name: "skips a level on the mainland", sh: siaga.Shipment{Waybill: "SJ/2", From: kotaPPK, To: kotaTPS, Mode: siaga.ModeTruck, Lines: []siaga.Line{boxes(5)}},
			code: siaga.EInvalid, field: "to"},
		{name: "PPK straight to an island TPS", sh: siaga.Shipment{Waybill: "SJ/3", From: tirtayasa, To: tundaTPS, Mode: siaga.ModeBoat, Sea: tunda,
			Lines: []siaga.Line{boxes(5)}}},
		{name: "DPRD Provinsi Banten 3 lot to Pulau Tunda", sh: siaga.Shipment{Waybill: "SJ/4", From: tirtayasa, To: tundaTPS, Mode: siaga.ModeBoat, Sea: tunda,
			Lines: []siaga.Line{boxes(5), {Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 3", Qty: 250}}},
			code: siaga.EInvalid, field: "lines[1].dapil"},
		{name: "its own dapil", sh: siaga.Shipment{Waybill: "SJ/5", From: tirtayasa, To: tundaTPS, Mode: siaga.ModeBoat, Sea: tunda,
			Lines: []siaga.Line{{Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 6", Qty: 250}}}},
		{name: "presidential ballots have no dapil", sh: siaga.Shipment{Waybill: "SJ/6", From: kotaDesa, To: kotaTPS, Mode: siaga.ModeMotorbike,
			Lines: []siaga.Line{{Item: siaga.ItemBallotPPWP, Dapil: "BANTEN 11", Qty: 250}}}, code: siaga.EInvalid, field: "lines[0].dapil"},
		{name: "warehouse over several dapils needs one", sh: siaga.Shipment{Waybill: "SJ/7", From: "36", To: kabSerang, Mode: siaga.ModeTruck,
			Lines: []siaga.Line{{Item: siaga.ItemBallotDPRDProv, Qty: 1000}}}, code: siaga.EInvalid, field: "lines[0].dapil"},
		{name: "warehouse with a dapil of its own", sh: siaga.Shipment{Waybill: "SJ/8", From: "36", To: kabSerang, Mode: siaga.ModeTruck,
			Lines: []siaga.Line{{Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 7", Qty: 1000}}}},
		{name: "warehouse with another's dapil", sh: siaga.Shipment{Waybill: "SJ/9", From: "36", To: kabSerang, Mode: siaga.ModeTruck,
			Lines: []siaga.Line{{Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 3", Qty: 1000}}}, code: siaga.EInvalid, field: "lines[0].dapil"},
		{name: "unknown item", sh: siaga.Shipment{Waybill: "SJ/10", From: kotaDesa, To: kotaTPS, Mode: siaga.ModeTruck,
			Lines: []siaga.Line{{Item: "payung", Qty: 1}}}, code: siaga.EInvalid, field: "lines[0].item"},
		{name: "no quantity", sh: siaga.Shipment{Waybill: "SJ/10", From: kotaDesa, To: kotaTPS, Mode: siaga.ModeTruck,
			Lines: []siaga.Line{boxes(5), boxes(0)}}, code: siaga.EInvalid, field: "lines[1].qty"},
		{name: "a line twice", sh: siaga.Shipment{Waybill: "SJ/10", From: kotaDesa, To: kotaTPS, Mode: siaga.ModeTruck,
			Lines: []siaga.Line{boxes(5), boxes(1)}}, code: siaga.EInvalid, field: "lines[1]"},
		{name: "no lines", sh: siaga.Shipment{Waybill: "SJ/10", From: kotaDesa, To: kotaTPS, Mode: siaga.ModeTruck},
			code: siaga.EInvalid, field: "lines"},
		{name: "no waybill", sh: siaga.Shipment{From: kotaDesa, To: kotaTPS, Mode: siaga.ModeTruck, Lines: []siaga.Line{boxes(5)}},
			code: siaga.EInvalid, field: "waybill"},
		{name: "waybill taken", sh: siaga.Shipment{Waybill: "SJ/1", From: kotaDesa, To: kotaTPS, Mode: siaga.ModeTruck, Lines: []siaga.Line{boxes(5)}},
			code: siaga.EConflict},
		{name: "bad mode", sh: siaga.Shipment{Waybill: "SJ/11", From: kotaDesa, To: kotaTPS, Mode: "helikopter", Lines: []siaga.Line{boxes(5)}},
			code: siaga.EInvalid, field: "mode"},
		{name: "boat without its crossing", sh: siaga.Shipment{Waybill: "SJ/11", From: tirtayasa, To: tundaTPS, Mode: siaga.ModeBoat, Lines: []siaga.Line{boxes(5)}},
			code: siaga.EInvalid, field: "sea.port"},
		{name: "boat without vessel", sh: siaga.Shipment{Waybill: "SJ/11", From: tirtayasa, To: tundaTPS, Mode: siaga.ModeBoat,
			Sea: &siaga.SeaRoute{Port: "Karangantu", CrossingM: 120}, Lines: []siaga.Line{boxes(5)}}, code: siaga.EInvalid, field: "sea.vessel"},
		{name: "crossing by truck", sh: siaga.Shipment{Waybill: "SJ/11", From: tirtayasa, To: tundaTPS, Mode: siaga.ModeTruck, Sea: tunda,
			Lines: []siaga.Line{boxes(5)}}, code: siaga.EInvalid, field: "mode"},
		{name: "arrives before it leaves", sh: siaga.Shipment{Waybill: "SJ/12", From: kotaDesa, To: kotaTPS, Mode: siaga.ModeTruck, Lines: []siaga.Line{boxes(5)},
			PlannedDeparture: time.Date(2024, 2, 13, 7, 0, 0, 0, siaga.WIB), PlannedArrival: time.Date(2024, 2, 12, 7, 0, 0, 0, siaga.WIB)},
			code: siaga.EInvalid, field: "planned_arrival"},
	}
	f := newShipments(t)
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh, err := f.svc.Create(ctx, tt.sh, "user:1")
			wantErr(t, err, tt.code, tt.field)
			if err != nil {
				return
			}
			stored, err := f.store.Shipment(ctx, sh.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(sh.Lines, stored.Lines); diff != "" || stored.Waybill != tt.sh.Waybill {
				t.Errorf("stored %+v (-returned +stored lines):\n%s", stored, diff)
			}
			if tt.check != nil {
				tt.check(t, sh)
			}
		})
	}
}

// TestItemsOfTheBOM: a waybill carries the items of the bill of materials
// the node counts with, an item a BOM file adds among them, and nothing
// else.
func TestItemsOfTheBOM(t *testing.T) {
	bom := logistics.DefaultBOM()
	bom.PerTPS = append(bom.PerTPS, siaga.Line{Item: "genset", Qty: 1})
	for _, tc := range []struct {
		name string
		bom  *logistics.BOM
		want string
	}{{"the default", nil, siaga.EInvalid}, {"a BOM with a generator", bom, ""}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newShipments(t)
			reg, _ := banten()
			svc := logistics.NewShipments(logistics.ShipmentsConfig{Store: f.store, Registry: reg, Election: election.Banten2024(reg, 1),
				BOM: tc.bom, Now: func() time.Time { return f.now }})
			if !slices.Contains(svc.Items(), siaga.ItemInk) || !slices.Contains(svc.Items(), logistics.ItemPlasticSeal) {
				t.Errorf("items %v lack the default's", svc.Items())
			}
			_, err := svc.Create(context.Background(), siaga.Shipment{Waybill: "SJ/G", From: kotaDesa, To: kotaTPS, Mode: siaga.ModeTruck,
				Lines: []siaga.Line{{Item: "genset", Qty: 1}}}, "user:1")
			if siaga.ErrorCode(err) != tc.want {
				t.Errorf("a generator on the waybill: %v, want code %q", err, tc.want)
			}
		})
	}
}

func TestDefaultPlan(t *testing.T) {
	wib := func(day, hour, min int) time.Time { return time.Date(2024, 2, day, hour, min, 0, 0, siaga.WIB) }
	tunda := &siaga.SeaRoute{Port: "Pelabuhan Karangantu", Vessel: "KM Tunda Ekspress", CrossingM: 120}
	tests := []struct {
		name      string
		sh        siaga.Shipment
		dep, arr  time.Time
		onIsland  bool
		islandFor string
	}{
		{"mainland TPS leaves on H-1", siaga.Shipment{From: kotaDesa, To: kotaTPS, Mode: siaga.ModeMotorbike}, wib(13, 7, 0), wib(13, 9, 0), false, kotaTPS},
		{"PPS on H-2", siaga.Shipment{From: kotaPPK, To: kotaDesa, Mode: siaga.ModeMinibus}, wib(12, 7, 0), wib(12, 11, 0), false, ""},
		{"PPK on H-4", siaga.Shipment{From: kotaSer, To: kotaPPK, Mode: siaga.ModeTruck}, wib(10, 7, 0), wib(10, 13, 0), false, ""},
		{"warehouse on H-7", siaga.Shipment{From: "36", To: kotaSer, Mode: siaga.ModeTruck}, wib(7, 7, 0), wib(7, 13, 0), false, ""},
		{"island TPS two days earlier, by boat", siaga.Shipment{From: tirtayasa, To: tundaTPS, Mode: siaga.ModeBoat, Sea: tunda},
			wib(11, 7, 0), wib(11, 11, 0), true, tundaTPS},
		{"island PPS two days earlier", siaga.Shipment{From: tirtayasa, To: tundaDesa, Mode: siaga.ModeBoat, Sea: tunda},
			wib(10, 7, 0), wib(10, 11, 0), true, tundaDesa},
		{"a plan given is kept", siaga.Shipment{From: kotaDesa, To: kotaTPS, Mode: siaga.ModeOnFoot, PlannedDeparture: wib(12, 15, 30)},
			wib(12, 15, 30), wib(12, 18, 30), false, ""},
	}
	f := newShipments(t)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.sh.Waybill, tt.sh.Lines = "SJ/P"+string(rune('A'+i)), []siaga.Line{boxes(5)}
			sh, err := f.svc.Create(context.Background(), tt.sh, "user:1")
			if err != nil {
				t.Fatal(err)
			}
			if !sh.PlannedDeparture.Equal(tt.dep) || !sh.PlannedArrival.Equal(tt.arr) {
				t.Errorf("plan %v → %v, want %v → %v", sh.PlannedDeparture, sh.PlannedArrival, tt.dep, tt.arr)
			}
			if tt.islandFor != "" {
				if _, ok := f.svc.Island(tt.islandFor); ok != tt.onIsland {
					t.Errorf("Island(%s) = %v, want %v", tt.islandFor, ok, tt.onIsland)
				}
			}
		})
	}
}

func TestIsland(t *testing.T) {
	f := newShipments(t)
	for _, tt := range []struct {
		code, name string
	}{
		{"3604132009", "Pulau Tunda"}, {"3604132009004", "Pulau Tunda"},
		{"3604082009", "Pulau Panjang"}, {"3604082009008", "Pulau Panjang"},
		{"3604082001", ""}, {kotaTPS, ""},
	} {
		isl, ok := f.svc.Island(tt.code)
		if ok != (tt.name != "") || isl.Name != tt.name {
			t.Errorf("Island(%s) = %q, %v; want %q", tt.code, isl.Name, ok, tt.name)
		}
	}
}

// planned stores a truck shipment from Kota Serang's PPK to one of its
// desa.
func (f *fixture) planned(t testing.TB, waybill string, lines ...siaga.Line) siaga.Shipment {
	t.Helper()
	if len(lines) == 0 {
		lines = []siaga.Line{boxes(20)}
	}
	sh, err := f.svc.Create(context.Background(), siaga.Shipment{Waybill: waybill, From: kotaPPK, To: kotaDesa, Mode: siaga.ModeTruck,
		Escort: "Polres Serang Kota", Lines: lines}, "user:1")
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func TestRecord(t *testing.T) {
	at := time.Date(2024, 2, 5, 7, 0, 0, 0, siaga.WIB)
	newDep := time.Date(2024, 2, 12, 9, 0, 0, 0, siaga.WIB)
	ev := func(kind siaga.ShipmentEventKind) siaga.ShipmentEvent { return siaga.ShipmentEvent{Kind: kind, At: at} }
	hold := siaga.ShipmentEvent{Kind: siaga.EventHeld, At: at, Reason: "gelombang 2,5 m", NewDeparture: &newDep}
	tests := []struct {
		name   string
		events []siaga.ShipmentEvent
		status siaga.ShipmentStatus
		code   string // of the last event
		field  string
	}{
		{"departs", []siaga.ShipmentEvent{ev(siaga.EventDeparted)}, siaga.ShipmentDeparted, "", ""},
		{"positions", []siaga.ShipmentEvent{ev(siaga.EventDeparted), ev(siaga.EventPosition), ev(siaga.EventPosition)}, siaga.ShipmentDeparted, "", ""},
		{"arrives", []siaga.ShipmentEvent{ev(siaga.EventDeparted), ev(siaga.EventArrived)}, siaga.ShipmentArrived, "", ""},
		{"held and resumed", []siaga.ShipmentEvent{ev(siaga.EventDeparted), hold, ev(siaga.EventResumed), ev(siaga.EventArrived)}, siaga.ShipmentArrived, "", ""},
		{"held in port", []siaga.ShipmentEvent{hold}, siaga.ShipmentHeld, "", ""},
		{"cancelled in transit", []siaga.ShipmentEvent{ev(siaga.EventDeparted), ev(siaga.EventCancelled)}, siaga.ShipmentCancelled, "", ""},
		{"not arrived before leaving", []siaga.ShipmentEvent{ev(siaga.EventArrived)}, siaga.ShipmentPlanned, siaga.EConflict, "kind"},
		{"no position while held", []siaga.ShipmentEvent{hold, ev(siaga.EventPosition)}, siaga.ShipmentHeld, siaga.EConflict, "kind"},
		{"not cancelled after arrival", []siaga.ShipmentEvent{ev(siaga.EventDeparted), ev(siaga.EventArrived), ev(siaga.EventCancelled)},
			siaga.ShipmentArrived, siaga.EConflict, "kind"},
		{"not resumed unless held", []siaga.ShipmentEvent{ev(siaga.EventDeparted), ev(siaga.EventResumed)}, siaga.ShipmentDeparted, siaga.EConflict, "kind"},
		{"a hold needs its reason", []siaga.ShipmentEvent{{Kind: siaga.EventHeld, At: at, NewDeparture: &newDep}}, siaga.ShipmentPlanned, siaga.EInvalid, "reason"},
		{"a hold needs a new plan", []siaga.ShipmentEvent{{Kind: siaga.EventHeld, At: at, Reason: "ombak"}}, siaga.ShipmentPlanned, siaga.EInvalid, "new_departure"},
		{"unknown kind", []siaga.ShipmentEvent{ev("terbang")}, siaga.ShipmentPlanned, siaga.EInvalid, "kind"},
		{"in the future", []siaga.ShipmentEvent{{Kind: siaga.EventDeparted, At: at.Add(48 * time.Hour)}}, siaga.ShipmentPlanned, siaga.EInvalid, "at"},
	}
	f := newShipments(t)
	ctx := context.Background()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh := f.planned(t, "SJ/R"+string(rune('A'+i)))
			var err error
			for j, e := range tt.events {
				e.Shipment = sh.ID
				_, err = f.svc.Record(ctx, e)
				if j < len(tt.events)-1 && err != nil {
					t.Fatalf("event %d (%s): %v", j, e.Kind, err)
				}
			}
			wantErr(t, err, tt.code, tt.field)
			got, _, _, err := f.svc.Get(ctx, sh.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tt.status {
				t.Errorf("status %s, want %s", got.Status, tt.status)
			}
		})
	}
}

func TestHold(t *testing.T) {
	f := newShipments(t)
	ctx := context.Background()
	sh := f.planned(t, "SJ/H")
	at := time.Date(2024, 2, 5, 8, 30, 0, 0, siaga.WIB)
	f.now = at.Add(time.Minute)
	newDep := time.Date(2024, 2, 12, 9, 0, 0, 0, siaga.WIB)
	hold := siaga.ShipmentEvent{ID: "hold-1", Shipment: sh.ID, Kind: siaga.EventHeld, At: at, Reason: "gelombang 2,5 m",
		NewDeparture: &newDep, By: "user:2"}
	held, err := f.svc.Record(ctx, hold)
	if err != nil {
		t.Fatal(err)
	}
	if !held.PlannedDeparture.Equal(newDep) || !held.PlannedArrival.Equal(newDep.Add(6*time.Hour)) || !held.LastEvent.Equal(at) {
		t.Errorf("held: plan %v → %v, last event %v", held.PlannedDeparture, held.PlannedArrival, held.LastEvent)
	}
	// The same event from the outbox again: the same shipment, one event,
	// one alert.
	f.now = f.now.Add(time.Hour)
	again, err := f.svc.Record(ctx, hold)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(held, again); diff != "" {
		t.Errorf("replay (-first +replay):\n%s", diff)
	}
	other := hold
	other.Reason = "angin"
	_, err = f.svc.Record(ctx, other)
	wantErr(t, err, siaga.EConflict, "id")

	alerts, total, err := f.svc.Alerts(ctx, siaga.LogisticsAlertFilter{Region: kotaPPK})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || alerts[0].Kind != siaga.AlertHold || alerts[0].Region != kotaPPK || !strings.Contains(alerts[0].Text, "gelombang 2,5 m") {
		t.Fatalf("alerts to the sender: %d %+v", total, alerts)
	}
	_, events, _, err := f.svc.Get(ctx, sh.ID)
	if err != nil || len(events) != 1 {
		t.Fatalf("events %v, %v; want the one hold", events, err)
	}
	if err := f.svc.Acknowledge(ctx, alerts[0].ID, "user:3"); err != nil {
		t.Fatal(err)
	}
	if _, open, _ := f.svc.Alerts(ctx, siaga.LogisticsAlertFilter{Region: kotaPPK, Open: true}); open != 0 {
		t.Errorf("%d open alerts after acknowledging", open)
	}
	wantErr(t, f.svc.Acknowledge(ctx, 999, "user:3"), siaga.ENotFound, "id")
}

// TestDiscrepancy is a shipment's life with a short delivery: departed,
// arrived, counted short and damaged; the sender is alerted and a
// follow-up shipment carries the shortfall.
func TestDiscrepancy(t *testing.T) {
	f := newShipments(t)
	ctx := context.Background()
	ballots := siaga.Line{Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 11", Qty: 2500}
	sh := f.planned(t, "SJ/0042", boxes(20), ballots)
	dep := time.Date(2024, 2, 5, 7, 0, 0, 0, siaga.WIB)
	if _, err := f.svc.Record(ctx, siaga.ShipmentEvent{Shipment: sh.ID, Kind: siaga.EventDeparted, At: dep}); err != nil {
		t.Fatal(err)
	}
	arr := dep.Add(45 * time.Minute)
	d := siaga.Delivery{ID: "bttb-1", Shipment: sh.ID, Receiver: "Ketua PPS", ReceivedAt: arr, By: "user:5",
		Lines: []siaga.DeliveryLine{{Item: siaga.ItemBox, Counted: 20}, {Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 11", Counted: 2380, Damaged: 20}}}
	got, follow, err := f.svc.Deliver(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != siaga.ShipmentDelivered || got.Arrived == nil || !got.Arrived.Equal(arr) {
		t.Errorf("delivered: %s, arrived %v", got.Status, got.Arrived)
	}
	want := []siaga.Line{{Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 11", Qty: 120}}
	if len(follow) != 1 || follow[0].Waybill != "SJ/0042-S1" || follow[0].FollowUpOf != sh.ID || follow[0].From != kotaPPK ||
		follow[0].To != kotaDesa || follow[0].Escort != sh.Escort || follow[0].Status != siaga.ShipmentPlanned {
		t.Fatalf("follow-up: %+v", follow)
	}
	if diff := cmp.Diff(want, follow[0].Lines); diff != "" {
		t.Errorf("follow-up lines (-want +got):\n%s", diff)
	}
	stored, err := f.store.Shipment(ctx, follow[0].ID)
	if err != nil || stored.Waybill != "SJ/0042-S1" {
		t.Fatalf("follow-up stored: %+v, %v", stored, err)
	}
	alerts, total, err := f.svc.Alerts(ctx, siaga.LogisticsAlertFilter{Region: kotaPPK, Kind: siaga.AlertDiscrepancy})
	if err != nil || total != 1 {
		t.Fatalf("discrepancy alerts %d, %v", total, err)
	}
	for _, s := range []string{"surat_suara_dprd_prov BANTEN 11", "2500", "2380", "rusak 20", "SJ/0042-S1"} {
		if !strings.Contains(alerts[0].Text, s) {
			t.Errorf("alert %q does not name %q", alerts[0].Text, s)
		}
	}
	_, events, stored2, err := f.svc.Get(ctx, sh.ID)
	if err != nil || stored2 == nil || stored2.Lines[1].Sent != 2500 {
		t.Fatalf("delivery stored: %+v, %v", stored2, err)
	}
	if len(events) != 2 || events[1].Kind != siaga.EventArrived || !events[1].At.Equal(arr) {
		t.Errorf("events %+v, want the departure and the arrival the BTTB implies", events)
	}

	// The same BTTB again gives the same answer and stores nothing more.
	f.now = f.now.Add(time.Hour)
	again, follow2, err := f.svc.Deliver(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, again); diff != "" || len(follow2) != 1 || follow2[0].ID != follow[0].ID {
		t.Errorf("replay differs (-first +replay):\n%s %+v", diff, follow2)
	}
	if _, total, _ := f.svc.Alerts(ctx, siaga.LogisticsAlertFilter{}); total != 1 {
		t.Errorf("alerts after replay = %d, want 1", total)
	}
	other := d
	other.ID = "bttb-2"
	_, _, err = f.svc.Deliver(ctx, other)
	wantErr(t, err, siaga.EConflict, "id")

	// The follow-up arrives whole: no alert, no further follow-up.
	full := siaga.Delivery{Shipment: follow[0].ID, Receiver: "Ketua PPS", Lines: []siaga.DeliveryLine{{Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 11", Counted: 120}}}
	done, more, err := f.svc.Deliver(ctx, full)
	if err != nil || len(more) != 0 || done.Status != siaga.ShipmentDelivered {
		t.Fatalf("follow-up delivered: %s %v %v", done.Status, more, err)
	}
	_, events, _, _ = f.svc.Get(ctx, follow[0].ID)
	if len(events) != 1 || events[0].Kind != siaga.EventArrived {
		t.Errorf("a delivery of a shipment not arrived records its arrival: %+v", events)
	}
}

func TestDeliverRefused(t *testing.T) {
	f := newShipments(t)
	ctx := context.Background()
	sh := f.planned(t, "SJ/D", boxes(20))
	line := func(item siaga.Item, dapil string, counted int) siaga.DeliveryLine {
		return siaga.DeliveryLine{Item: item, Dapil: dapil, Counted: counted}
	}
	cancelled := f.planned(t, "SJ/C", boxes(20))
	if _, err := f.svc.Record(ctx, siaga.ShipmentEvent{Shipment: cancelled.ID, Kind: siaga.EventCancelled}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		d     siaga.Delivery
		code  string
		field string
	}{
		{"not on the waybill", siaga.Delivery{Shipment: sh.ID, Receiver: "X", Lines: []siaga.DeliveryLine{line(siaga.ItemBox, "", 20), line(siaga.ItemInk, "", 2)}},
			siaga.EInvalid, "lines[1].item"},
		{"wrong dapil is not the line", siaga.Delivery{Shipment: sh.ID, Receiver: "X", Lines: []siaga.DeliveryLine{line(siaga.ItemBox, "BANTEN 3", 20)}},
			siaga.EInvalid, "lines[0].item"},
		{"a line not counted", siaga.Delivery{Shipment: sh.ID, Receiver: "X"}, siaga.EInvalid, "lines"},
		{"more than sent", siaga.Delivery{Shipment: sh.ID, Receiver: "X", Lines: []siaga.DeliveryLine{line(siaga.ItemBox, "", 21)}},
			siaga.EInvalid, "lines[0].counted"},
		{"no receiver", siaga.Delivery{Shipment: sh.ID, Lines: []siaga.DeliveryLine{line(siaga.ItemBox, "", 20)}}, siaga.EInvalid, "receiver"},
		{"photo not uploaded", siaga.Delivery{Shipment: sh.ID, Receiver: "X", Lines: []siaga.DeliveryLine{line(siaga.ItemBox, "", 20)},
			Photos: []string{"ab"}}, siaga.EInvalid, "photos[0]"},
		{"cancelled", siaga.Delivery{Shipment: cancelled.ID, Receiver: "X", Lines: []siaga.DeliveryLine{line(siaga.ItemBox, "", 20)}},
			siaga.EConflict, "shipment"},
		{"unknown shipment", siaga.Delivery{Shipment: "nope", Receiver: "X"}, siaga.ENotFound, "shipment"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.svc.Deliver(ctx, tt.d)
			wantErr(t, err, tt.code, tt.field)
		})
	}
	if got, _ := f.store.Shipment(ctx, sh.ID); got.Status != siaga.ShipmentPlanned {
		t.Errorf("a refused delivery changed the shipment: %s", got.Status)
	}
}

func TestSavePhoto(t *testing.T) {
	f := newShipments(t)
	ctx := context.Background()
	png := []byte("\x89PNG\r\n\x1a\n....")
	for _, tt := range []struct {
		name string
		data []byte
		code string
		typ  string
	}{
		{"png", png, "", "image/png"},
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 1, 2}, "", "image/jpeg"},
		{"gif", []byte("GIF89a...."), siaga.EInvalid, ""},
		{"empty", nil, siaga.EInvalid, ""},
		{"over 1 MiB", append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, 1<<20)...), siaga.ETooLarge, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sha, err := f.svc.SavePhoto(ctx, tt.data, "user:1")
			wantErr(t, err, tt.code, "photo")
			if err != nil {
				return
			}
			p, err := f.store.LogisticsPhoto(ctx, sha)
			if err != nil || p.Type != tt.typ || !bytes.Equal(p.Data, tt.data) || len(sha) != 64 {
				t.Errorf("stored %s %s, %v", sha, p.Type, err)
			}
		})
	}
}
