package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
)

// The ballot lots of Banten 2024 as Bawaslu Banten found them on 16
// January 2024 (redaksinasional.id; ../shared/data/readiness/README.md,
// "Logistics"): 61,139 damaged ballots in the province — PPWP 288, DPD 200,
// DPRD Provinsi 60,030, DPRD Kab/Kota 621 — mostly faded; and the DPR
// ballots not yet at the warehouses of Kota Serang and Kota Cilegon a
// month before voting. How the damage spreads over the warehouses, the
// lot numbers, the days and the replacements are synthetic (seeded).
var bawasluDamaged = map[siaga.Contest]int{siaga.PPWP: 288, siaga.DPD: 200, siaga.DPRDProv: 60_030, siaga.DPRDKab: 621}

// lateDPR are the warehouses whose DPR ballots came after mid-January:
// Kota Cilegon and Kota Serang.
var lateDPR = map[string]bool{"3672": true, "3673": true}

func janAt(day, hour int) time.Time { return time.Date(2024, 1, day, hour, 0, 0, 0, siaga.WIB) }

// demoLot is one lot the demo registers.
type demoLot struct {
	siaga.BallotLot
	damaged int
}

// logisticsBallots plays the ballot lots on n: a lot per warehouse,
// contest and dapil, exactly the need, received early January (the DPR's
// of Kota Serang and Cilegon on 20 January), sorted and folded by mid
// January; Bawaslu's damage of 16 January spread over the lots, summing
// exactly to its figures; returned and replaced, most replacements in by
// early February. An official opens /logistik/36/surat-suara (and
// ?pada=2024-01-16 for the day of the finding).
func logisticsBallots(ctx context.Context, n *node.Node) error {
	b, err := n.Needs.Breakdown("36")
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2024, 116))
	var lots []*demoLot
	for _, wh := range b.Warehouses {
		for _, c := range siaga.Contests {
			for _, d := range wh.Dapils(c) {
				q := wh.Ballots(c, d)
				if q == 0 {
					continue
				}
				at := janAt(3+rng.IntN(7), 8+rng.IntN(8))
				if c == siaga.DPR && lateDPR[wh.Code] {
					at = janAt(20, 10)
				}
				l := &demoLot{BallotLot: siaga.BallotLot{Warehouse: wh.Code, Contest: c, Dapil: d, Received: q, ReceivedAt: at,
					Number: fmt.Sprintf("%s-%s-%03d", c, wh.Code, len(lots)+1), Printer: "percetakan (sintetis)"}}
				if l.BallotLot, err = n.Ballots.AddLot(ctx, "36", l.BallotLot, demoBy); err != nil {
					return fmt.Errorf("demo: lot %s: %w", l.Number, err)
				}
				lots = append(lots, l)
			}
		}
	}
	spreadDamage(lots, rng)
	for _, l := range lots {
		if err := playLot(ctx, n, l, rng); err != nil {
			return fmt.Errorf("demo: lot %s: %w", l.Number, err)
		}
	}
	return nil
}

// spreadDamage gives each contest's lots a share of Bawaslu's count,
// weighted by size and chance, the shares summing exactly to it (largest
// remainders).
func spreadDamage(lots []*demoLot, rng *rand.Rand) {
	for _, c := range siaga.Contests { // in order: the same seed, the same spread
		total := bawasluDamaged[c]
		if total == 0 {
			continue
		}
		var mine []*demoLot
		weights := []float64{}
		sum := 0.0
		for _, l := range lots {
			if l.Contest == c {
				w := float64(l.Received) * (0.2 + rng.Float64())
				mine, weights, sum = append(mine, l), append(weights, w), sum+w
			}
		}
		given := 0
		rem := make([]float64, len(mine))
		for i, l := range mine {
			share := float64(total) * weights[i] / sum
			l.damaged = int(share)
			rem[i] = share - float64(l.damaged)
			given += l.damaged
		}
		order := make([]int, len(mine))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return rem[order[a]] > rem[order[b]] })
		for k := 0; given < total; k++ {
			mine[order[k%len(order)]].damaged++
			given++
		}
	}
}

// playLot sorts and folds a lot, records its damage (mostly faded), its
// return and the replacement asked and, for most lots, received.
func playLot(ctx context.Context, n *node.Node, l *demoLot, rng *rand.Rand) error {
	sortDay := max(l.ReceivedAt.Day()+2, 11)
	if l.ReceivedAt.Day() >= 20 {
		sortDay = 22
	}
	events := []siaga.BallotEvent{
		{Kind: siaga.BallotSorted, Qty: l.Received, At: janAt(sortDay, 9)},
		{Kind: siaga.BallotFolded, Qty: l.Received, At: janAt(min(sortDay+2, 25), 15)},
	}
	if d := l.damaged; d > 0 {
		faded := d * (85 + rng.IntN(11)) / 100
		rest := d - faded
		torn := rest / 2
		stained := (rest - torn) * 2 / 3
		found := janAt(16, 11)
		for _, part := range []struct {
			reason siaga.DamageReason
			qty    int
		}{{siaga.DamageFaded, faded}, {siaga.DamageTorn, torn}, {siaga.DamageStained, stained}, {siaga.DamageMiscut, rest - torn - stained}} {
			if part.qty > 0 {
				events = append(events, siaga.BallotEvent{Kind: siaga.BallotDamaged, Reason: part.reason, Qty: part.qty, At: found})
			}
		}
		events = append(events,
			siaga.BallotEvent{Kind: siaga.BallotReplacementRequested, Qty: d, At: janAt(17, 10), Note: "berita acara kerusakan (sintetis)"},
			siaga.BallotEvent{Kind: siaga.BallotReturned, Qty: d, At: janAt(19, 14)})
		// Most replacements are in by early February; a few lots get only
		// part of theirs: what the desk still sees short.
		got := d
		if rng.IntN(6) == 0 {
			got = d * 3 / 4
		}
		if got > 0 {
			events = append(events, siaga.BallotEvent{Kind: siaga.BallotReplacementReceived, Qty: got,
				At: time.Date(2024, 2, 1+rng.IntN(4), 10, 0, 0, 0, siaga.WIB)})
		}
	}
	for _, e := range events {
		e.Lot = l.ID
		if _, err := n.Ballots.AddEvent(ctx, "36", e, demoBy); err != nil {
			return err
		}
	}
	return nil
}
