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
	// PerContest are the quantities every TPS gets once per contest of
	// Ballots: the C.Hasil and C.Salinan forms are printed per contest.
	PerContest []siaga.Line `json:"per_contest,omitempty"`
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
// contest), then the fixed items, then the per-contest ones. idx may be
// nil: ballot lines then carry no dapil.
func (b *BOM) TPS(t siaga.TPS, idx *election.Index) []siaga.Line {
	dapil := dapilCache{idx: idx, contests: b.Ballots}
	return b.appendTPS(make([]siaga.Line, 0, len(b.Ballots)+len(b.PerTPS)+len(b.PerContest)), &t, dapil.of(t.Code))
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

// ItemPlasticSeal is the cable-tie seal of the ballot boxes' padlock
// holes, counted apart from the paper seals (segel) in KPU's procurement.
const ItemPlasticSeal siaga.Item = "segel_plastik"

// DefaultBOM is the Pemilu 2024 bill of materials (PKPU 14/2023, Keputusan
// KPU 1281/2023): five ballots per voter plus 2% each, 5 ballot boxes (4 in
// DKI Jakarta), 4 voting booths, 2 ink bottles. The seals, forms, voter
// lists and stationery are estimates (perkiraan) where no per-TPS figure
// is public; docs/logistics.md gives each quantity's source, and a BOM
// file (ParseBOM, `--bom`) replaces any of them.
func DefaultBOM() *BOM {
	return &BOM{
		Ballots:        append([]siaga.Contest(nil), siaga.Contests...),
		ReservePercent: 2,
		PerTPS: []siaga.Line{
			{Item: siaga.ItemBox, Qty: 5},
			{Item: siaga.ItemBooth, Qty: 4},
			{Item: siaga.ItemInk, Qty: 2},
			// perkiraan: KPU bought 93,850,362 paper seals and 24,364,423
			// plastic ones for 820,161 TPS (20 Sep 2023), ≈114 and ≈30 per
			// TPS including what the PPS and PPK seal.
			{Item: siaga.ItemSeal, Qty: 114},
			{Item: ItemPlasticSeal, Qty: 30},
			// perkiraan: one copy each of the DPT, the DPTb and the DCT.
			{Item: siaga.ItemVoterList, Qty: 3},
			// perkiraan: one stationery pack (pens, markers, glue, tape).
			{Item: siaga.ItemStationery, Qty: 1},
		},
		PerContest: []siaga.Line{
			// One set of the C.Hasil plano per contest; the C.Salinan for
			// the witnesses of 18 national parties, the Pengawas TPS and
			// the PPS (perkiraan: 20 sets per contest).
			{Item: siaga.ItemFormCHasil, Qty: 1},
			{Item: siaga.ItemFormCSalinan, Qty: 20},
		},
		Overrides: []Override{{Region: "31", Item: siaga.ItemBox, Qty: 4}},
	}
}

// Items are the items of the bill of materials, each once: the ballots of
// its contests, then the fixed items per TPS, then those per contest. They
// are what a waybill may carry and what the pages' filters offer: one
// list, so that an item a BOM file adds is shipped and filtered too.
func (b *BOM) Items() []siaga.Item {
	out := make([]siaga.Item, 0, len(b.Ballots)+len(b.PerTPS)+len(b.PerContest))
	seen := map[siaga.Item]bool{}
	add := func(i siaga.Item) {
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	for _, c := range b.Ballots {
		add(siaga.BallotItem(c))
	}
	for _, l := range b.PerTPS {
		add(l.Item)
	}
	for _, l := range b.PerContest {
		add(l.Item)
	}
	return out
}
