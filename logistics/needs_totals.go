package logistics

import (
	"slices"
	"sort"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
)

// Needs is what a TPS or a region needs: the sum over its TPS of what the
// bill of materials gives each (SPEC §9, `siaga logistics needs --json`).
// Ballots are also kept per dapil, since a lot is good only in its own.
type Needs struct {
	Code  string `json:"code"`
	Name  string `json:"name,omitempty"`
	Level string `json:"level,omitempty"` // "provinsi", "kabupaten/kota", …
	TPS   int    `json:"tps"`
	DPT   int    `json:"dpt"`
	// Items is each item's total quantity, ballots summed over their dapil.
	Items map[siaga.Item]int `json:"items"`
	// BallotsByDapil is each ballot item's quantity per dapil name; the
	// presidential ballots, which have no dapil, are under "".
	BallotsByDapil map[siaga.Item]map[string]int `json:"ballots_by_dapil"`
}

func newNeeds(code string) *Needs {
	return &Needs{Code: code, Level: siaga.LevelOf(code).String(), Items: map[siaga.Item]int{},
		BallotsByDapil: map[siaga.Item]map[string]int{}}
}

// Ballots is the quantity of contest c's ballots of dapil d.
func (n *Needs) Ballots(c siaga.Contest, dapil string) int {
	return n.BallotsByDapil[siaga.BallotItem(c)][dapil]
}

// Dapils lists, sorted, the dapil of contest c whose ballots the region
// needs.
func (n *Needs) Dapils(c siaga.Contest) []string {
	var out []string
	for d := range n.BallotsByDapil[siaga.BallotItem(c)] {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}

// add counts one TPS's lines.
func (n *Needs) add(t *siaga.TPS, lines []siaga.Line) {
	n.TPS++
	n.DPT += t.DPT
	for _, l := range lines {
		n.Items[l.Item] += l.Qty
		if _, ok := l.Item.Contest(); ok {
			m := n.BallotsByDapil[l.Item]
			if m == nil {
				m = map[string]int{}
				n.BallotsByDapil[l.Item] = m
			}
			m[l.Dapil] += l.Qty
		}
	}
}

// NeedsBreakdown is a region's needs with those of each child region
// (kab/kota of a province, kecamatan of a kab/kota, …, TPS of a desa) and
// of each KPU kab/kota warehouse that serves it.
type NeedsBreakdown struct {
	Region     Needs   `json:"region"`
	Children   []Needs `json:"children"`
	Warehouses []Needs `json:"warehouses"`
}

// NeedsOf is what code (a TPS or any region of reg) needs under bom: the
// sum over its TPS, ballots per dapil as idx finds them (idx may be nil).
// One pass over the region's TPS, which reg keeps ordered by code: the
// whole of Banten's 33,324 take a few milliseconds.
func NeedsOf(reg *siaga.Registry, idx *election.Index, bom *BOM, code string) (Needs, error) {
	b, err := breakdown(reg, idx, bom, code, false)
	return b.Region, err
}

// NeedsByChild is NeedsOf with the needs of every child region of code
// and of every warehouse (kab/kota) that serves it: one pass too.
func NeedsByChild(reg *siaga.Registry, idx *election.Index, bom *BOM, code string) (NeedsBreakdown, error) {
	return breakdown(reg, idx, bom, code, true)
}

func breakdown(reg *siaga.Registry, idx *election.Index, bom *BOM, code string, split bool) (NeedsBreakdown, error) {
	var out NeedsBreakdown
	if !siaga.IsRegionCode(code) {
		return out, siaga.Errorf(siaga.EInvalid, "code", "%q bukan kode wilayah atau TPS", "%q is not a region or TPS code", code)
	}
	tps := tpsUnder(reg.TPS, code)
	if len(tps) == 0 && !regionExists(reg, code) {
		return out, siaga.Errorf(siaga.ENotFound, "code", "wilayah atau TPS %s tidak ada", "no region or TPS %s", code)
	}
	total := newNeeds(code)
	childLen := childCodeLen(len(code))
	var (
		children   = map[string]*Needs{}
		warehouses = map[string]*Needs{}
		lines      []siaga.Line
		dapils     = dapilCache{idx: idx, contests: bom.Ballots}
	)
	for i := range tps {
		t := &tps[i]
		lines = bom.appendTPS(lines[:0], t, dapils.of(t.Code))
		total.add(t, lines)
		if !split {
			continue
		}
		if childLen > 0 {
			group(children, t.Code[:childLen]).add(t, lines)
		}
		group(warehouses, t.Code[:4]).add(t, lines)
	}
	names := regionNames(reg)
	total.Name = names[code]
	out.Region = *total
	out.Children = sorted(children, names)
	out.Warehouses = sorted(warehouses, names)
	return out, nil
}

// appendTPS is TPS with the dapil names looked up once per desa.
func (b *BOM) appendTPS(out []siaga.Line, t *siaga.TPS, dapil []string) []siaga.Line {
	n := b.BallotsFor(t.DPT)
	for i, c := range b.Ballots {
		out = append(out, siaga.Line{Item: siaga.BallotItem(c), Dapil: dapil[i], Qty: n})
	}
	for _, l := range b.PerTPS {
		l.Qty = b.qty(t.Code, l.Item, l.Qty)
		out = append(out, l)
	}
	for _, l := range b.PerContest {
		l.Qty = b.qty(t.Code, l.Item, l.Qty) * len(b.Ballots)
		out = append(out, l)
	}
	return out
}

// dapilCache remembers the dapil names of the last desa: TPS come in code
// order, so a desa's TPS ask in a row.
type dapilCache struct {
	idx      *election.Index
	contests []siaga.Contest
	desa     string
	names    []string
}

func (c *dapilCache) of(tps string) []string {
	desa := siaga.ParentCode(tps)
	if len(tps) != 13 {
		desa = tps
	}
	if c.names != nil && desa == c.desa {
		return c.names
	}
	c.desa, c.names = desa, make([]string, len(c.contests))
	if c.idx == nil {
		return c.names
	}
	for i, k := range c.contests {
		if d, ok := c.idx.Dapil(k, tps); ok {
			c.names[i] = d.Name
		}
	}
	return c.names
}

// tpsUnder is the run of ts (ordered by code) whose codes start with code.
func tpsUnder(ts []siaga.TPS, code string) []siaga.TPS {
	lo := sort.Search(len(ts), func(i int) bool { return ts[i].Code >= code })
	hi := lo
	for hi < len(ts) && len(ts[hi].Code) >= len(code) && ts[hi].Code[:len(code)] == code {
		hi++
	}
	return ts[lo:hi]
}

func regionExists(reg *siaga.Registry, code string) bool {
	return slices.ContainsFunc(reg.Regions, func(r siaga.Region) bool { return r.Code == code })
}

func regionNames(reg *siaga.Registry) map[string]string {
	m := make(map[string]string, len(reg.Regions))
	for _, r := range reg.Regions {
		m[r.Code] = r.Name
	}
	return m
}

// childCodeLen is the code length of a region's children: a province's
// kab/kota (4), …, a desa's TPS (13); 0 for a TPS.
func childCodeLen(n int) int {
	switch n {
	case 2:
		return 4
	case 4:
		return 6
	case 6:
		return 10
	case 10:
		return 13
	}
	return 0
}

func group(m map[string]*Needs, code string) *Needs {
	n := m[code]
	if n == nil {
		n = newNeeds(code)
		m[code] = n
	}
	return n
}

func sorted(m map[string]*Needs, names map[string]string) []Needs {
	out := make([]Needs, 0, len(m))
	for code, n := range m {
		n.Name = names[code]
		out = append(out, *n)
	}
	slices.SortFunc(out, func(a, b Needs) int {
		if a.Code < b.Code {
			return -1
		}
		if a.Code > b.Code {
			return 1
		}
		return 0
	})
	return out
}
