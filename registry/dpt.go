package registry

import (
	"errors"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/deskpemilu/siaga"
)

// Official figures (KPU): the national DPT of Pemilu 2024 and the maximum
// number of voters per TPS.
const (
	NationalDPT = 204_807_222
	NationalTPS = 820_161
	MaxDPT      = 300
)

// buildTPS lists the TPS of every desa: regular ones numbered from 1, then
// the special range. Codes are cut from one string per desa so 820,161 TPS
// cost 83,731 allocations, not 820,161.
func buildTPS(desas []desaTPS) []siaga.TPS {
	n := 0
	for _, d := range desas {
		n += d.count()
	}
	out := make([]siaga.TPS, 0, n)
	for _, d := range desas {
		var b strings.Builder
		b.Grow(d.count() * 13)
		add := func(num int, special bool) {
			b.WriteString(d.Code)
			b.Write([]byte{byte('0' + num/100), byte('0' + num/10%10), byte('0' + num%10)})
			out = append(out, siaga.TPS{Desa: d.Code, Number: num, Special: special})
		}
		first := len(out)
		for i := 1; i <= d.Regular; i++ {
			add(i, false)
		}
		for i := d.SpecialFirst; i > 0 && i <= d.SpecialLast; i++ {
			add(i, true)
		}
		codes := b.String()
		for i := first; i < len(out); i++ {
			k := (i - first) * 13
			out[i].Code = codes[k : k+13]
		}
	}
	return out
}

// rngFor gives every (seed, scope) its own stream so that a province's TPS
// get the same numbers whether it is loaded alone or with all of Indonesia.
func rngFor(seed int64, scope string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(scope))
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

// generateDPT gives every TPS a synthetic DPT. Banten kab/kota sum exactly to
// their official DPT; every other province gets its share (by TPS count) of
// the national DPT left after Banten, so "all" sums to NationalDPT.
func generateDPT(tps []siaga.TPS, all []desaTPS, seed int64) error {
	targets, err := dptTargets(all)
	if err != nil {
		return err
	}
	for lo := 0; lo < len(tps); {
		scope := dptScope(tps[lo].Code)
		hi := lo
		for hi < len(tps) && strings.HasPrefix(tps[hi].Code, scope) {
			hi++
		}
		if err := distribute(rngFor(seed, "dpt"+scope), tps[lo:hi], targets[scope]); err != nil {
			return err
		}
		lo = hi
	}
	return nil
}

// dptScope is the region whose DPT total is fixed: a kab/kota in Banten
// (official figures exist), a province elsewhere.
func dptScope(code string) string {
	if strings.HasPrefix(code, Banten) {
		return code[:4]
	}
	return code[:2]
}

func dptTargets(all []desaTPS) (map[string]int, error) {
	official, err := bantenOfficial()
	if err != nil {
		return nil, err
	}
	targets := make(map[string]int)
	rest, restTPS := NationalDPT, 0
	counts := make(map[string]int)
	for _, k := range official {
		targets[k.Code] = k.DPT
		rest -= k.DPT
	}
	for _, d := range all {
		if !strings.HasPrefix(d.Code, Banten) {
			counts[d.Code[:2]] += d.count()
			restTPS += d.count()
		}
	}
	for p, n := range largestRemainder(rest, counts, restTPS) {
		targets[p] = n
	}
	return targets, nil
}

// largestRemainder shares total out in proportion to weights (summing to
// sum) so that the parts add up to total exactly.
func largestRemainder(total int, weights map[string]int, sum int) map[string]int {
	out := make(map[string]int, len(weights))
	type rem struct {
		key  string
		frac float64
	}
	var rems []rem
	given := 0
	for k, w := range weights {
		exact := float64(total) * float64(w) / float64(sum)
		out[k] = int(exact)
		given += out[k]
		rems = append(rems, rem{k, exact - math.Floor(exact)})
	}
	sortRems := func(a, b rem) int {
		switch {
		case a.frac > b.frac:
			return -1
		case a.frac < b.frac:
			return 1
		}
		return strings.Compare(a.key, b.key)
	}
	slices.SortFunc(rems, sortRems)
	for i := 0; given < total; i++ {
		out[rems[i%len(rems)].key]++
		given++
	}
	return out
}

var errInfeasible = errors.New("target DPT does not fit in the TPS (max 300 each)")

// distribute sets DPT on tps so that it sums to target: special TPS (in
// hospitals, prisons) get a few dozen voters, regular TPS a normal spread
// around the mean, never above MaxDPT; the residual is then spread one voter
// at a time over the TPS that still have room.
func distribute(rng *rand.Rand, tps []siaga.TPS, target int) error {
	regular, rest := 0, target
	for i := range tps {
		if tps[i].Special {
			tps[i].DPT = 15 + rng.IntN(100)
			rest -= tps[i].DPT
		} else {
			regular++
		}
	}
	if regular == 0 || rest < regular || rest > regular*MaxDPT {
		return errInfeasible
	}
	mean := float64(rest) / float64(regular)
	sigma := min(max((MaxDPT-mean)/1.5, 8), 40)
	floor := max(1, int(mean/3))
	sum := 0
	for i := range tps {
		if !tps[i].Special {
			v := int(math.Round(mean + sigma*rng.NormFloat64()))
			tps[i].DPT = min(max(v, floor), MaxDPT)
			sum += tps[i].DPT
		}
	}
	for diff := rest - sum; diff != 0; {
		step, moved := 1, false
		if diff < 0 {
			step = -1
		}
		start := rng.IntN(len(tps))
		for k := range tps {
			t := &tps[(start+k)%len(tps)]
			if diff == 0 {
				break
			}
			if t.Special || t.DPT+step > MaxDPT || t.DPT+step < 1 {
				continue
			}
			t.DPT += step
			diff -= step
			moved = true
		}
		if !moved {
			return errInfeasible
		}
	}
	return nil
}
