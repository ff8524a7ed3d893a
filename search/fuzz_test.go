package search

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/deskpemilu/siaga"
)

// FuzzSearch feeds the query parser and the search any text: nothing
// panics, a query within the bound is answered, a page holds at most its
// limit and never more than the total, and Key is stable.
func FuzzSearch(f *testing.F) {
	x := fixture(f)
	for _, q := range []string{"sukamaju", "Kab. Serang", "36.01.12.2014.002", "kota administrasi jakarta",
		"ba'u", "desa kota baru", "ÉCOLE", "3601", "s", "", "\x00\xff", "pnadeglang", "kel. kec. kab."} {
		f.Add(q, "", 10)
	}
	f.Add("s", "2", 1)
	f.Fuzz(func(t *testing.T, q, cursor string, limit int) {
		res, err := x.Search(q, cursor, limit)
		if err != nil {
			if siaga.ErrorCode(err) != siaga.EInvalid {
				t.Fatalf("Search(%q, %q) = %v, want only invalid input refused", q, cursor, err)
			}
			if len(q) <= siaga.MaxSearchQuery && cursor == "" {
				t.Fatalf("Search(%q) refused a query within bounds: %v", q, err)
			}
			return
		}
		if len(res.Hits) > min(max(limit, 1), siaga.MaxSearchLimit) || len(res.Hits) > res.Total {
			t.Fatalf("Search(%q): %d hits, limit %d, total %d", q, len(res.Hits), limit, res.Total)
		}
		k := Key(q)
		if Key(k) != k {
			t.Fatalf("Key(%q) = %q but Key of that = %q", q, k, Key(k))
		}
		for _, r := range k {
			if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsDigit(r)) || unicode.ToLower(r) != r {
				t.Fatalf("Key(%q) = %q holds %q", q, k, r)
			}
		}
	})
}

// FuzzDistance checks the bounded distance against the plain full-table
// one: equal within the bound, max+1 beyond it.
func FuzzDistance(f *testing.F) {
	f.Add("pandeglang", "pnadeglang", 2)
	f.Add("ca", "abc", 3)
	f.Add("kitten", "sitting", 2)
	f.Fuzz(func(t *testing.T, a, b string, max int) {
		if len(a) > 40 || len(b) > 40 {
			return
		}
		max = (max%4 + 4) % 4
		want := osa(a, b)
		if want > max {
			want = max + 1
		}
		if got := Distance(a, b, max); got != want {
			t.Fatalf("Distance(%q, %q, %d) = %d, want %d", a, b, max, got, want)
		}
		want = len(a)
		for j := 0; j <= len(b); j++ {
			want = min(want, osa(a, b[:j]))
		}
		if want > max {
			want = max + 1
		}
		if got := prefixDistance(a, b, max); got != want {
			t.Fatalf("prefixDistance(%q, %q, %d) = %d, want %d", a, b, max, got, want)
		}
	})
}

// osa is the textbook optimal string alignment distance over bytes.
func osa(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
