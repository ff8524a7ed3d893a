package search

// Distance is the Damerau-Levenshtein distance of a and b (optimal string
// alignment: insertions, deletions, substitutions and swaps of two
// neighbouring letters, each costing one), or max+1 when it exceeds max.
// Bounding it lets most candidates be dropped after a few rows, and only a
// band of 2·max+1 cells per row is ever filled.
func Distance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	return align(a, b, max, false)
}

// prefixDistance is the distance from a to the nearest prefix of b, or
// max+1 when it exceeds max: how far a name begins with what was typed.
func prefixDistance(a, b string, max int) int {
	if len(b) > len(a)+max {
		b = b[:len(a)+max]
	}
	if len(b) < len(a)-max {
		return max + 1
	}
	return align(a, b, max, true)
}

// align fills the alignment table of a against b row by row; prefix takes
// the best of the last row (a against any prefix of b) instead of its end.
func align(a, b string, max int, prefix bool) int {
	if len(a) == 0 || len(b) == 0 {
		if prefix {
			return len(a) // the empty prefix
		}
		return len(a) + len(b)
	}
	// Three rows of len(b)+1: the one before the previous (for swaps),
	// the previous and the current. Names are short: the rows fit on the
	// stack, which is cleared on each call, so it stays small.
	var buf [3 * 48]int32
	n := len(b) + 1
	var rows []int32
	if 3*n <= len(buf) {
		rows = buf[:3*n]
	} else {
		rows = make([]int32, 3*n)
	}
	prev2, prev, cur := rows[:n], rows[n:2*n], rows[2*n:]
	big := int32(max + 1)
	for j := range prev {
		prev[j] = min(int32(j), big)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max1(i-max, 1), min(i+max, len(b))
		cur[0] = min(int32(i), big)
		if lo > 1 {
			cur[lo-1] = big
		}
		best := cur[0]
		if lo > 1 {
			best = big
		}
		for j := lo; j <= hi; j++ {
			cost := int32(1)
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = min(v, big)
			best = min(best, cur[j])
		}
		if hi < len(b) {
			cur[hi+1] = big
		}
		if best > big-1 {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if !prefix {
		return int(prev[len(b)])
	}
	// Cells outside the last row's band hold older rows' values.
	best := big
	for j := max1(len(a)-max, 0); j <= min(len(a)+max, len(b)); j++ {
		best = min(best, prev[j])
	}
	return int(best)
}

func max1(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// maxSearchKey is the longest key a query can have: its bytes, less the
// spaces and punctuation.
const maxSearchKey = 128
