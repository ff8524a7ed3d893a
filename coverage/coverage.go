// Package coverage chooses where to put a few interventions (boosters,
// VSAT terminals, mobile BTS) so that they reach the most blank-spot TPS:
// weighted maximum coverage, for k sites or for a budget.
//
// The problem is NP-hard, so the planner runs the lazy greedy algorithm
// (Minoux 1978; Leskovec et al. 2007, "CELF") and says how good its answer
// is in two ways: the a priori guarantee of the algorithm (Plan.Guarantee)
// and an upper bound on the optimum computed from the instance itself
// while the greedy runs (Plan.UpperBound, Leskovec et al. 2007 §3.2). The
// desk reads Plan.Ratio as "at least X% of the best possible". Exact
// solves small instances by branch and bound, so that tests check both
// against the optimum.
//
// The package is pure computation: it knows neither TPS nor sites, only
// elements with a weight and candidate sets with a cost. Package
// connectivity builds the instance from the surveys, the TPS locations and
// the candidate sites.
package coverage

import (
	"math"

	"github.com/deskpemilu/siaga"
)

// Instance is a weighted maximum coverage problem.
type Instance struct {
	// Weights is the worth of covering each element (a TPS): its voters,
	// a priority, or 1 to count TPS. Weights are finite and not negative.
	Weights []float64
	// Sets lists, per candidate, the elements it covers: indexes into
	// Weights, each at most once.
	Sets [][]int32
	// Costs is the cost of each candidate, finite and not negative. It may
	// be nil for Greedy and Exact, which count sites instead.
	Costs []float64
}

// Step is one pick of a plan, with the plan's totals once it is made: the
// before/after view walks them.
type Step struct {
	Set          int     `json:"set"`
	Gain         float64 `json:"gain"`          // weight newly covered by this pick
	Covered      float64 `json:"covered"`       // weight covered after it
	CoveredCount int     `json:"covered_count"` // elements covered after it
	Cost         float64 `json:"cost"`          // cost spent after it
}

// Plan is a choice of candidates and how good it is.
type Plan struct {
	Chosen       []int   `json:"chosen"`        // candidates, in the order picked
	Covered      float64 `json:"covered"`       // weight of the elements they cover
	CoveredCount int     `json:"covered_count"` // how many elements they cover
	Cost         float64 `json:"cost"`          // sum of their costs (0 without Costs)
	// UpperBound is at least the covered weight of the best possible
	// choice (up to float rounding), computed from the instance.
	UpperBound float64 `json:"upper_bound"`
	// Guarantee is the algorithm's a priori factor: whatever the
	// instance, Covered ≥ Guarantee × optimum.
	Guarantee float64 `json:"guarantee"`
	// Ratio is Covered / UpperBound: the plan covers at least this
	// fraction of what the best possible plan covers. It is 1 when
	// nothing can be covered.
	Ratio float64 `json:"ratio"`
	Steps []Step  `json:"steps"`
}

// The a priori factors of the algorithms.
var (
	// GreedyGuarantee is 1 − 1/e ≈ 0.632 (Nemhauser, Wolsey and Fisher
	// 1978): no polynomial algorithm does better unless P = NP (Feige 1998).
	GreedyGuarantee = 1 - 1/math.E
	// BudgetedGuarantee is ½(1 − 1/e) ≈ 0.316 (Khuller, Moss and Naor
	// 1999; Leskovec et al. 2007): the better of the cost-benefit greedy
	// and the best single affordable set.
	BudgetedGuarantee = (1 - 1/math.E) / 2
)

// Check reports the first way in which in is not an instance Greedy,
// Budgeted and Exact accept; they assume it passed.
func (in Instance) Check() error {
	for i, w := range in.Weights {
		if !(w >= 0) || math.IsInf(w, 1) {
			return siaga.Errorf(siaga.EInvalid, "weights", "bobot elemen %d (%v) harus bilangan terhingga tidak negatif",
				"the weight of element %d (%v) must be finite and not negative", i, w)
		}
	}
	if in.Costs != nil && len(in.Costs) != len(in.Sets) {
		return siaga.Errorf(siaga.EInvalid, "costs", "ada %d biaya untuk %d calon", "%d costs for %d candidates",
			len(in.Costs), len(in.Sets))
	}
	for i, c := range in.Costs {
		if !(c >= 0) || math.IsInf(c, 1) {
			return siaga.Errorf(siaga.EInvalid, "costs", "biaya calon %d (%v) harus bilangan terhingga tidak negatif",
				"the cost of candidate %d (%v) must be finite and not negative", i, c)
		}
	}
	seen := make([]int, len(in.Weights)) // the last set (+1) that listed each element
	for s, set := range in.Sets {
		for _, e := range set {
			if e < 0 || int(e) >= len(in.Weights) {
				return siaga.Errorf(siaga.EInvalid, "sets", "calon %d mencakup elemen %d yang tidak ada", "candidate %d covers element %d, which does not exist", s, e)
			}
			if seen[e] == s+1 {
				return siaga.Errorf(siaga.EInvalid, "sets", "calon %d mencantumkan elemen %d dua kali", "candidate %d lists element %d twice", s, e)
			}
			seen[e] = s + 1
		}
	}
	return nil
}

// cost is the cost of candidate s, 0 without Costs.
func (in Instance) cost(s int) float64 {
	if in.Costs == nil {
		return 0
	}
	return in.Costs[s]
}

// reachable is the weight of every element some candidate costing at most
// maxCost covers: no plan covers more, so it bounds the optimum too.
func (in Instance) reachable(maxCost float64) float64 {
	c := newCover(in)
	for s := range in.Sets {
		if in.cost(s) <= maxCost {
			c.add(s)
		}
	}
	return c.weight()
}

// cover is the state of a choice: how many chosen sets cover each element.
type cover struct {
	in    Instance
	times []int32
}

func newCover(in Instance) *cover { return &cover{in: in, times: make([]int32, len(in.Weights))} }

// gain is the weight candidate s would newly cover.
func (c *cover) gain(s int) float64 {
	g := 0.0
	for _, e := range c.in.Sets[s] {
		if c.times[e] == 0 {
			g += c.in.Weights[e]
		}
	}
	return g
}

func (c *cover) add(s int) {
	for _, e := range c.in.Sets[s] {
		c.times[e]++
	}
}

func (c *cover) remove(s int) {
	for _, e := range c.in.Sets[s] {
		c.times[e]--
	}
}

// weight sums the covered weight in element order, so that the same
// choice always gives the same float whatever the order it was built in.
func (c *cover) weight() float64 {
	w := 0.0
	for e, n := range c.times {
		if n > 0 {
			w += c.in.Weights[e]
		}
	}
	return w
}

func (c *cover) count() int {
	n := 0
	for _, t := range c.times {
		if t > 0 {
			n++
		}
	}
	return n
}

// plan turns a choice into a Plan, its totals recomputed from scratch.
// bound is an upper bound on the optimum.
func plan(in Instance, chosen []int, bound, guarantee float64) Plan {
	c := newCover(in)
	p := Plan{Chosen: chosen, Guarantee: guarantee, Steps: make([]Step, 0, len(chosen))}
	covered := 0.0
	for _, s := range chosen {
		g := c.gain(s)
		c.add(s)
		covered += g
		p.Cost += in.cost(s)
		p.Steps = append(p.Steps, Step{Set: s, Gain: g, Covered: covered, CoveredCount: c.count(), Cost: p.Cost})
	}
	if p.Chosen == nil {
		p.Chosen = []int{}
	}
	p.Covered, p.CoveredCount = c.weight(), c.count()
	// The optimum is at least what this plan covers: the bound is clamped
	// to it so that rounding never shows a ratio above 1.
	p.UpperBound = max(bound, p.Covered)
	p.Ratio = 1
	if p.UpperBound > 0 {
		p.Ratio = p.Covered / p.UpperBound
	}
	return p
}
