package coverage

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ones is n elements of weight 1.
func ones(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	return w
}

// summary is what the table tests check of a plan.
type summary struct {
	Chosen       []int
	Covered      float64
	CoveredCount int
	Cost         float64
	UpperBound   float64
}

func summarize(p Plan) summary {
	return summary{p.Chosen, p.Covered, p.CoveredCount, p.Cost, p.UpperBound}
}

func TestGreedy(t *testing.T) {
	tests := []struct {
		name string
		in   Instance
		k    int
		want summary
	}{{
		// The greedy takes the big set first and then has only one new
		// element per set left; the optimum is the two others. The bound
		// before the second pick: 4 covered + the two fresh gains of 1.
		name: "greedy not optimal",
		in:   Instance{Weights: ones(6), Sets: [][]int32{{0, 1, 2, 3}, {0, 1, 4}, {2, 3, 5}}},
		k:    2,
		want: summary{Chosen: []int{0, 1}, Covered: 5, CoveredCount: 5, UpperBound: 6},
	}, {
		name: "ties go to the lowest index",
		in:   Instance{Weights: ones(4), Sets: [][]int32{{0}, {1, 2}, {2, 3}, {1, 2}}},
		k:    1,
		want: summary{Chosen: []int{1}, Covered: 2, CoveredCount: 2, UpperBound: 2},
	}, {
		// A set covering only weightless elements adds nothing: the
		// greedy stops rather than pick it.
		name: "zero weights",
		in:   Instance{Weights: []float64{0, 0, 3, 0}, Sets: [][]int32{{0, 1}, {2, 3}, {3}}},
		k:    3,
		want: summary{Chosen: []int{1}, Covered: 3, CoveredCount: 2, UpperBound: 3},
	}, {
		name: "k larger than the candidates",
		in:   Instance{Weights: []float64{1, 2, 4}, Sets: [][]int32{{0}, {1}, {2}}, Costs: []float64{5, 6, 7}},
		k:    10,
		want: summary{Chosen: []int{2, 1, 0}, Covered: 7, CoveredCount: 3, Cost: 18, UpperBound: 7},
	}, {
		name: "k zero",
		in:   Instance{Weights: ones(2), Sets: [][]int32{{0, 1}}},
		k:    0,
		want: summary{Chosen: []int{}, UpperBound: 0},
	}, {
		name: "nothing to cover",
		in:   Instance{},
		k:    3,
		want: summary{Chosen: []int{}},
	}, {
		// Weighted: one heavy element beats two light ones.
		name: "weights",
		in:   Instance{Weights: []float64{10, 1, 1}, Sets: [][]int32{{1, 2}, {0}}},
		k:    1,
		want: summary{Chosen: []int{1}, Covered: 10, CoveredCount: 1, UpperBound: 10},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.in.Check(); err != nil {
				t.Fatal(err)
			}
			p := Greedy(tt.in, tt.k)
			if diff := cmp.Diff(tt.want, summarize(p)); diff != "" {
				t.Errorf("Greedy (-want +got):\n%s", diff)
			}
			if p.Guarantee != GreedyGuarantee {
				t.Errorf("Guarantee = %v, want %v", p.Guarantee, GreedyGuarantee)
			}
		})
	}
}

func TestBudgeted(t *testing.T) {
	tests := []struct {
		name   string
		in     Instance
		budget float64
		want   summary
	}{{
		// Per rupiah the two small sets win and then fill the budget:
		// the greedy by size alone would have taken the big set only. The
		// bound: both small sets and ⅗ of the big one fit the budget.
		name:   "cost-benefit wins",
		in:     Instance{Weights: ones(13), Sets: [][]int32{{0, 1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}}, Costs: []float64{5, 1, 1}},
		budget: 5,
		want:   summary{Chosen: []int{1, 2}, Covered: 8, CoveredCount: 8, Cost: 2, UpperBound: 11},
	}, {
		// The cheap set has the best ratio and then the big one no longer
		// fits: the best single set (the size greedy's first pick) wins.
		// The bound: the cheap set and 95% of the big one.
		name:   "best single set wins",
		in:     Instance{Weights: ones(11), Sets: [][]int32{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {10}}, Costs: []float64{10, 0.5}},
		budget: 10,
		want:   summary{Chosen: []int{0}, Covered: 10, CoveredCount: 10, Cost: 10, UpperBound: 10.5},
	}, {
		// The set costing more than the budget is in no plan and no bound.
		name:   "set larger than the budget",
		in:     Instance{Weights: ones(5), Sets: [][]int32{{0, 1, 2, 3}, {4}}, Costs: []float64{11, 2}},
		budget: 10,
		want:   summary{Chosen: []int{1}, Covered: 1, CoveredCount: 1, Cost: 2, UpperBound: 1},
	}, {
		name:   "free sites",
		in:     Instance{Weights: ones(3), Sets: [][]int32{{0}, {1}, {}, {2}}, Costs: []float64{0, 0, 0, 4}},
		budget: 3,
		want:   summary{Chosen: []int{0, 1}, Covered: 2, CoveredCount: 2, UpperBound: 2},
	}, {
		// The knapsack bound takes a fraction: 2 + ⅔ of the 3 left.
		name:   "fractional bound",
		in:     Instance{Weights: ones(5), Sets: [][]int32{{0, 1}, {2, 3, 4}}, Costs: []float64{1, 3}},
		budget: 3,
		want:   summary{Chosen: []int{1}, Covered: 3, CoveredCount: 3, Cost: 3, UpperBound: 4},
	}, {
		name:   "budget zero",
		in:     Instance{Weights: ones(2), Sets: [][]int32{{0}, {1}}, Costs: []float64{1, 0}},
		budget: 0,
		want:   summary{Chosen: []int{1}, Covered: 1, CoveredCount: 1, UpperBound: 1},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.in.Check(); err != nil {
				t.Fatal(err)
			}
			p := Budgeted(tt.in, tt.budget)
			if diff := cmp.Diff(tt.want, summarize(p)); diff != "" {
				t.Errorf("Budgeted (-want +got):\n%s", diff)
			}
			if p.Guarantee != BudgetedGuarantee {
				t.Errorf("Guarantee = %v, want %v", p.Guarantee, BudgetedGuarantee)
			}
		})
	}
}

func TestSteps(t *testing.T) {
	in := Instance{Weights: []float64{1, 2, 3, 4}, Sets: [][]int32{{0, 1}, {2, 3}, {1, 2}}, Costs: []float64{1, 2, 3}}
	p := Greedy(in, 3)
	want := []Step{
		{Set: 1, Gain: 7, Covered: 7, CoveredCount: 2, Cost: 2},
		{Set: 0, Gain: 3, Covered: 10, CoveredCount: 4, Cost: 3},
	}
	if diff := cmp.Diff(want, p.Steps); diff != "" {
		t.Errorf("Steps (-want +got):\n%s", diff)
	}
	if p.Ratio != 1 {
		t.Errorf("Ratio = %v, want 1", p.Ratio)
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		in    Instance
		field string // "" when valid
	}{
		{"valid", Instance{Weights: ones(2), Sets: [][]int32{{0, 1}, {1}}, Costs: []float64{1, 0}}, ""},
		{"negative weight", Instance{Weights: []float64{-1}}, "weights"},
		{"NaN weight", Instance{Weights: []float64{math.NaN()}}, "weights"},
		{"infinite cost", Instance{Weights: ones(1), Sets: [][]int32{{0}}, Costs: []float64{math.Inf(1)}}, "costs"},
		{"costs missing", Instance{Weights: ones(1), Sets: [][]int32{{0}}, Costs: []float64{}}, "costs"},
		{"element out of range", Instance{Weights: ones(1), Sets: [][]int32{{1}}}, "sets"},
		{"element twice", Instance{Weights: ones(2), Sets: [][]int32{{0}, {1, 0, 1}}}, "sets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Check()
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); !contains(got, tt.field) {
				t.Errorf("error %q does not name %s", got, tt.field)
			}
		})
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// randomInstance is a small instance: integer weights (some zero) so that
// sums are exact, sets of any size (some empty, some overlapping), costs
// from 0 up.
func randomInstance(r *rand.Rand) Instance {
	n, m := 1+r.IntN(14), 1+r.IntN(11)
	in := Instance{Weights: make([]float64, n), Sets: make([][]int32, m), Costs: make([]float64, m)}
	for e := range in.Weights {
		in.Weights[e] = float64(r.IntN(6))
	}
	density := r.Float64()
	for s := range in.Sets {
		for e := range n {
			if r.Float64() < density*0.6 {
				in.Sets[s] = append(in.Sets[s], int32(e))
			}
		}
		in.Costs[s] = float64(r.IntN(8)) / 2
	}
	return in
}

// bruteForce is the optimum over every subset of candidates allowed.
func bruteForce(in Instance, allowed func(subset uint, cost float64) bool) float64 {
	best := 0.0
	for subset := uint(0); subset < 1<<len(in.Sets); subset++ {
		c := newCover(in)
		cost := 0.0
		for s := range in.Sets {
			if subset&(1<<s) != 0 {
				c.add(s)
				cost += in.Costs[s]
			}
		}
		if allowed(subset, cost) {
			best = max(best, c.weight())
		}
	}
	return best
}

// TestAgainstOptimum checks the greedy plans, their bounds and the exact
// solver against the optimum by enumeration, on many random instances.
func TestAgainstOptimum(t *testing.T) {
	const eps = 1e-9
	r := rand.New(rand.NewPCG(12, 2024))
	for i := range 3000 {
		in := randomInstance(r)
		if err := in.Check(); err != nil {
			t.Fatal(err)
		}
		k := r.IntN(len(in.Sets) + 2)
		budget := float64(r.IntN(12)) / 2
		name := fmt.Sprintf("instance %d (k %d, budget %v): %+v", i, k, budget, in)

		opt := bruteForce(in, func(subset uint, _ float64) bool { return bits.OnesCount(subset) <= k })
		g := Greedy(in, k)
		if g.Covered < GreedyGuarantee*opt-eps || g.Covered > opt+eps || g.UpperBound < opt-eps || len(g.Chosen) > k {
			t.Fatalf("%s: Greedy covers %v (bound %v, %d picks), optimum %v", name, g.Covered, g.UpperBound, len(g.Chosen), opt)
		}
		if plain := PlainGreedy(in, k); !cmp.Equal(plain.Chosen, g.Chosen, cmpopts.EquateEmpty()) {
			t.Fatalf("%s: Greedy picks %v, the plain greedy %v", name, g.Chosen, plain.Chosen)
		}
		if e := Exact(in, k); math.Abs(e.Covered-opt) > eps || len(e.Chosen) > k {
			t.Fatalf("%s: Exact covers %v with %v, optimum %v", name, e.Covered, e.Chosen, opt)
		}

		opt = bruteForce(in, func(_ uint, cost float64) bool { return cost <= budget })
		b := Budgeted(in, budget)
		if b.Cost > budget || b.Covered < BudgetedGuarantee*opt-eps || b.Covered > opt+eps || b.UpperBound < opt-eps {
			t.Fatalf("%s: Budgeted covers %v at %v (bound %v), optimum %v", name, b.Covered, b.Cost, b.UpperBound, opt)
		}
		if e := ExactBudgeted(in, budget); math.Abs(e.Covered-opt) > eps || e.Cost > budget {
			t.Fatalf("%s: ExactBudgeted covers %v at %v, optimum %v", name, e.Covered, e.Cost, opt)
		}
	}
}
