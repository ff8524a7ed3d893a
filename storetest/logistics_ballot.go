package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func testBallotLots(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	audit := siaga.AuditEvent{At: t0, Actor: "user:logistik.serang", Action: siaga.AuditBallotLot, Scope: "3604"}
	lot := func(wh string, c siaga.Contest, dapil, number string, qty int, at time.Time) siaga.BallotLot {
		return siaga.BallotLot{Warehouse: wh, Contest: c, Dapil: dapil, Number: number, Printer: "PT Temprina", Received: qty, ReceivedAt: at, By: "user:logistik"}
	}
	a := lot("3604", siaga.DPRDProv, "BANTEN 2", "L-001", 1000, t0)
	b := lot("3604", siaga.DPRDProv, "BANTEN 2", "L-002", 500, t0.Add(time.Hour))
	c := lot("3673", siaga.DPR, "BANTEN II", "L-001", 800, t0.Add(48*time.Hour)) // Kota Serang, late
	for _, l := range []*siaga.BallotLot{&a, &b, &c} {
		must(t, s.AddBallotLot(ctx, l, audit))
		if l.ID == 0 {
			t.Fatal("AddBallotLot set no ID")
		}
	}
	dup := lot("3604", siaga.DPRDProv, "BANTEN 2", "L-001", 1, t0)
	wantCode(t, s.AddBallotLot(ctx, &dup), siaga.EConflict)
	got, err := s.BallotLot(ctx, a.ID)
	must(t, err)
	if d := cmp.Diff(a, got); d != "" {
		t.Errorf("lot read back (-want +got):\n%s", d)
	}
	_, err = s.BallotLot(ctx, 999)
	wantCode(t, err, siaga.ENotFound)

	ev := func(lot int64, kind siaga.BallotEventKind, reason siaga.DamageReason, qty int, at time.Time) *siaga.BallotEvent {
		return &siaga.BallotEvent{Lot: lot, Kind: kind, Reason: reason, Qty: qty, At: at, By: "user:logistik"}
	}
	day := t0.Add(24 * time.Hour)
	for _, e := range []*siaga.BallotEvent{
		ev(a.ID, siaga.BallotSorted, "", 1000, day), ev(a.ID, siaga.BallotFolded, "", 900, day),
		ev(a.ID, siaga.BallotDamaged, siaga.DamageFaded, 70, day), ev(a.ID, siaga.BallotDamaged, siaga.DamageTorn, 30, day),
		ev(a.ID, siaga.BallotReturned, "", 100, day), ev(a.ID, siaga.BallotReplacementRequested, "", 100, day),
		ev(a.ID, siaga.BallotReplacementReceived, "", 60, day.Add(72*time.Hour)),
		ev(b.ID, siaga.BallotDamaged, siaga.DamageStained, 5, day),
	} {
		must(t, s.AddBallotEvent(ctx, e, nil, siaga.AuditEvent{At: e.At, Actor: "user:logistik", Action: siaga.AuditBallotEvent, Scope: "3604"}))
	}
	// Damaged beyond received (and replacements) is refused, and nothing
	// of it stored; up to it is fine.
	alert := []siaga.LogisticsAlert{{Kind: siaga.AlertBallots, Region: "3604", Ref: "lot:a", Text: "rusak", EN: "damaged", At: day}}
	err = s.AddBallotEvent(ctx, ev(a.ID, siaga.BallotDamaged, siaga.DamageFaded, 961, day), alert)
	wantCode(t, err, siaga.EInvalid)
	if e := err.(*siaga.Error); e.Field != "qty" {
		t.Errorf("refusal names %q, want qty", e.Field)
	}
	wantCode(t, s.AddBallotEvent(ctx, ev(999, siaga.BallotSorted, "", 1, day), nil), siaga.ENotFound)
	want := []siaga.BallotTotal{
		{Warehouse: "3604", Contest: siaga.DPRDProv, Dapil: "BANTEN 2", Lots: 2, Received: 1500, Sorted: 1000, Folded: 900, Damaged: 105,
			DamagedBy: map[siaga.DamageReason]int{"pudar": 70, "sobek": 30, "noda": 5}, Returned: 100, ReplacementRequested: 100, ReplacementReceived: 60},
		{Warehouse: "3673", Contest: siaga.DPR, Dapil: "BANTEN II", Lots: 1, Received: 800, DamagedBy: map[siaga.DamageReason]int{}},
	}
	totals, err := s.BallotTotals(ctx, "36", time.Time{})
	must(t, err)
	if d := cmp.Diff(want, totals); d != "" {
		t.Errorf("totals (-want +got):\n%s", d)
	}
	if u := totals[0].Usable(); u != 1455 {
		t.Errorf("usable %d, want 1,500 + 60 − 105 = 1,455", u)
	}
	// As of the day after the first lots: Kota Serang's not there yet,
	// the replacement not received.
	early, err := s.BallotTotals(ctx, "36", day)
	must(t, err)
	if len(early) != 1 || early[0].ReplacementReceived != 0 || early[0].Damaged != 105 {
		t.Errorf("totals as of %v: %+v", day, early)
	}
	only, err := s.BallotTotals(ctx, "3673", time.Time{})
	must(t, err)
	if len(only) != 1 || only[0].Warehouse != "3673" {
		t.Errorf("totals of 3673: %+v", only)
	}

	page, total, err := s.BallotLots(ctx, siaga.BallotFilter{Region: "36", Limit: 2})
	must(t, err)
	if total != 3 || len(page) != 2 || page[0].ID != a.ID {
		t.Fatalf("first page: %d of %d", len(page), total)
	}
	page, total, err = s.BallotLots(ctx, siaga.BallotFilter{Region: "36", After: page[1].ID, Limit: 2})
	must(t, err)
	if total != 3 || len(page) != 1 || page[0].ID != c.ID {
		t.Errorf("second page: %+v of %d", page, total)
	}
	page, total, err = s.BallotLots(ctx, siaga.BallotFilter{Region: "3604", Contest: siaga.DPRDProv, Dapil: "BANTEN 2"})
	must(t, err)
	if total != 2 || len(page) != 2 {
		t.Errorf("filtered: %d of %d", len(page), total)
	}
	// A damage's alert is stored with it, and not with a refused one.
	ballotAlerts := func() int {
		t.Helper()
		_, n, err := s.LogisticsAlerts(ctx, siaga.LogisticsAlertFilter{Region: "3604", Kind: siaga.AlertBallots})
		must(t, err)
		return n
	}
	if n := ballotAlerts(); n != 0 {
		t.Fatalf("%d ballot alerts after a refused damage, want 0", n)
	}
	must(t, s.AddBallotEvent(ctx, ev(b.ID, siaga.BallotDamaged, siaga.DamageTorn, 1, day), alert))
	if n := ballotAlerts(); n != 1 {
		t.Errorf("%d ballot alerts after a damage with its alert, want 1", n)
	}
}
