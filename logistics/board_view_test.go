package logistics_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/registry"
	"github.com/deskpemilu/siaga/sqlite"
)

func wib(day, hour int) time.Time {
	return time.Date(2024, time.February, day, hour, 0, 0, 0, siaga.WIB)
}

// boardRegistry: two TPS in Desa Wargasara (Serang; Pulau Tunda's desa)
// and two in a desa of Pandeglang.
func boardRegistry() *siaga.Registry {
	reg := &siaga.Registry{Regions: []siaga.Region{
		{Code: "36", Level: siaga.LevelProvince, Name: "BANTEN"},
		{Code: "3601", Parent: "36", Level: siaga.LevelKabKota, Name: "PANDEGLANG"},
		{Code: "3604", Parent: "36", Level: siaga.LevelKabKota, Name: "SERANG"},
		{Code: "360101", Parent: "3601", Level: siaga.LevelKecamatan, Name: "SUMUR"},
		{Code: "360413", Parent: "3604", Level: siaga.LevelKecamatan, Name: "TIRTAYASA"},
		{Code: "3601012001", Parent: "360101", Level: siaga.LevelDesa, Name: "TAMANJAYA"},
		{Code: "3604132009", Parent: "360413", Level: siaga.LevelDesa, Name: "WARGASARA"},
	}}
	for _, c := range []string{"3601012001001", "3601012001002", "3604132009001", "3604132009002"} {
		reg.TPS = append(reg.TPS, siaga.TPS{Code: c, Desa: c[:10], Number: int(c[12] - '0'), DPT: 200})
	}
	return reg
}

// boardBOM: 200 voters need 200 + ⌈2% × 200⌉ = 204 DPRD Provinsi ballots
// (no election index here: no dapil) and 5 boxes.
func boardBOM() *logistics.BOM {
	return &logistics.BOM{Ballots: []siaga.Contest{siaga.DPRDProv}, ReservePercent: 2,
		PerTPS: []siaga.Line{{Item: siaga.ItemBox, Qty: 5}}}
}

var kit = []siaga.Line{{Item: siaga.ItemBallotDPRDProv, Qty: 204}, {Item: siaga.ItemBox, Qty: 5}}

func leg(id, from, to string, lines []siaga.Line) siaga.Shipment {
	return siaga.Shipment{ID: id, Waybill: "SJ-" + id, From: from, To: to, Lines: lines, Mode: siaga.ModeMinibus,
		PlannedDeparture: wib(12, 8), PlannedArrival: wib(12, 10), Status: siaga.ShipmentPlanned,
		LastEvent: wib(10, 9), Source: "test", CreatedAt: wib(10, 9)}
}

// fillBoard stores, as of 12 Feb 12:00: 3604132009001 delivered whole;
// 3604132009002 delivered 200 of its 204 ballots; 3601012001001 departed
// at 08:00, late and silent since (stalled); 3601012001002 held; the
// PPK leg to Sumur late too.
func fillBoard(t testing.TB, db *sqlite.DB) {
	ctx := context.Background()
	ships := []siaga.Shipment{
		leg("s1", "3604132009", "3604132009001", kit),
		leg("s2", "3604132009", "3604132009002", kit),
		leg("s3", "3601012001", "3601012001001", kit),
		leg("s4", "3601012001", "3601012001002", kit),
		leg("s5", "3601", "360101", []siaga.Line{{Item: siaga.ItemBox, Qty: 10}}),
	}
	if err := db.SaveShipments(ctx, ships); err != nil {
		t.Fatal(err)
	}
	event := func(id, ship string, kind siaga.ShipmentEventKind, at time.Time) {
		t.Helper()
		sh, err := db.Shipment(ctx, ship)
		if err != nil {
			t.Fatal(err)
		}
		e := siaga.ShipmentEvent{ID: id, Shipment: ship, Kind: kind, At: at, Source: "test", RecordedAt: at}
		if kind == siaga.EventHeld {
			e.Reason = "gelombang 2,5 m"
		}
		if err := db.AddShipmentEvent(ctx, e, sh, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []string{"s1", "s2", "s3", "s4", "s5"} {
		event("e-"+s, s, siaga.EventDeparted, wib(12, 8))
	}
	event("e-s4-held", "s4", siaga.EventHeld, wib(12, 9))
	deliver := func(ship string, ballots int) {
		t.Helper()
		sh, err := db.Shipment(ctx, ship)
		if err != nil {
			t.Fatal(err)
		}
		d := siaga.Delivery{ID: "d-" + ship, Shipment: ship, Receiver: "Ketua KPPS", ReceivedAt: wib(12, 10), Source: "test", RecordedAt: wib(12, 10),
			Lines: []siaga.DeliveryLine{{Item: siaga.ItemBallotDPRDProv, Sent: 204, Counted: ballots}, {Item: siaga.ItemBox, Sent: 5, Counted: 5}}}
		if err := db.AddDelivery(ctx, d, sh, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	deliver("s1", 204)
	deliver("s2", 200)
}

func newBoard(t testing.TB) (*logistics.Board, *sqlite.DB) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	reg := boardRegistry()
	b := logistics.NewBoard(logistics.BoardConfig{Store: db, TPS: reg.TPS, Regions: registry.NewIndex(reg), BOM: boardBOM(),
		VotingDay: "2024-02-14", Now: func() time.Time { return wib(12, 12) }})
	return b, db
}

// counts are a row's counts by status, only those not zero.
func counts(c logistics.KitCounts) map[logistics.KitStatus]int {
	out := map[logistics.KitStatus]int{}
	for i, n := range c {
		if n > 0 {
			out[logistics.KitStatuses[i]] = n
		}
	}
	return out
}

type rowSum struct {
	Code     string
	TPS      int
	Complete int
	Counts   map[logistics.KitStatus]int
	Status   logistics.KitStatus
}

func sums(v *logistics.BoardView) []rowSum {
	out := []rowSum{{v.Total.Code, v.Total.TPS, v.Total.Complete, counts(v.Total.Counts), ""}}
	for _, c := range v.Children {
		out = append(out, rowSum{c.Code, c.TPS, c.Complete, counts(c.Counts), c.Status})
	}
	return out
}

func lists(v *logistics.BoardView) map[logistics.BoardList][]string {
	out := map[logistics.BoardList][]string{}
	for name, p := range v.Lists {
		for _, s := range p.Items {
			out[name] = append(out[name], s.Shipment.ID)
		}
	}
	return out
}

func TestBoardOf(t *testing.T) {
	b, db := newBoard(t)
	fillBoard(t, db)
	ctx := context.Background()
	tests := []struct {
		name   string
		region string
		q      logistics.BoardQuery
		rows   []rowSum
		lists  map[logistics.BoardList][]string
	}{
		{"province now", "36", logistics.BoardQuery{}, []rowSum{
			{"36", 4, 1, map[logistics.KitStatus]int{logistics.KitHeld: 1, logistics.KitLate: 1, logistics.KitShort: 1, logistics.KitComplete: 1}, ""},
			{"3601", 2, 0, map[logistics.KitStatus]int{logistics.KitHeld: 1, logistics.KitLate: 1}, ""},
			{"3604", 2, 1, map[logistics.KitStatus]int{logistics.KitShort: 1, logistics.KitComplete: 1}, ""},
		}, map[logistics.BoardList][]string{
			logistics.ListLate: {"s5", "s3"}, logistics.ListShort: {"s2"}, logistics.ListHeld: {"s4"}, logistics.ListStalled: {"s5", "s3"},
		}},
		{"boxes only: the short delivery had all its boxes", "36", logistics.BoardQuery{BoardFilter: logistics.BoardFilter{Item: siaga.ItemBox}}, []rowSum{
			{"36", 4, 2, map[logistics.KitStatus]int{logistics.KitHeld: 1, logistics.KitLate: 1, logistics.KitComplete: 2}, ""},
			{"3601", 2, 0, map[logistics.KitStatus]int{logistics.KitHeld: 1, logistics.KitLate: 1}, ""},
			{"3604", 2, 2, map[logistics.KitStatus]int{logistics.KitComplete: 2}, ""},
		}, map[logistics.BoardList][]string{logistics.ListLate: {"s5", "s3"}, logistics.ListHeld: {"s4"}, logistics.ListStalled: {"s5", "s3"}}},
		{"DPRD Provinsi ballots: the PPK leg carries none", "36", logistics.BoardQuery{BoardFilter: logistics.BoardFilter{Contest: siaga.DPRDProv}}, []rowSum{
			{"36", 4, 1, map[logistics.KitStatus]int{logistics.KitHeld: 1, logistics.KitLate: 1, logistics.KitShort: 1, logistics.KitComplete: 1}, ""},
			{"3601", 2, 0, map[logistics.KitStatus]int{logistics.KitHeld: 1, logistics.KitLate: 1}, ""},
			{"3604", 2, 1, map[logistics.KitStatus]int{logistics.KitShort: 1, logistics.KitComplete: 1}, ""},
		}, map[logistics.BoardList][]string{logistics.ListLate: {"s3"}, logistics.ListShort: {"s2"}, logistics.ListHeld: {"s4"}, logistics.ListStalled: {"s3"}}},
		{"the day before: all planned", "36", logistics.BoardQuery{At: wib(11, 12)}, []rowSum{
			{"36", 4, 0, map[logistics.KitStatus]int{logistics.KitPlanned: 4}, ""},
			{"3601", 2, 0, map[logistics.KitStatus]int{logistics.KitPlanned: 2}, ""},
			{"3604", 2, 0, map[logistics.KitStatus]int{logistics.KitPlanned: 2}, ""},
		}, map[logistics.BoardList][]string{}},
		{"a desa: one row per TPS", "3604132009", logistics.BoardQuery{}, []rowSum{
			{"3604132009", 2, 1, map[logistics.KitStatus]int{logistics.KitShort: 1, logistics.KitComplete: 1}, ""},
			{"3604132009001", 1, 1, map[logistics.KitStatus]int{logistics.KitComplete: 1}, logistics.KitComplete},
			{"3604132009002", 1, 0, map[logistics.KitStatus]int{logistics.KitShort: 1}, logistics.KitShort},
		}, map[logistics.BoardList][]string{logistics.ListShort: {"s2"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := b.Of(ctx, tc.region, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.rows, sums(v)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.lists, lists(v)); diff != "" {
				t.Errorf("lists (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("share and countdown", func(t *testing.T) {
		v, err := b.Of(ctx, "36", logistics.BoardQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if v.Total.Share() != 0.25 || v.Countdown.Text != "H-2, 0 hari 12 jam lagi menuju H-1" {
			t.Errorf("share %v, countdown %q", v.Total.Share(), v.Countdown.Text)
		}
	})
	t.Run("paged: N of M with a cursor", func(t *testing.T) {
		var got []string
		after := ""
		for range 3 {
			v, err := b.Of(ctx, "36", logistics.BoardQuery{Limit: 1, After: map[logistics.BoardList]string{logistics.ListLate: after}})
			if err != nil {
				t.Fatal(err)
			}
			p := v.Lists[logistics.ListLate]
			if p.Total != 2 || len(p.Items) != 1 {
				t.Fatalf("page after %q: %d items of %d", after, len(p.Items), p.Total)
			}
			got = append(got, p.Items[0].Shipment.ID)
			if after = p.Next; after == "" {
				break
			}
		}
		if diff := cmp.Diff([]string{"s5", "s3"}, got); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
	})
	t.Run("unknown region, conflicting filter", func(t *testing.T) {
		if _, err := b.Of(ctx, "99", logistics.BoardQuery{}); siaga.ErrorCode(err) != siaga.ENotFound {
			t.Errorf("unknown region: %v", err)
		}
		q := logistics.BoardQuery{BoardFilter: logistics.BoardFilter{Item: siaga.ItemBox, Contest: siaga.DPR}}
		if _, err := b.Of(ctx, "36", q); siaga.ErrorCode(err) != siaga.EInvalid {
			t.Errorf("box and DPR: %v", err)
		}
	})
	t.Run("kit status of one TPS", func(t *testing.T) {
		k, err := b.KitStatus(ctx, "3601012001002", wib(12, 12))
		if err != nil || k != string(logistics.KitHeld) {
			t.Errorf("KitStatus = %q, %v", k, err)
		}
	})
}

// The board answers from its copy until told of a change: a write through
// Watch is seen by the next question.
func TestBoardSeesWritesThroughWatch(t *testing.T) {
	b, db := newBoard(t)
	ctx := context.Background()
	v, err := b.Of(ctx, "36", logistics.BoardQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Total.Counts.Of(logistics.KitNone); got != 4 {
		t.Fatalf("empty store: %d belum, want 4", got)
	}
	if err := db.SaveShipments(ctx, []siaga.Shipment{leg("x", "3604132009", "3604132009001", kit)}); err != nil {
		t.Fatal(err)
	}
	v, _ = b.Of(ctx, "36", logistics.BoardQuery{})
	if got := v.Total.Counts.Of(logistics.KitNone); got != 4 {
		t.Errorf("a write behind the board's back is seen at once (%d belum): the copy is not cached", got)
	}
	if err := b.Watch(db).SaveShipments(ctx, []siaga.Shipment{leg("y", "3604132009", "3604132009002", kit)}); err != nil {
		t.Fatal(err)
	}
	v, _ = b.Of(ctx, "36", logistics.BoardQuery{})
	if got := v.Total.Counts.Of(logistics.KitNone); got != 2 {
		t.Errorf("after a write through Watch: %d belum, want 2", got)
	}
}

// TestBoardRefreshesAnOldCopyInTheBackground: a write the board was not
// told of (an import, another node) shows once the copy is older than
// MaxAge; the question that finds it old is answered from the old copy
// at once, and the reread happens behind it.
func TestBoardRefreshesAnOldCopyInTheBackground(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	reg := boardRegistry()
	var clock atomic.Int64
	clock.Store(wib(12, 12).UnixNano())
	b := logistics.NewBoard(logistics.BoardConfig{Store: db, TPS: reg.TPS, Regions: registry.NewIndex(reg), BOM: boardBOM(),
		VotingDay: "2024-02-14", Now: func() time.Time { return time.Unix(0, clock.Load()) }, MaxAge: time.Minute})
	ctx := context.Background()
	belum := func() int {
		t.Helper()
		v, err := b.Of(ctx, "36", logistics.BoardQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return v.Total.Counts.Of(logistics.KitNone)
	}
	if err := b.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveShipments(ctx, []siaga.Shipment{leg("x", "3604132009", "3604132009001", kit)}); err != nil {
		t.Fatal(err)
	}
	clock.Add(int64(2 * time.Minute))
	if got := belum(); got != 4 {
		t.Errorf("the question that finds the copy old: %d belum, want the old copy's 4", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for belum() != 3 {
		if time.Now().After(deadline) {
			t.Fatal("the old copy was not reread in the background within 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
