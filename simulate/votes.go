package simulate

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/deskpemilu/siaga"
)

// dapilPlan is the seeded political geography of one dapil: how strong each
// party and candidate is there, and which candidates each party lists.
type dapilPlan struct {
	party []float64 // per el.Parties
	cand  []float64 // per Dapil.Candidates
	lists [][]int   // per el.Parties: indices into Dapil.Candidates
}

func (n *Night) planDapil() []dapilPlan {
	plans := make([]dapilPlan, len(n.el.Dapil))
	partyAt := make(map[int]int, len(n.el.Parties))
	for k, p := range n.el.Parties {
		partyAt[p.Number] = k
	}
	for d, dp := range n.el.Dapil {
		r := n.rng(streamDapil, d, dp.Contest)
		var pl dapilPlan
		if dp.Contest.Legislative() {
			pl.party = make([]float64, len(n.el.Parties))
			for k, p := range n.el.Parties {
				base, ok := partyBase[p.Number]
				if !ok {
					base = 1
				}
				pl.party[k] = base * lognormal(r, 0.25)
			}
			pl.lists = make([][]int, len(n.el.Parties))
		}
		pl.cand = make([]float64, len(dp.Candidates))
		for k, c := range dp.Candidates {
			if !dp.Contest.Legislative() {
				pl.cand[k] = lognormal(r, 0.8)
				continue
			}
			// Voters favour the top of a party's list.
			pl.cand[k] = math.Pow(float64(max(c.Number, 1)), -0.8) * lognormal(r, 0.6)
			if at, ok := partyAt[c.Party]; ok {
				pl.lists[at] = append(pl.lists[at], k)
			}
		}
		plans[d] = pl
	}
	return plans
}

// votes fills the vote section of TPS i for contest c with valid votes.
func (n *Night) votes(i int, c siaga.Contest, valid int) *siaga.Votes {
	r := n.rng(streamVotes, i, c)
	switch {
	case c == siaga.PPWP:
		return n.ppwpVotes(r, i, valid)
	case c.Legislative():
		return n.partyVotes(r, n.dapilOf(i, c), valid)
	default:
		return n.candidateVotes(r, n.dapilOf(i, c), valid)
	}
}

func (n *Night) ppwpVotes(r *rand.Rand, i int, valid int) *siaga.Votes {
	base, ok := ppwpKab[n.reg.TPS[i].Code[:min(4, len(n.reg.TPS[i].Code))]]
	if !ok {
		base = ppwpProvince
	}
	w := make([]float64, len(n.el.Tickets))
	for k := range w {
		w[k] = 1
		if k < len(base) {
			w[k] = base[k]
		}
	}
	counts := allocate(valid, noisy(r, w, 0.25))
	v := &siaga.Votes{Options: make(map[string]int, len(counts))}
	for k, t := range n.el.Tickets {
		v.Options[t.Number] = counts[k]
	}
	return v
}

func (n *Night) candidateVotes(r *rand.Rand, d int, valid int) *siaga.Votes {
	dp := n.el.Dapil[d]
	counts := allocate(valid, noisy(r, n.plans[d].cand, 0.3))
	v := &siaga.Votes{Options: make(map[string]int, len(counts))}
	for k, c := range dp.Candidates {
		v.Options[c.ID] = counts[k]
	}
	return v
}

func (n *Night) partyVotes(r *rand.Rand, d int, valid int) *siaga.Votes {
	dp, pl := n.el.Dapil[d], n.plans[d]
	perParty := allocate(valid, noisy(r, pl.party, 0.35))
	v := &siaga.Votes{Parties: make(map[string]siaga.PartyVotes, len(perParty))}
	for k, p := range n.el.Parties {
		list := pl.lists[k]
		pv := siaga.PartyVotes{Candidates: make(map[string]int, len(list))}
		onlyParty := perParty[k]
		if len(list) > 0 {
			onlyParty = binomial(r, perParty[k], partyOnlyShare)
			w := make([]float64, len(list))
			for j, ci := range list {
				w[j] = pl.cand[ci] * lognormal(r, 0.4)
			}
			for j, got := range allocate(perParty[k]-onlyParty, w) {
				pv.Candidates[dp.Candidates[list[j]].ID] = got
			}
		}
		pv.Party = onlyParty
		total := perParty[k]
		pv.Total = &total
		v.Parties[strconv.Itoa(p.Number)] = pv
	}
	return v
}
