package coverage

import (
	"math"
	"slices"
)

// Exact returns an optimal choice of at most k candidates, by branch and
// bound. Its time grows as 2ⁿ in the worst case: it is meant for tests and
// small instances (up to about 25 candidates).
func Exact(in Instance, k int) Plan {
	b := branch{in: in, k: k, budget: math.Inf(1)}
	return b.solve()
}

// ExactBudgeted returns an optimal choice of candidates whose costs sum to
// at most budget; like Exact, for small instances.
func ExactBudgeted(in Instance, budget float64) Plan {
	if in.Costs == nil {
		in.Costs = make([]float64, len(in.Sets))
	}
	b := branch{in: in, k: len(in.Sets), budget: budget}
	return b.solve()
}

// branch is a depth-first search over "take candidate i or not", in an
// order that tries the most promising first, pruned where even the
// bound of the greedy's own kind (Leskovec's, with exact gains) cannot
// beat the best choice found.
type branch struct {
	in     Instance
	k      int
	budget float64

	order   []int // candidates in the order decided
	c       *cover
	chosen  []int
	best    []int
	bestVal float64
	gains   []entry // scratch for bounds
}

func (b *branch) solve() Plan {
	b.c = newCover(b.in)
	for s := range b.in.Sets {
		if b.in.cost(s) <= b.budget && len(b.in.Sets[s]) > 0 {
			b.order = append(b.order, s)
		}
	}
	// Big sets first find a good choice early, which prunes the rest.
	slices.SortStableFunc(b.order, func(x, y int) int { return len(b.in.Sets[y]) - len(b.in.Sets[x]) })
	b.bestVal = -1
	b.search(0, 0, 0)
	slices.Sort(b.best) // an optimum has no pick order; index order reads best
	p := plan(b.in, b.best, 0, 1)
	p.UpperBound, p.Ratio = p.Covered, 1
	return p
}

// search decides the candidates from order[i] on, given the choice so far
// covering covered at cost spent.
func (b *branch) search(i int, covered, spent float64) {
	if covered > b.bestVal {
		b.bestVal, b.best = covered, slices.Clone(b.chosen)
	}
	if i == len(b.order) || len(b.chosen) == b.k || covered+b.bound(i, spent) <= b.bestVal {
		return
	}
	s := b.order[i]
	if cost := b.in.cost(s); spent+cost <= b.budget {
		g := b.c.gain(s)
		b.c.add(s)
		b.chosen = append(b.chosen, s)
		b.search(i+1, covered+g, spent+cost)
		b.chosen = b.chosen[:len(b.chosen)-1]
		b.c.remove(s)
	}
	b.search(i+1, covered, spent)
}

// bound is at least what the candidates from order[i] on can add: the
// largest k−|chosen| gains, or the fractional knapsack of the gains within
// what is left of the budget.
func (b *branch) bound(i int, spent float64) float64 {
	b.gains = b.gains[:0]
	for _, s := range b.order[i:] {
		cost := b.in.cost(s)
		if spent+cost > b.budget {
			continue
		}
		g := b.c.gain(s)
		if g <= 0 {
			continue
		}
		key := g
		if b.budget < math.Inf(1) {
			key = math.Inf(1)
			if cost > 0 {
				key = g / cost
			}
		}
		b.gains = append(b.gains, entry{key: key, gain: g, set: int32(s)})
	}
	slices.SortFunc(b.gains, func(x, y entry) int {
		switch {
		case x.key > y.key:
			return -1
		case x.key < y.key:
			return 1
		}
		return 0
	})
	sum, left := 0.0, b.budget-spent
	for n, e := range b.gains {
		if n == b.k-len(b.chosen) {
			break
		}
		cost := b.in.cost(int(e.set))
		if cost > left {
			return sum + e.gain*left/cost
		}
		sum += e.gain
		left -= cost
	}
	return sum
}
