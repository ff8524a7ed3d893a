package logistics

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// Ballots keeps the ballot lots of the KPU kab/kota warehouses and says,
// per contest, dapil and warehouse, what is still short: the need of the
// warehouse's TPS (NeedsService) less the usable ballots it holds
// (docs/logistics.md, "Surat suara").
type Ballots struct {
	store siaga.BallotStore
	needs *NeedsService
	now   func() time.Time
}

// BallotsConfig is what Ballots needs; Now is the clock events without a
// time are stamped with.
type BallotsConfig struct {
	Store siaga.BallotStore
	Needs *NeedsService
	Now   func() time.Time
}

// NewBallots returns the ballot lots' service.
func NewBallots(c BallotsConfig) *Ballots {
	now := c.Now
	if now == nil {
		now = time.Now
	}
	return &Ballots{store: c.Store, needs: c.Needs, now: now}
}

// maxLot bounds a lot's quantity: a kab/kota's whole need of one contest
// is under two million.
const maxLot = 5_000_000

// AddLot records a lot received at its warehouse by actor. The warehouse
// must be a kab/kota whose TPS need ballots of the lot's contest and
// dapil: a lot of DPRD Provinsi Banten 3 at Lebak's warehouse is refused,
// the field named.
// region is where the official acts: the warehouse must serve it.
func (b *Ballots) AddLot(ctx context.Context, region string, l siaga.BallotLot, actor string) (siaga.BallotLot, error) {
	l.Number, l.Printer, l.Dapil, l.Note = strings.TrimSpace(l.Number), strings.TrimSpace(l.Printer), strings.TrimSpace(l.Dapil), strings.TrimSpace(l.Note)
	if siaga.LevelOf(l.Warehouse) != siaga.LevelKabKota || !siaga.IsRegionCode(l.Warehouse) {
		return l, siaga.Errorf(siaga.EInvalid, "warehouse", "kolom warehouse: gudang adalah kode kab/kota (mis. 3604), bukan %q",
			"field warehouse: a warehouse is a kab/kota code (e.g. 3604), not %q", l.Warehouse)
	}
	if !siaga.InScope(warehouseScope(region), l.Warehouse) {
		return l, siaga.Errorf(siaga.EInvalid, "warehouse", "kolom warehouse: gudang %s tidak melayani wilayah %s",
			"field warehouse: warehouse %s does not serve region %s", l.Warehouse, region)
	}
	if !l.Contest.Valid() {
		return l, siaga.Errorf(siaga.EInvalid, "contest", "kolom contest: %q bukan kontes", "field contest: %q is not a contest", l.Contest)
	}
	if l.Number == "" || len(l.Number) > 60 {
		return l, siaga.Errorf(siaga.EInvalid, "number", "kolom number: nomor lot wajib, paling panjang 60 huruf", "field number: the lot number is required, at most 60 characters")
	}
	if len(l.Printer) > 120 || len(l.Note) > 500 {
		return l, siaga.Errorf(siaga.EInvalid, "note", "kolom printer atau note terlalu panjang", "field printer or note is too long")
	}
	if l.Received <= 0 || l.Received > maxLot {
		return l, siaga.Errorf(siaga.EInvalid, "received", "kolom received: jumlah diterima harus 1–%d", "field received: the quantity received must be 1–%d", maxLot)
	}
	need, err := b.needs.Of(l.Warehouse)
	if err != nil {
		return l, err
	}
	if dapils := need.Dapils(l.Contest); !slices.Contains(dapils, l.Dapil) {
		return l, siaga.Errorf(siaga.EInvalid, "dapil", "kolom dapil: surat suara %s dapil %q salah untuk gudang %s %s; yang benar: %s",
			"field dapil: %s ballots of dapil %q are wrong for warehouse %s %s; the right ones: %s",
			l.Contest, l.Dapil, l.Warehouse, need.Name, strings.Join(quoted(dapils), ", "))
	}
	if l.ReceivedAt.IsZero() {
		l.ReceivedAt = b.now()
	}
	l.By = actor
	err = b.store.AddBallotLot(ctx, &l, siaga.AuditEvent{At: b.now(), Actor: actor, Action: siaga.AuditBallotLot, Scope: l.Warehouse,
		Detail: siaga.AuditDetail(map[string]any{"contest": l.Contest, "dapil": l.Dapil, "number": l.Number, "received": l.Received})})
	return l, err
}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = `"` + s + `"`
	}
	return out
}

// AddEvent records what was done to Qty ballots of a lot of a warehouse
// under region (a lot elsewhere is ENotFound: an official acts in scope).
func (b *Ballots) AddEvent(ctx context.Context, region string, e siaga.BallotEvent, actor string) (siaga.BallotEvent, error) {
	if !e.Kind.Valid() {
		return e, siaga.Errorf(siaga.EInvalid, "kind", "kolom kind: %q bukan jenis peristiwa (sortir, lipat, rusak, retur, minta_ganti, terima_ganti)",
			"field kind: %q is not an event kind (sortir, lipat, rusak, retur, minta_ganti, terima_ganti)", e.Kind)
	}
	switch {
	case e.Kind == siaga.BallotDamaged && !e.Reason.Valid():
		return e, siaga.Errorf(siaga.EInvalid, "reason", "kolom reason: sebab rusak wajib (pudar, sobek, noda, salah_potong, lainnya)",
			"field reason: the damage needs a reason (pudar, sobek, noda, salah_potong, lainnya)")
	case e.Kind != siaga.BallotDamaged && e.Reason != "":
		return e, siaga.Errorf(siaga.EInvalid, "reason", "kolom reason: hanya untuk surat suara rusak", "field reason: for damaged ballots only")
	}
	if e.Qty <= 0 || e.Qty > maxLot {
		return e, siaga.Errorf(siaga.EInvalid, "qty", "kolom qty: jumlah harus 1–%d", "field qty: the quantity must be 1–%d", maxLot)
	}
	if e.Note = strings.TrimSpace(e.Note); len(e.Note) > 500 {
		return e, siaga.Errorf(siaga.EInvalid, "note", "kolom note: paling panjang 500 huruf", "field note: at most 500 characters")
	}
	lot, err := b.store.BallotLot(ctx, e.Lot)
	if err == nil && !siaga.InScope(warehouseScope(region), lot.Warehouse) {
		err = siaga.Errorf(siaga.ENotFound, "lot", "lot %d tidak ada di wilayah %s", "no lot %d in region %s", e.Lot, region)
	}
	if err != nil {
		return e, err
	}
	if e.At.IsZero() {
		e.At = b.now()
	}
	e.By = actor
	err = b.store.AddBallotEvent(ctx, &e, damageAlerts(lot, e), siaga.AuditEvent{At: b.now(), Actor: actor, Action: siaga.AuditBallotEvent, Scope: lot.Warehouse,
		Detail: siaga.AuditDetail(map[string]any{"kind": e.Kind, "reason": e.Reason, "qty": e.Qty})})
	return e, err
}

// Lots is a page of the lots under region (the warehouse of a region
// below kab/kota) that f selects, and how many it selects.
func (b *Ballots) Lots(ctx context.Context, region string, f siaga.BallotFilter) ([]siaga.BallotLot, int, error) {
	f.Region = warehouseScope(region)
	return b.store.BallotLots(ctx, f)
}

// BallotRow is one contest's dapil at one warehouse: its need, what the
// warehouse holds and the shortfall, need − (received + replacements
// received − damaged), each term shown. A negative shortfall is a surplus.
type BallotRow struct {
	siaga.BallotTotal
	Need      int `json:"need"`
	Usable    int `json:"usable"`
	Shortfall int `json:"shortfall"`
}

// BallotReport is the ballot picture of a region at a moment.
type BallotReport struct {
	Region string      `json:"region"`
	AsOf   time.Time   `json:"as_of"`
	Rows   []BallotRow `json:"rows"` // by contest, dapil, warehouse
}

// Short is how many rows lack ballots.
func (r *BallotReport) Short() int {
	n := 0
	for _, row := range r.Rows {
		if row.Shortfall > 0 {
			n++
		}
	}
	return n
}

// Report is what the warehouses serving region (its kab/kota; the one
// holding it when region is a kecamatan or below) need and hold of every
// contest and dapil as of asOf (zero: now).
func (b *Ballots) Report(ctx context.Context, region string, asOf time.Time) (BallotReport, error) {
	scope := warehouseScope(region)
	if asOf.IsZero() {
		asOf = b.now()
	}
	out := BallotReport{Region: region, AsOf: asOf}
	needs, err := b.needs.Breakdown(scope)
	if err != nil {
		return out, err
	}
	totals, err := b.store.BallotTotals(ctx, scope, asOf)
	if err != nil {
		return out, err
	}
	type key struct {
		contest          siaga.Contest
		dapil, warehouse string
	}
	rows := map[key]*BallotRow{}
	row := func(k key) *BallotRow {
		r := rows[k]
		if r == nil {
			r = &BallotRow{BallotTotal: siaga.BallotTotal{Warehouse: k.warehouse, Contest: k.contest, Dapil: k.dapil,
				DamagedBy: map[siaga.DamageReason]int{}}}
			rows[k] = r
		}
		return r
	}
	for _, w := range needs.Warehouses {
		for item, byDapil := range w.BallotsByDapil {
			c, _ := item.Contest()
			for d, n := range byDapil {
				row(key{c, d, w.Code}).Need = n
			}
		}
	}
	for _, t := range totals {
		r := row(key{t.Contest, t.Dapil, t.Warehouse})
		r.BallotTotal = t
	}
	for _, r := range rows {
		r.Usable = r.BallotTotal.Usable()
		r.Shortfall = r.Need - r.Usable
		out.Rows = append(out.Rows, *r)
	}
	order := map[siaga.Contest]int{}
	for i, c := range siaga.Contests {
		order[c] = i
	}
	slices.SortFunc(out.Rows, func(a, b BallotRow) int {
		if d := order[a.Contest] - order[b.Contest]; d != 0 {
			return d
		}
		if d := strings.Compare(a.Dapil, b.Dapil); d != 0 {
			return d
		}
		return strings.Compare(a.Warehouse, b.Warehouse)
	})
	return out, nil
}

// warehouseScope is the code prefix of the warehouses serving region: the
// region itself down to a kab/kota, the kab/kota holding it below.
func warehouseScope(region string) string {
	if len(region) > 4 {
		return region[:4]
	}
	return region
}

// damageAlerts is the alert a damage found raises to the warehouse's
// region: the desk and Bawaslu must know a shortfall is coming before
// the replacement is asked for, as Bawaslu Banten's finding of 16 January
// 2024 showed (61,139 damaged ballots a month before voting).
func damageAlerts(lot siaga.BallotLot, e siaga.BallotEvent) []siaga.LogisticsAlert {
	if e.Kind != siaga.BallotDamaged {
		return nil
	}
	dapil := ""
	if lot.Dapil != "" {
		dapil = " dapil " + lot.Dapil
	}
	return []siaga.LogisticsAlert{{
		Kind: siaga.AlertBallots, Region: lot.Warehouse, Ref: fmt.Sprintf("lot:%d", lot.ID), At: e.At,
		Text: fmt.Sprintf("%d surat suara %s%s lot %s rusak (%s) di gudang %s: minta penggantian",
			e.Qty, lot.Contest.Name(), dapil, lot.Number, e.Reason, lot.Warehouse),
		EN: fmt.Sprintf("%d %s ballots%s of lot %s damaged (%s) at warehouse %s: ask for replacements",
			e.Qty, lot.Contest, dapil, lot.Number, e.Reason, lot.Warehouse),
	}}
}
