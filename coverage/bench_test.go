package coverage

import (
	"math/rand/v2"
	"testing"
)

// benchInstance is the size of Banten's plan: 452 blank-spot TPS and 5,000
// candidate sites near them on a 100 km square, each covering the TPS
// within its radius (1 to 10 km), costing 5 to 400 million rupiah.
func benchInstance(tb testing.TB) Instance {
	tb.Helper()
	r := rand.New(rand.NewPCG(452, 5000))
	const tps, sites = 452, 5000
	xs, ys := make([]float64, tps), make([]float64, tps)
	in := Instance{Weights: make([]float64, tps), Sets: make([][]int32, sites), Costs: make([]float64, sites)}
	for i := range tps {
		xs[i], ys[i] = r.Float64()*100_000, r.Float64()*100_000
		in.Weights[i] = float64(150 + r.IntN(150)) // voters
	}
	for s := range sites {
		near := r.IntN(tps)
		x, y := xs[near]+r.NormFloat64()*3000, ys[near]+r.NormFloat64()*3000
		radius := 1000 + r.Float64()*9000
		for i := range tps {
			if dx, dy := xs[i]-x, ys[i]-y; dx*dx+dy*dy <= radius*radius {
				in.Sets[s] = append(in.Sets[s], int32(i))
			}
		}
		in.Costs[s] = float64(5+r.IntN(395)) * 1e6
	}
	if err := in.Check(); err != nil {
		tb.Fatal(err)
	}
	return in
}

func BenchmarkGreedy(b *testing.B) {
	in := benchInstance(b)
	for b.Loop() {
		Greedy(in, 50)
	}
}

func BenchmarkPlainGreedy(b *testing.B) {
	in := benchInstance(b)
	for b.Loop() {
		PlainGreedy(in, 50)
	}
}

func BenchmarkBudgeted(b *testing.B) {
	in := benchInstance(b)
	for b.Loop() {
		Budgeted(in, 5e9)
	}
}
