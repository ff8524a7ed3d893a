// Package seats projects legislative seats from vote counts: Sainte-Laguë
// (divisors 1, 3, 5, …) among the parties that pass a threshold, as UU
// 7/2017 art. 414–415 prescribe for DPR and DPRD. It is a projection from
// the votes counted so far, never the official result.
package seats

import "cmp"

// Count is one party's votes in a dapil.
type Count struct {
	Party string
	Votes int64
}

// Allocation is the projected seats of a dapil.
type Allocation struct {
	// Seats per party, in the order of the counts given, zero included.
	Seats []int
	// Tied lists the parties whose quotients were equal for the last seat
	// given: the law breaks such a tie by the spread of votes over the
	// dapil, which a count does not hold, so the projection says so.
	Tied []string
}

// SainteLague shares n seats among counts: each seat goes to the highest
// quotient votes/(2s+1), s being the seats the party has already. Quotients
// are compared exactly (as cross products) so that equal quotients are
// recognised as ties; a tie goes to the party with more votes, then to the
// earlier count (ballot order), and is reported when it decided a seat
// that a tied party did not get.
func SainteLague(n int, counts []Count) Allocation {
	a := Allocation{Seats: make([]int, len(counts))}
	for range n {
		best := -1
		for i, c := range counts {
			if c.Votes <= 0 {
				continue
			}
			if best < 0 || beats(c, a.Seats[i], counts[best], a.Seats[best]) {
				best = i
			}
		}
		if best < 0 {
			return a // nobody has votes: the rest stay unallocated
		}
		a.Tied = tiedWith(counts, a.Seats, best)
		a.Seats[best]++
	}
	return a
}

// beats reports whether party x with sx seats takes the next seat before
// party y with sy seats.
func beats(x Count, sx int, y Count, sy int) bool {
	l := x.Votes * int64(2*sy+1)
	r := y.Votes * int64(2*sx+1)
	if l != r {
		return l > r
	}
	return x.Votes > y.Votes
}

// tiedWith lists the winner and every party whose quotient equals the
// winner's, when there are any; nil otherwise. Only the last seat's tie is
// kept: an earlier tie between the same parties is resolved by the next
// seat going to the other one.
func tiedWith(counts []Count, seats []int, winner int) []string {
	w := counts[winner]
	var out []string
	for i, c := range counts {
		if i == winner || c.Votes <= 0 {
			continue
		}
		if c.Votes*int64(2*seats[winner]+1) == w.Votes*int64(2*seats[i]+1) {
			out = append(out, c.Party)
		}
	}
	if out == nil {
		return nil
	}
	return append([]string{w.Party}, out...)
}

// Pass keeps the counts whose share of total reaches threshold (0.04 for
// 4 %); threshold 0 keeps every party with votes. total is the electorate
// the threshold is measured on, which for DPR is the whole country's valid
// votes, not the dapil's.
func Pass(counts []Count, total int64, threshold float64) []Count {
	var out []Count
	for _, c := range counts {
		if c.Votes > 0 && (threshold <= 0 || float64(c.Votes) >= threshold*float64(cmp.Or(total, 1))) {
			out = append(out, c)
		}
	}
	return out
}
