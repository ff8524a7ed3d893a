package logistics

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/sqlite"
)

// newBallots is the ballot service over testRegistry on a real SQLite
// store, its clock at 15 January 2024.
func newBallots(t testing.TB) (*Ballots, *time.Time) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	reg, idx := testRegistry(t)
	now := time.Date(2024, 1, 15, 9, 0, 0, 0, siaga.WIB)
	return NewBallots(BallotsConfig{Store: db, Needs: NewNeeds(reg, idx, nil), Now: func() time.Time { return now }}), &now
}

func wantField(t testing.TB, err error, code, field string) {
	t.Helper()
	var e *siaga.Error
	if !errors.As(err, &e) || e.Code != code || e.Field != field {
		t.Fatalf("got %v, want %s naming %q", err, code, field)
	}
	if e.Message == "" || e.MessageEN == "" {
		t.Errorf("want both languages: %q / %q", e.Message, e.MessageEN)
	}
}

func TestBallotShortfall(t *testing.T) {
	ctx := context.Background()
	b, now := newBallots(t)
	lot, err := b.AddLot(ctx, "36", siaga.BallotLot{Warehouse: "3601", Contest: siaga.DPR, Dapil: "BANTEN I", Number: "DPR-1-001", Received: 400}, "user:log")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []siaga.BallotEvent{
		{Kind: siaga.BallotSorted, Qty: 400}, {Kind: siaga.BallotFolded, Qty: 360},
		{Kind: siaga.BallotDamaged, Reason: siaga.DamageFaded, Qty: 30}, {Kind: siaga.BallotDamaged, Reason: siaga.DamageTorn, Qty: 10},
		{Kind: siaga.BallotReturned, Qty: 40}, {Kind: siaga.BallotReplacementRequested, Qty: 40},
		{Kind: siaga.BallotReplacementReceived, Qty: 20, At: now.Add(72 * time.Hour)},
	} {
		e.Lot = lot.ID
		if _, err := b.AddEvent(ctx, "3601", e, "user:log"); err != nil {
			t.Fatal(err)
		}
	}
	row := func(t *testing.T, r BallotReport, c siaga.Contest, dapil, wh string) BallotRow {
		t.Helper()
		for _, row := range r.Rows {
			if row.Contest == c && row.Dapil == dapil && row.Warehouse == wh {
				return row
			}
		}
		t.Fatalf("no row %s %s %s in %+v", c, dapil, wh, r.Rows)
		return BallotRow{}
	}
	t.Run("each damage alerts the warehouse", func(t *testing.T) {
		alerts, n, err := b.store.(siaga.ShipmentStore).LogisticsAlerts(ctx, siaga.LogisticsAlertFilter{Region: "3601", Kind: siaga.AlertBallots})
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 || !strings.Contains(alerts[0].Text, "10 surat suara") || !strings.Contains(alerts[1].EN, "30 dpr ballots dapil BANTEN I") {
			t.Errorf("%d alerts: %+v; want the two damages, newest first", n, alerts)
		}
	})
	t.Run("now", func(t *testing.T) {
		r, err := b.Report(ctx, "36", now.Add(96*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		// Pandeglang needs 255 + 257 = 512 DPR ballots of BANTEN I; it
		// holds 400 + 20 − (30 + 10) = 380: 132 short.
		got := row(t, r, siaga.DPR, "BANTEN I", "3601")
		want := BallotRow{BallotTotal: siaga.BallotTotal{Warehouse: "3601", Contest: siaga.DPR, Dapil: "BANTEN I", Lots: 1, Received: 400,
			Sorted: 400, Folded: 360, Damaged: 40, DamagedBy: map[siaga.DamageReason]int{"pudar": 30, "sobek": 10}, Returned: 40,
			ReplacementRequested: 40, ReplacementReceived: 20}, Need: 512, Usable: 380, Shortfall: 132}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
		// Lebak has no lot of DPR BANTEN II: all 53 short.
		if got := row(t, r, siaga.DPR, "BANTEN II", "3602"); got.Need != 53 || got.Shortfall != 53 {
			t.Errorf("Lebak: %+v", got)
		}
		// Five contests × one dapil × two warehouses, all short.
		if len(r.Rows) != 10 || r.Short() != 10 {
			t.Errorf("%d rows, %d short; want 10 and 10", len(r.Rows), r.Short())
		}
	})
	t.Run("before the replacement", func(t *testing.T) {
		r, err := b.Report(ctx, "3601", *now)
		if err != nil {
			t.Fatal(err)
		}
		if got := row(t, r, siaga.DPR, "BANTEN I", "3601"); got.Usable != 360 || got.Shortfall != 152 {
			t.Errorf("before the replacement: usable %d short %d, want 360 and 152", got.Usable, got.Shortfall)
		}
		if len(r.Rows) != 5 {
			t.Errorf("a kab/kota's report has %d rows, want 5 contests", len(r.Rows))
		}
	})
	t.Run("surplus", func(t *testing.T) {
		if _, err := b.AddLot(ctx, "3601", siaga.BallotLot{Warehouse: "3601", Contest: siaga.DPR, Dapil: "BANTEN I", Number: "DPR-1-002", Received: 200}, "user:log"); err != nil {
			t.Fatal(err)
		}
		r, err := b.Report(ctx, "360101", now.Add(96*time.Hour)) // a kecamatan: its kab/kota's warehouse
		if err != nil {
			t.Fatal(err)
		}
		if got := row(t, r, siaga.DPR, "BANTEN I", "3601"); got.Usable != 580 || got.Shortfall != -68 {
			t.Errorf("usable %d shortfall %d, want 580 and −68", got.Usable, got.Shortfall)
		}
	})
}

func TestBallotLotRefusals(t *testing.T) {
	ctx := context.Background()
	b, _ := newBallots(t)
	good := siaga.BallotLot{Warehouse: "3602", Contest: siaga.DPRDKab, Dapil: "LEBAK 1", Number: "K-01", Received: 100}
	for _, tc := range []struct {
		name, region, field string
		edit                func(l *siaga.BallotLot)
	}{
		// BANTEN I's DPR ballots belong to Pandeglang, not Lebak.
		{"wrong dapil", "36", "dapil", func(l *siaga.BallotLot) { l.Contest, l.Dapil = siaga.DPR, "BANTEN I" }},
		{"another kab's dapil", "36", "dapil", func(l *siaga.BallotLot) { l.Dapil = "PANDEGLANG 1" }},
		{"presidential with a dapil", "36", "dapil", func(l *siaga.BallotLot) { l.Contest = siaga.PPWP }},
		{"warehouse not a kab/kota", "36", "warehouse", func(l *siaga.BallotLot) { l.Warehouse = "360201" }},
		{"warehouse out of scope", "3601", "warehouse", func(l *siaga.BallotLot) {}},
		{"contest", "36", "contest", func(l *siaga.BallotLot) { l.Contest = "dprd" }},
		{"number", "36", "number", func(l *siaga.BallotLot) { l.Number = " " }},
		{"received", "36", "received", func(l *siaga.BallotLot) { l.Received = 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := good
			tc.edit(&l)
			_, err := b.AddLot(ctx, tc.region, l, "user:log")
			wantField(t, err, siaga.EInvalid, tc.field)
		})
	}
	lot, err := b.AddLot(ctx, "3602", good, "user:log")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddLot(ctx, "3602", good, "user:log"); siaga.ErrorCode(err) != siaga.EConflict {
		t.Errorf("the same lot twice: %v, want a conflict", err)
	}
	for _, tc := range []struct {
		name, region, code, field string
		e                         siaga.BallotEvent
	}{
		{"damaged beyond received", "36", siaga.EInvalid, "qty", siaga.BallotEvent{Kind: siaga.BallotDamaged, Reason: siaga.DamageFaded, Qty: 101}},
		{"damage without reason", "36", siaga.EInvalid, "reason", siaga.BallotEvent{Kind: siaga.BallotDamaged, Qty: 1}},
		{"reason without damage", "36", siaga.EInvalid, "reason", siaga.BallotEvent{Kind: siaga.BallotSorted, Reason: siaga.DamageFaded, Qty: 1}},
		{"kind", "36", siaga.EInvalid, "kind", siaga.BallotEvent{Kind: "hilang", Qty: 1}},
		{"qty", "36", siaga.EInvalid, "qty", siaga.BallotEvent{Kind: siaga.BallotSorted, Qty: 0}},
		{"lot out of scope", "3601", siaga.ENotFound, "lot", siaga.BallotEvent{Kind: siaga.BallotSorted, Qty: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.e.Lot = lot.ID
			_, err := b.AddEvent(ctx, tc.region, tc.e, "user:log")
			wantField(t, err, tc.code, tc.field)
		})
	}
}
