// Package logistics is the service of the election logistics: what every
// TPS needs, the shipments that bring it along warehouse → PPK → PPS → TPS,
// their proofs of delivery, the ballot lots and the custody of the sealed
// boxes after voting (docs/logistics.md).
package logistics

import (
	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
)

// BOM is the bill of materials of one election: what one TPS needs.
type BOM struct {
	// Ballots are the contests whose ballots every TPS gets.
	Ballots []siaga.Contest `json:"ballots"`
	// ReservePercent is the reserve of ballots over the DPT, per contest
	// and TPS, rounded up: 2 in Pemilu 2024 (PKPU 14/2023).
	ReservePercent int `json:"reserve_percent"`
	// PerTPS are the fixed quantities every TPS gets, whatever its DPT.
	PerTPS []siaga.Line `json:"per_tps"`
	// Overrides replace a PerTPS quantity below a region (the longest code
	// prefix wins): DKI Jakarta's TPS get 4 ballot boxes, not 5.
	Overrides []Override `json:"overrides,omitempty"`
}

// Override is a per-TPS quantity that differs below a region.
type Override struct {
	Region string     `json:"region"`
	Item   siaga.Item `json:"item"`
	Qty    int        `json:"qty"`
}

// BallotsFor is the number of ballots of one contest a TPS of dpt voters
// gets: the DPT plus ReservePercent of it, rounded up (integer arithmetic:
// no float ever rounds 2% of 250 to 6).
func (b *BOM) BallotsFor(dpt int) int {
	if dpt <= 0 {
		return 0
	}
	return dpt + (dpt*b.ReservePercent+99)/100
}

// TPS returns what TPS t needs: one ballot line per contest (with the dapil
// of the contest that holds t, found by idx; none for the presidential
// contest), then the fixed items. idx may be nil: ballot lines then carry
// no dapil.
func (b *BOM) TPS(t siaga.TPS, idx *election.Index) []siaga.Line {
	out := make([]siaga.Line, 0, len(b.Ballots)+len(b.PerTPS))
	n := b.BallotsFor(t.DPT)
	for _, c := range b.Ballots {
		l := siaga.Line{Item: siaga.BallotItem(c), Qty: n}
		if idx != nil {
			if d, ok := idx.Dapil(c, t.Code); ok {
				l.Dapil = d.Name
			}
		}
		out = append(out, l)
	}
	for _, l := range b.PerTPS {
		l.Qty = b.qty(t.Code, l.Item, l.Qty)
		out = append(out, l)
	}
	return out
}

// qty is the per-TPS quantity of item for the TPS code: the override of
// the longest region prefix of code, else def.
func (b *BOM) qty(code string, item siaga.Item, def int) int {
	best := -1
	for _, o := range b.Overrides {
		if o.Item == item && len(o.Region) > best && len(code) >= len(o.Region) && code[:len(o.Region)] == o.Region {
			best, def = len(o.Region), o.Qty
		}
	}
	return def
}

// DefaultBOM is the Pemilu 2024 bill of materials (PKPU 14/2023, Keputusan
// KPU 1281/2023): five ballots per voter plus 2% each, 5 ballot boxes (4 in
// DKI Jakarta), 4 voting booths, 2 ink bottles. The other fixed items are
// refined, with their sources, in docs/logistics.md.
func DefaultBOM() *BOM {
	return &BOM{
		Ballots:        append([]siaga.Contest(nil), siaga.Contests...),
		ReservePercent: 2,
		PerTPS: []siaga.Line{
			{Item: siaga.ItemBox, Qty: 5},
			{Item: siaga.ItemBooth, Qty: 4},
			{Item: siaga.ItemInk, Qty: 2},
		},
		Overrides: []Override{{Region: "31", Item: siaga.ItemBox, Qty: 4}},
	}
}
