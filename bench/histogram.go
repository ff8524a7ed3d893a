package bench

import (
	"math"
	"time"
)

// histogram records durations in logarithmic buckets 2% wide, from 1µs to
// about 20 minutes: constant memory whatever the count, and quantiles good
// to 2%.
type histogram struct {
	counts [1100]uint64
	n      uint64
}

const histGrowth = 1.02

var logGrowth = math.Log(histGrowth)

func (h *histogram) record(d time.Duration) {
	i := 0
	if d > time.Microsecond {
		i = 1 + int(math.Log(float64(d)/float64(time.Microsecond))/logGrowth)
	}
	h.counts[min(i, len(h.counts)-1)]++
	h.n++
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// quantile returns the upper bound of the bucket holding the q-quantile,
// 0 when nothing was recorded.
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	rank = max(rank, 1)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return time.Duration(float64(time.Microsecond) * math.Pow(histGrowth, float64(i)))
		}
	}
	return time.Duration(float64(time.Microsecond) * math.Pow(histGrowth, float64(len(h.counts)-1)))
}

// ms rounds d to hundredths of a millisecond, for the JSON report.
func ms(d time.Duration) float64 {
	return math.Round(float64(d)/float64(time.Millisecond)*100) / 100
}
