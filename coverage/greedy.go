package coverage

import (
	"math"
)

// Greedy picks up to k candidates, each time the one that newly covers the
// most weight (the lowest index among equals), and stops early when no
// candidate adds anything. Its plan covers at least GreedyGuarantee of the
// optimum.
//
// It is lazy (Minoux's accelerated greedy, CELF in Leskovec et al. 2007):
// a candidate's gain only shrinks as others are picked (coverage is
// submodular), so a gain computed some picks ago is an upper bound on its
// gain now; a candidate is re-evaluated only when it reaches the top of
// the queue, and picked when its fresh gain still tops every other's
// bound. The picks are those of the plain greedy.
func Greedy(in Instance, k int) Plan {
	r := lazy{in: in, k: k, budget: math.Inf(1), bound: boundTopK}
	chosen, bound := r.run()
	return plan(in, chosen, min(bound, in.reachable(math.Inf(1))), GreedyGuarantee)
}

// Budgeted picks candidates whose costs sum to at most budget: the better
// of the cost-benefit greedy (most new weight per rupiah first) and the
// greedy by new weight alone, whose first pick is the best single
// affordable candidate. Its plan covers at least BudgetedGuarantee of the
// optimum: Khuller, Moss and Naor (1999, §3) prove ½(1 − 1/e) for the
// better of the cost-benefit greedy and the best single set, and Leskovec
// et al. (2007, §3.1) for the better of the two greedy runs, as here.
// Candidates costing more than the budget are never picked; without Costs
// every candidate is free and all that add anything are picked.
//
// Khuller, Moss and Naor's enumeration variant reaches 1 − 1/e but starts
// the greedy from every triple of candidates: about 2·10¹⁰ runs for 5,000
// sites, far beyond a planning desk's minute.
func Budgeted(in Instance, budget float64) Plan {
	if in.Costs == nil {
		in.Costs = make([]float64, len(in.Sets))
	}
	cb := lazy{in: in, k: len(in.Sets), budget: budget, byCost: true, bound: boundKnapsack}
	chosen, bound := cb.run()
	uc := lazy{in: in, k: len(in.Sets), budget: budget}
	if other, _ := uc.run(); plan(in, other, 0, 0).Covered > plan(in, chosen, 0, 0).Covered {
		chosen = other
	}
	return plan(in, chosen, min(bound, in.reachable(budget)), BudgetedGuarantee)
}

// How a lazy run bounds the optimum after each pick.
type boundKind int

const (
	boundNone     boundKind = iota
	boundTopK               // f(S) + the k largest gains
	boundKnapsack           // f(S) + the fractional knapsack of the gains within the budget
)

// lazy is one run of the lazy greedy.
type lazy struct {
	in     Instance
	k      int     // most picks
	budget float64 // most cost; +Inf for none
	byCost bool    // order by gain per cost rather than by gain
	bound  boundKind

	queue  queue // candidates affordable in what is left of the budget
	parked queue // candidates that fit the budget but no longer what is left of it
	walk   queue // scratch for bounds
}

// run returns the picks and the least upper bound on the optimum seen
// (+Inf without a bound).
func (r *lazy) run() (chosen []int, bound float64) {
	c := newCover(r.in)
	for s := range r.in.Sets {
		if r.in.cost(s) > r.budget {
			continue // in no feasible plan, so in no bound either
		}
		g := c.gain(s)
		r.queue = append(r.queue, entry{key: r.key(g, s), gain: g, set: int32(s)})
	}
	r.queue.init()
	bound = math.Inf(1)
	covered, spent, round := 0.0, 0.0, int32(0)
	for len(chosen) < r.k && len(r.queue) > 0 && r.queue[0].key > 0 {
		top := &r.queue[0]
		if top.round != round { // stale: its gain may have shrunk since
			top.gain = c.gain(int(top.set))
			top.key, top.round = r.key(top.gain, int(top.set)), round
			if top.key <= 0 {
				r.queue.pop() // it will never add anything again
			} else {
				r.queue.down(0)
			}
			continue
		}
		if spent+r.in.cost(int(top.set)) > r.budget {
			r.parked.push(r.queue.pop())
			continue
		}
		// Bounding here rather than after the pick gives the bound the
		// gains just refreshed in finding it.
		bound = min(bound, r.boundAt(covered))
		e := r.queue.pop()
		cost := r.in.cost(int(e.set))
		chosen = append(chosen, int(e.set))
		c.add(int(e.set))
		covered += e.gain
		spent += cost
		round++
	}
	// The final choice's bound, with every gain fresh: one more pass over
	// the candidates, and often the tightest of the bounds.
	for _, q := range []queue{r.queue, r.parked} {
		for i := range q {
			q[i].gain = c.gain(int(q[i].set))
			q[i].key, q[i].round = r.key(q[i].gain, int(q[i].set)), round
		}
		q.init()
	}
	return chosen, min(bound, r.boundAt(covered))
}

// key orders the queue: the gain, or the gain per rupiah (a free candidate
// that covers anything comes first).
func (r *lazy) key(gain float64, s int) float64 {
	if !r.byCost {
		return gain
	}
	switch cost := r.in.cost(s); {
	case gain <= 0:
		return 0
	case cost == 0:
		return math.Inf(1)
	default:
		return gain / cost
	}
}

// boundAt bounds the optimum given the picks so far, which cover
// covered (Leskovec et al. 2007, §3.2): for any choice S and the optimal
// choice O, f(O) ≤ f(S ∪ O) ≤ f(S) + Σ_{o∈O} δ_o(S), where δ_o(S) is o's
// marginal gain w.r.t. S; O has at most k candidates (or fits the budget),
// so the k largest gains (or the fractional knapsack of the gains within
// the budget) bound the sum.
//
// The queues hold gains computed at earlier picks, not the current ones;
// by submodularity each is at least the current gain, and both the k
// largest and the knapsack only grow with the values they are given, so
// the bound stays valid, only looser, and costs no gain evaluation: it
// walks the k best entries of the heaps (or the best by gain per cost
// until the budget is spent) in O(m log m).
func (r *lazy) boundAt(covered float64) float64 {
	if r.bound == boundNone {
		return math.Inf(1)
	}
	// walk is a heap of the frontier of the two heaps: a node enters it
	// when its parent leaves, so the entries leave in key order.
	r.walk = r.walk[:0]
	seed := func(parked bool, i int) {
		q := r.queue
		if parked {
			q = r.parked
		}
		if i < len(q) {
			e := q[i]
			e.at, e.parked = int32(i), parked
			r.walk.push(e)
		}
	}
	seed(false, 0)
	seed(true, 0)
	sum, taken, left := 0.0, 0, r.budget
	for len(r.walk) > 0 && left > 0 && (r.bound != boundTopK || taken < r.k) {
		e := r.walk.pop()
		if e.key <= 0 {
			break // the rest add nothing
		}
		switch cost := r.in.cost(int(e.set)); {
		case r.bound == boundTopK || cost <= left:
			sum += e.gain
			left -= cost
		default: // the fraction that fits, and the knapsack is full
			sum += e.gain * left / cost
			left = 0
		}
		taken++
		seed(e.parked, 2*int(e.at)+1)
		seed(e.parked, 2*int(e.at)+2)
	}
	return covered + sum
}

// PlainGreedy is Greedy without the lazy queue: every pick evaluates
// every candidate again. It makes the same picks and has the same
// guarantee; `siaga bench geo` times it as Greedy's reference, and the
// tests check that the two agree. Its bound is only the reachable weight.
func PlainGreedy(in Instance, k int) Plan {
	c := newCover(in)
	var chosen []int
	taken := make([]bool, len(in.Sets))
	for len(chosen) < k {
		best, bestGain := -1, 0.0
		for s := range in.Sets {
			if g := c.gain(s); !taken[s] && g > bestGain {
				best, bestGain = s, g
			}
		}
		if best < 0 {
			break
		}
		taken[best] = true
		chosen = append(chosen, best)
		c.add(best)
	}
	return plan(in, chosen, in.reachable(math.Inf(1)), GreedyGuarantee)
}
