package simulate

import (
	"math"
	"math/rand/v2"

	"github.com/deskpemilu/siaga"
)

// Streams of randomness: each aspect of a TPS draws from its own stream so
// that adding a draw in one aspect does not shift the others.
const (
	streamFate uint64 = iota + 1
	streamTiming
	streamAdmin
	streamVotes
	streamSlip
	streamWitness
	streamDapil
)

// rng returns the stream of one aspect of TPS i and contest c. The stream
// depends only on (seed, stream, i, c), which makes every form reproducible
// on its own, in any order.
func (n *Night) rng(stream uint64, i int, c siaga.Contest) *rand.Rand {
	lo := uint64(i)<<8 | uint64(contestOrder(c)+1)
	return rand.New(rand.NewPCG(mix(uint64(n.cfg.Seed), stream), mix(lo, stream)))
}

// mix is SplitMix64's finaliser over a and b: nearby inputs give unrelated
// PCG seeds.
func mix(a, b uint64) uint64 {
	z := a ^ (b * 0x9e3779b97f4a7c15)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// lognormal returns a positive factor with median 1.
func lognormal(r *rand.Rand, sigma float64) float64 {
	return math.Exp(sigma * r.NormFloat64())
}

// poisson draws a Poisson count. Means here are small (a few per TPS), so
// Knuth's method is exact and cheap; large means use the normal
// approximation.
func poisson(r *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 30 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// binomial approximates Binomial(n, p) by a rounded normal, clamped to
// [0, n]; n is at most a few hundred voters.
func binomial(r *rand.Rand, n int, p float64) int {
	mean := float64(n) * p
	sd := math.Sqrt(mean * (1 - p))
	return min(n, max(0, int(math.Round(mean+sd*r.NormFloat64()))))
}

// allocate splits total into len(weights) non-negative counts proportional
// to weights (largest remainder), so the counts sum to total exactly.
func allocate(total int, weights []float64) []int {
	out := make([]int, len(weights))
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	if total <= 0 || sum <= 0 {
		return out
	}
	rem := make([]float64, len(weights))
	given := 0
	for k, w := range weights {
		x := float64(total) * w / sum
		out[k] = int(x)
		rem[k] = x - float64(out[k])
		given += out[k]
	}
	for ; given < total; given++ {
		best := 0
		for k := range rem {
			if rem[k] > rem[best] {
				best = k
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// noisy returns base with each weight multiplied by a lognormal factor.
func noisy(r *rand.Rand, base []float64, sigma float64) []float64 {
	out := make([]float64, len(base))
	for k, w := range base {
		out[k] = w * lognormal(r, sigma)
	}
	return out
}
