package search

import (
	"encoding/json"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// fixture is a few regions of Banten with the troubles of the national
// registry: one desa name in two kecamatan, one kecamatan name in two
// kab/kota, "Kota" and "Kabupaten" of one name, names spelt with spaces,
// hyphens and apostrophes, a desa called "Desa Baru" and one "Kota Baru".
func fixture(t testing.TB) *Index {
	t.Helper()
	b, err := os.ReadFile("testdata/registry.json")
	if err != nil {
		t.Fatal(err)
	}
	var reg siaga.Registry
	if err := json.Unmarshal(b, &reg); err != nil {
		t.Fatal(err)
	}
	return New(&reg)
}

// found is a hit as the tests compare it.
type foundHit struct {
	Code  string
	Match siaga.Match
}

func codes(hits []siaga.SearchHit) []foundHit {
	out := make([]foundHit, len(hits))
	for i, h := range hits {
		out[i] = foundHit{h.Code, h.Match}
	}
	return out
}

func TestSearch(t *testing.T) {
	x := fixture(t)
	tests := []struct {
		name, q string
		want    []foundHit
	}{
		{"exact name, both desa of that name", "Sukamaju", []foundHit{
			{"3601122014", siaga.MatchName}, {"3602222005", siaga.MatchName}, {"3601122015", siaga.MatchPrefix}}},
		{"case, spaces and punctuation ignored", "  SUKA-maju ", []foundHit{
			{"3601122014", siaga.MatchName}, {"3602222005", siaga.MatchName}, {"3601122015", siaga.MatchPrefix}}},
		{"a letter missing", "sukamju", []foundHit{
			{"3601122014", siaga.MatchTypo}, {"3602222005", siaga.MatchTypo}, {"3601122015", siaga.MatchTypoPrefix}}},
		{"two letters swapped", "pnadeglang", []foundHit{{"3601", siaga.MatchTypo}}},
		{"a wrong letter", "cimuncanf", []foundHit{{"3673011001", siaga.MatchTypo}}},
		{"prefix while typing", "pandeg", []foundHit{{"3601", siaga.MatchPrefix}}},
		{"kota named first", "kota serang", []foundHit{
			{"3673", siaga.MatchName}, {"3604", siaga.MatchName}, {"360401", siaga.MatchName}, {"367301", siaga.MatchName}}},
		{"kabupaten named first", "Kab. Serang", []foundHit{
			{"3604", siaga.MatchName}, {"3673", siaga.MatchName}, {"360401", siaga.MatchName}, {"367301", siaga.MatchName}}},
		{"kecamatan named first", "kec serang", []foundHit{
			{"360401", siaga.MatchName}, {"367301", siaga.MatchName}, {"3604", siaga.MatchName}, {"3673", siaga.MatchName}}},
		{"no kind: larger regions first", "serang", []foundHit{
			{"3604", siaga.MatchName}, {"3673", siaga.MatchName}, {"360401", siaga.MatchName}, {"367301", siaga.MatchName}}},
		{"the word desa dropped from a name", "desa baru", []foundHit{
			{"3602222006", siaga.MatchName}, {"3601122015", siaga.MatchWord}, {"3602222007", siaga.MatchWord}}},
		{"a desa called kota keeps it", "kota baru", []foundHit{
			{"3602222007", siaga.MatchName}, {"3602222006", siaga.MatchName}, {"3601122015", siaga.MatchWord}}},
		{"apostrophe", "bau", []foundHit{{"3673011003", siaga.MatchName}}},
		{"hyphen", "lopang lopang", []foundHit{{"3673011002", siaga.MatchName}}},
		{"a later word", "lopang", []foundHit{{"3673011002", siaga.MatchPrefix}}},
		{"region code, then what is under it", "3601", []foundHit{
			{"3601", siaga.MatchCode}, {"360112", siaga.MatchCodePrefix}, {"3601122014", siaga.MatchCodePrefix},
			{"3601122015", siaga.MatchCodePrefix}, {"3601122014001", siaga.MatchCodePrefix}, {"3601122014002", siaga.MatchCodePrefix}}},
		{"dotted TPS code", "36.01.12.2014.002", []foundHit{{"3601122014002", siaga.MatchCode}}},
		{"TPS code prefix", "360112201400", []foundHit{
			{"3601122014001", siaga.MatchCodePrefix}, {"3601122014002", siaga.MatchCodePrefix}}},
		{"a name and its kab/kota", "sukamaju lebak", []foundHit{{"3602222005", siaga.MatchName}}},
		{"a name and its kecamatan, both mistyped", "sukamju cibebr pandeglang", []foundHit{{"3601122014", siaga.MatchTypo}}},
		{"a place that is not there", "sukamaju serang", []foundHit{}},
		{"a place needs the whole name", "suka lebak", []foundHit{}},
		{"short word: no typos", "sre", []foundHit{}},
		{"nothing", "zzzzzzz", []foundHit{}},
		{"empty", "  ", []foundHit{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := x.Search(tt.q, "", 50)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, codes(res.Hits)); diff != "" {
				t.Errorf("Search(%q) (-want +got):\n%s", tt.q, diff)
			}
			if res.Total != len(tt.want) || res.Next != "" {
				t.Errorf("Search(%q): total %d next %q, want %d and no next page", tt.q, res.Total, res.Next, len(tt.want))
			}
		})
	}
}

func TestSearchHitNamesItsPlace(t *testing.T) {
	x := fixture(t)
	tests := []struct {
		q    string
		want siaga.SearchHit
	}{
		{"3601122014", siaga.SearchHit{Code: "3601122014", Level: siaga.LevelDesa, Name: "Sukamaju",
			Path: "Kec. Cibeber, Kab. Pandeglang, Banten", Match: siaga.MatchCode}},
		{"3673011001901", siaga.SearchHit{Code: "3673011001901", Level: siaga.LevelTPS, Name: "TPS 901",
			Path: "Kel. Cimuncang, Kec. Serang, Kota Serang, Banten", Match: siaga.MatchCode}},
		{"sukamju", siaga.SearchHit{Code: "3601122014", Level: siaga.LevelDesa, Name: "Sukamaju",
			Path: "Kec. Cibeber, Kab. Pandeglang, Banten", Match: siaga.MatchTypo, Distance: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res, err := x.Search(tt.q, "", 1)
			if err != nil || len(res.Hits) == 0 {
				t.Fatalf("Search(%q) = %+v, %v", tt.q, res, err)
			}
			if diff := cmp.Diff(tt.want, res.Hits[0]); diff != "" {
				t.Errorf("first hit (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSearchPages walks every query's pages by cursor: together they are
// the whole list, in order, each once, and Total is its length.
func TestSearchPages(t *testing.T) {
	x := fixture(t)
	for _, q := range []string{"s", "36", "3601", "sukamju", "kota baru"} {
		t.Run(q, func(t *testing.T) {
			whole, err := x.Search(q, "", siaga.MaxSearchLimit)
			if err != nil {
				t.Fatal(err)
			}
			var paged []siaga.SearchHit
			cursor := ""
			for pages := 0; ; pages++ {
				res, err := x.Search(q, cursor, 2)
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != whole.Total {
					t.Fatalf("page %d: total %d, first page said %d", pages, res.Total, whole.Total)
				}
				paged = append(paged, res.Hits...)
				if res.Next == "" {
					break
				}
				if pages > whole.Total {
					t.Fatal("pages never end")
				}
				cursor = res.Next
			}
			if diff := cmp.Diff(whole.Hits, paged); diff != "" {
				t.Errorf("pages differ from the whole list (-whole +pages):\n%s", diff)
			}
			if len(paged) != whole.Total || whole.Total < 2 {
				t.Errorf("%d hits paged, total %d (want at least two pages)", len(paged), whole.Total)
			}
		})
	}
}

func TestSearchRefuses(t *testing.T) {
	x := fixture(t)
	long := make([]byte, siaga.MaxSearchQuery+1)
	for i := range long {
		long[i] = 'a'
	}
	tests := []struct {
		name, q, cursor, field string
	}{
		{"query too long", string(long), "", "q"},
		{"cursor not a number", "s", "abc", "cursor"},
		{"cursor negative", "s", "-1", "cursor"},
		{"cursor past any list", "s", "999999", "cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := x.Search(tt.q, tt.cursor, 10)
			var e *siaga.Error
			if siaga.ErrorCode(err) != siaga.EInvalid || !asError(err, &e) || e.Field != tt.field {
				t.Errorf("Search = %v, want invalid %s", err, tt.field)
			}
		})
	}
}

func asError(err error, e **siaga.Error) bool {
	var ok bool
	*e, ok = err.(*siaga.Error)
	return ok
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b      string
		max, want int
	}{
		{"", "", 2, 0},
		{"abc", "abc", 2, 0},
		{"abc", "acb", 2, 1},
		{"pandeglang", "pnadeglang", 2, 1},
		{"sukamaju", "sukamju", 1, 1},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 2, 3}, // over max: max+1
		{"ca", "abc", 3, 3},         // optimal string alignment: no edit of a swapped pair
		{"abcdef", "ab", 2, 3},
		{"", "abc", 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			if got := Distance(tt.a, tt.b, tt.max); got != tt.want {
				t.Errorf("Distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
			}
			if got := Distance(tt.b, tt.a, tt.max); got != tt.want {
				t.Errorf("Distance(%q, %q, %d) = %d, want %d (symmetric)", tt.b, tt.a, tt.max, got, tt.want)
			}
		})
	}
}

// TestTop: selecting the first hits of many gives what sorting them all
// gives, for every page end.
func TestTop(t *testing.T) {
	x := fixture(t)
	var hits []hit
	for i := 0; i < 200; i++ {
		hits = append(hits, hit{at: int32(i*7919) % int32(len(x.regions)), tps: -1, class: class(i % 3), dist: uint8(i % 2), miss: i%5 == 0})
	}
	sorted := slices.Clone(hits)
	slices.SortStableFunc(sorted, x.rank)
	for _, end := range []int{1, 2, 10, 24, 25, 26, 199, 200, 300} {
		got := top(slices.Clone(hits), end, x.rank)
		want := sorted[:min(end, len(sorted))]
		for i := range want {
			if x.rank(got[i], want[i]) != 0 {
				t.Fatalf("top(%d)[%d] = %+v, want %+v", end, i, got[i], want[i])
			}
		}
		if len(got) != len(want) {
			t.Fatalf("top(%d) gave %d hits, want %d", end, len(got), len(want))
		}
	}
}

// TestSearchConcurrent: searches at once share the index and its pool of
// counters without one seeing another's counts (run with -race).
func TestSearchConcurrent(t *testing.T) {
	x := fixture(t)
	want := map[string]int{}
	queries := []string{"sukamju", "kota serang", "s", "3601", "desa baru", "sukamaju lebak", "cimuncanf"}
	for _, q := range queries {
		res, err := x.Search(q, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		want[q] = res.Total
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for i := 0; i < 200; i++ {
				q := queries[(g+i)%len(queries)]
				if res, err := x.Search(q, "", 10); err != nil || res.Total != want[q] {
					t.Errorf("Search(%q) at once: total %d, %v; alone %d", q, res.Total, err, want[q])
					return
				}
			}
		})
	}
	wg.Wait()
}
