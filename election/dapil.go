package election

import (
	"fmt"
	"slices"
	"strings"

	"github.com/deskpemilu/siaga"
)

// dprdProvSeats is the size of Banten's provincial parliament (2024).
const dprdProvSeats = 100

// tree is the Banten part of a registry: kab/kota, their kecamatan and the
// kecamatan's desa, ordered by code.
type tree struct {
	kabs  []siaga.Region
	kecs  map[string][]siaga.Region
	desas map[string][]siaga.Region
}

func newTree(reg *siaga.Registry) tree {
	t := tree{kecs: map[string][]siaga.Region{}, desas: map[string][]siaga.Region{}}
	if reg == nil {
		return t
	}
	for _, r := range reg.Regions {
		switch {
		case r.Level == siaga.LevelKabKota && r.Parent == "36":
			t.kabs = append(t.kabs, r)
		case r.Level == siaga.LevelKecamatan && strings.HasPrefix(r.Code, "36"):
			t.kecs[r.Parent] = append(t.kecs[r.Parent], r)
		case r.Level == siaga.LevelDesa && strings.HasPrefix(r.Code, "36"):
			t.desas[r.Parent] = append(t.desas[r.Parent], r)
		}
	}
	byCode := func(a, b siaga.Region) int { return strings.Compare(a.Code, b.Code) }
	slices.SortFunc(t.kabs, byCode)
	for _, k := range t.kecs {
		slices.SortFunc(k, byCode)
	}
	for _, d := range t.desas {
		slices.SortFunc(d, byCode)
	}
	return t
}

// dprdProv shares the 100 seats among kab/kota by DPT; a kab/kota with more
// than 12 seats is split into groups of neighbouring (by code) kecamatan.
func dprdProv(t tree) []siaga.Dapil {
	seats := largestRemainder(dprdProvSeats, dpts(t.kabs))
	var out []siaga.Dapil
	for i, kab := range t.kabs {
		for _, g := range split(t.kecs[kab.Code], seats[i], (seats[i]+11)/12) {
			regions := g.codes
			if len(g.codes) == len(t.kecs[kab.Code]) {
				regions = []string{kab.Code}
			}
			out = append(out, siaga.Dapil{Contest: siaga.DPRDProv, Seats: g.seats, Regions: regions,
				Name: fmt.Sprintf("BANTEN %d", len(out)+1)})
		}
	}
	return out
}

// dprdKab gives every kab/kota its parliament: 45–55 seats by DPT (the law
// goes by population, which is not embedded; DPT is about 70 % of it), in
// dapil of 3–12 seats around 10.
func dprdKab(t tree) []siaga.Dapil {
	var out []siaga.Dapil
	for _, kab := range t.kabs {
		seats := kabSeats(kab.DPT)
		name := strings.ToUpper(strings.Replace(kab.Name, "Kabupaten ", "Kab. ", 1))
		for i, g := range split(t.units(kab, seats), seats, (seats+9)/10) {
			out = append(out, siaga.Dapil{Contest: siaga.DPRDKab, Seats: g.seats, Regions: g.codes,
				Name: fmt.Sprintf("%s %d", name, i+1)})
		}
	}
	return out
}

// kabSeats follows UU 7/2017's bands (population 500k–1M: 45, 1M–3M: 50,
// above 3M: 55) with population estimated as DPT / 0.7.
func kabSeats(dpt int) int {
	switch pop := dpt * 10 / 7; {
	case pop > 3_000_000:
		return 55
	case pop > 1_000_000:
		return 50
	}
	return 45
}

// units are what DPRD kab/kota dapil are built from: kecamatan, except that
// a kecamatan worth more than 12 seats is cut into its desa, as UU 7/2017
// allows ("bagian kecamatan").
func (t tree) units(kab siaga.Region, seats int) []siaga.Region {
	var out []siaga.Region
	for _, k := range t.kecs[kab.Code] {
		if k.DPT*seats > 12*kab.DPT && len(t.desas[k.Code]) > 1 {
			out = append(out, t.desas[k.Code]...)
		} else {
			out = append(out, k)
		}
	}
	return out
}

func dpts(rs []siaga.Region) []int {
	out := make([]int, len(rs))
	for i, r := range rs {
		out[i] = r.DPT
	}
	return out
}

type group struct {
	codes []string
	seats int
}

// split cuts regions (in code order) into the fewest groups, from k up,
// whose seats by DPT all fall in 3–12.
func split(kecs []siaga.Region, seats, k int) []group {
	var best []group
	for ; k <= len(kecs); k++ {
		parts := partition(dpts(kecs), k)
		w := make([]int, len(parts))
		for i, p := range parts {
			for _, j := range p {
				w[i] += kecs[j].DPT
			}
		}
		alloc := largestRemainder(seats, w)
		groups := make([]group, len(parts))
		ok := true
		for i, p := range parts {
			for _, j := range p {
				groups[i].codes = append(groups[i].codes, kecs[j].Code)
			}
			groups[i].seats = alloc[i]
			ok = ok && alloc[i] >= 3 && alloc[i] <= 12
		}
		if ok {
			return groups
		}
		if best == nil {
			best = groups
		}
	}
	return best
}

// partition cuts the indexes of w into k consecutive non-empty runs of about
// equal weight. len(w) must be at least k.
func partition(w []int, k int) [][]int {
	total := 0
	for _, x := range w {
		total += x
	}
	var out [][]int
	start, cum := 0, 0
	for g := 0; g < k-1; g++ {
		target := total * (g + 1) / k
		end := start + 1
		cum += w[start]
		for end < len(w)-(k-1-g) && abs(cum+w[end]-target) < abs(cum-target) {
			cum += w[end]
			end++
		}
		out = append(out, indexes(start, end))
		start = end
	}
	return append(out, indexes(start, len(w)))
}

func indexes(lo, hi int) []int {
	out := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		out = append(out, i)
	}
	return out
}

func abs(x int) int { return max(x, -x) }

// largestRemainder (Hamilton) shares total out in proportion to w so that
// the parts add up to total; ties go to the earlier index.
func largestRemainder(total int, w []int) []int {
	sum := 0
	for _, x := range w {
		sum += x
	}
	out := make([]int, len(w))
	if len(w) == 0 {
		return out
	}
	if sum == 0 {
		w, sum = slices.Repeat([]int{1}, len(w)), len(w)
	}
	given := 0
	order := make([]int, len(w))
	for i, x := range w {
		out[i] = total * x / sum
		given += out[i]
		order[i] = i
	}
	rem := func(i int) int { return total*w[i] - out[i]*sum }
	slices.SortStableFunc(order, func(a, b int) int { return rem(b) - rem(a) })
	for i := 0; given < total; i++ {
		out[order[i%len(order)]]++
		given++
	}
	return out
}
