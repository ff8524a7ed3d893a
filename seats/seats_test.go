package seats

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func counts(votes ...int64) []Count {
	out := make([]Count, len(votes))
	for i, v := range votes {
		out[i] = Count{Party: string(rune('A' + i)), Votes: v}
	}
	return out
}

func TestSainteLague(t *testing.T) {
	for _, tt := range []struct {
		name  string
		seats int
		votes []int64
		want  []int
		tied  []string
	}{
		// The textbook example (Wikipedia, "Sainte-Laguë method"): 8 seats;
		// A's third quotient and D's first are both 20,000 and both win.
		{"textbook 8 seats", 8, []int64{100_000, 80_000, 30_000, 20_000}, []int{3, 3, 1, 1}, nil},
		// Balinski & Young's 7 seats: 53,000 / 24,000 / 23,000. D'Hondt
		// gives 5-1-1; Sainte-Laguë 3-2-2, kinder to small parties.
		{"favours small parties less than d'Hondt", 7, []int64{53_000, 24_000, 23_000}, []int{3, 2, 2}, nil},
		{"divisors 1, 3, 5: a second seat needs 3x the votes", 2, []int64{301, 100}, []int{2, 0}, nil},
		{"divisors 1, 3, 5: just under 3x", 2, []int64{299, 100}, []int{1, 1}, nil},
		{"one seat to the largest", 1, []int64{10, 30, 20}, []int{0, 1, 0}, nil},
		// 300/3 = 100: a tie for the second seat, given to the party with
		// more votes, and reported.
		{"tie goes to more votes", 2, []int64{300, 100}, []int{2, 0}, []string{"A", "B"}},
		// Equal votes: ballot order decides, and the projection says so.
		{"equal votes tie by ballot order", 1, []int64{50, 50}, []int{1, 0}, []string{"A", "B"}},
		{"a tie resolved by the next seat is no tie", 2, []int64{50, 50}, []int{1, 1}, nil},
		{"no votes, no seats", 3, []int64{0, 0}, []int{0, 0}, nil},
		{"more seats than one party can use", 3, []int64{0, 7}, []int{0, 3}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := SainteLague(tt.seats, counts(tt.votes...))
			if diff := cmp.Diff(tt.want, got.Seats); diff != "" {
				t.Errorf("seats (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.tied, got.Tied); diff != "" {
				t.Errorf("tied (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPass(t *testing.T) {
	for _, tt := range []struct {
		name      string
		votes     []int64
		total     int64
		threshold float64
		want      []string
	}{
		{"4 % of the national total", []int64{50, 3, 40, 4}, 100, 0.04, []string{"A", "C", "D"}},
		{"the total is the country's, not the dapil's", []int64{90, 40}, 2000, 0.04, []string{"A"}},
		{"no threshold keeps every party with votes", []int64{1, 0, 99}, 100, 0, []string{"A", "C"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range Pass(counts(tt.votes...), tt.total, tt.threshold) {
				got = append(got, c.Party)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("passing parties (-want +got):\n%s", diff)
			}
		})
	}
}
