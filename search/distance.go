package search

// distance is the Damerau-Levenshtein distance of a and b (optimal string
// alignment: insertions, deletions, substitutions and swaps of two
// neighbouring letters, each costing one), or max+1 when it exceeds max.
// Bounding it lets most candidates be dropped after a few rows, and only a
// band of 2·max+1 cells per row is ever filled.
func distance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	if len(a) == 0 || len(b) == 0 {
		return len(a) + len(b)
	}
	// Three rows of len(b)+1: the one before the previous (for swaps),
	// the previous and the current.
	var buf [3 * (2*maxSearchKey + 2)]int
	n := len(b) + 1
	var rows []int
	if 3*n <= len(buf) {
		rows = buf[:3*n]
	} else {
		rows = make([]int, 3*n)
	}
	prev2, prev, cur := rows[:n], rows[n:2*n], rows[2*n:]
	big := max + 1
	for j := range prev {
		prev[j] = min(j, big)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max1(i-max, 1), min(i+max, len(b))
		cur[0] = min(i, big)
		if lo > 1 {
			cur[lo-1] = big
		}
		best := cur[0]
		if lo > 1 {
			best = big
		}
		for j := lo; j <= hi; j++ {
			cost := 1
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
		if best > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
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
