package simulate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// testRegistry builds two kab/kota (Pandeglang and Lebak codes), two
// kecamatan each, five desa each, perDesa TPS per desa: 20·perDesa TPS.
// Every fifth desa is a blank spot and every fourth TPS elsewhere is weak.
func testRegistry(tb testing.TB, perDesa int) *siaga.Registry {
	tb.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	reg := &siaga.Registry{Regions: []siaga.Region{{Code: "36", Level: siaga.LevelProvince, Name: "BANTEN"}}}
	for _, kab := range []string{"3601", "3602"} {
		reg.Regions = append(reg.Regions, siaga.Region{Code: kab, Parent: "36", Level: siaga.LevelKabKota})
		for k := 1; k <= 2; k++ {
			kec := fmt.Sprintf("%s%02d", kab, k)
			reg.Regions = append(reg.Regions, siaga.Region{Code: kec, Parent: kab, Level: siaga.LevelKecamatan})
			for d := 1; d <= 5; d++ {
				desa := fmt.Sprintf("%s%04d", kec, 2000+d)
				reg.Regions = append(reg.Regions, siaga.Region{Code: desa, Parent: kec, Level: siaga.LevelDesa})
				for t := 1; t <= perDesa; t++ {
					conn := siaga.SignalGood
					switch {
					case d == 5:
						conn = siaga.BlankSpot
					case t%4 == 0:
						conn = siaga.SignalWeak
					}
					reg.TPS = append(reg.TPS, siaga.TPS{
						Code: fmt.Sprintf("%s%03d", desa, t), Desa: desa, Number: t,
						DPT: 150 + r.IntN(151), Connectivity: conn,
					})
				}
			}
		}
	}
	return reg
}

// testElection has 3 tickets, 4 parties with 3 candidates each per dapil,
// one DPR dapil, a DPRD province dapil per kab, a DPRD kab dapil per
// kecamatan and 5 DPD candidates.
func testElection(tb testing.TB) *siaga.Election {
	tb.Helper()
	el := &siaga.Election{ID: "test", Province: "36"}
	for _, n := range []string{"01", "02", "03"} {
		el.Tickets = append(el.Tickets, siaga.Ticket{Number: n})
	}
	parties := []int{1, 2, 4, 8}
	for _, p := range parties {
		el.Parties = append(el.Parties, siaga.Party{Number: p, Short: "P" + strconv.Itoa(p)})
	}
	leg := func(c siaga.Contest, name string, regions ...string) {
		d := siaga.Dapil{Contest: c, Name: name, Seats: 3, Regions: regions}
		for _, p := range parties {
			for k := 1; k <= 3; k++ {
				d.Candidates = append(d.Candidates, siaga.Candidate{ID: fmt.Sprintf("%02d-%d", p, k), Party: p, Number: k})
			}
		}
		el.Dapil = append(el.Dapil, d)
	}
	leg(siaga.DPR, "BANTEN I", "3601", "3602")
	leg(siaga.DPRDProv, "BANTEN 1", "3601")
	leg(siaga.DPRDProv, "BANTEN 2", "3602")
	for _, kec := range []string{"360101", "360102", "360201", "360202"} {
		leg(siaga.DPRDKab, "KEC "+kec, kec)
	}
	dpd := siaga.Dapil{Contest: siaga.DPD, Name: "BANTEN", Seats: 4, Regions: []string{"36"}}
	for k := 1; k <= 5; k++ {
		dpd.Candidates = append(dpd.Candidates, siaga.Candidate{ID: fmt.Sprintf("D%02d", k), Number: k})
	}
	el.Dapil = append(el.Dapil, dpd)
	return el
}

func TestDeterministic(t *testing.T) {
	reg, el := testRegistry(t, 10), testElection(t)
	a := New(reg, el, Config{Seed: 7})
	b := New(reg, el, Config{Seed: 7})
	sa, sb := a.Schedule(), b.Schedule()
	if diff := cmp.Diff(sa, sb); diff != "" {
		t.Fatalf("same seed, different schedules (-a +b):\n%s", diff)
	}
	// Forms are built on demand in any order: build b's backwards.
	for k := len(sb) - 1; k >= 0; k -= 7 {
		if diff := cmp.Diff(a.Submission(sa[k]), b.Submission(sb[k])); diff != "" {
			t.Fatalf("item %d: same seed, different forms (-a +b):\n%s", k, diff)
		}
	}
	c := New(reg, el, Config{Seed: 8})
	if cmp.Equal(c.Schedule(), sa) {
		t.Error("seeds 7 and 8 give the same schedule")
	}
	if cmp.Equal(c.Submission(sa[0]), a.Submission(sa[0])) {
		t.Error("seeds 7 and 8 give the same form")
	}
}

func TestSchedule(t *testing.T) {
	reg, el := testRegistry(t, 10), testElection(t)
	n := New(reg, el, Config{Seed: 1})
	items := n.Schedule()
	if !slices.IsSortedFunc(items, compareItems) {
		t.Fatal("schedule is not sorted")
	}
	reports := map[[2]string]time.Duration{}
	ids := map[string]bool{}
	for _, it := range items {
		if it.At < 0 || it.At >= n.Config().Night {
			t.Errorf("%+v: outside the night", it)
		}
		s := n.Submission(it)
		if ids[s.ID] {
			t.Errorf("%+v: duplicate id %s", it, s.ID)
		}
		ids[s.ID] = true
		key := [2]string{s.TPS, string(it.Contest)}
		switch it.Kind {
		case Report:
			reports[key] = it.At
		default:
			at, ok := reports[key]
			if !ok || at > it.At {
				t.Errorf("%+v arrives before its KPPS report (%v)", it, at)
			}
		}
	}
	if want := len(reg.TPS) * len(siaga.Contests); len(reports) != want {
		t.Errorf("%d KPPS reports, want one per TPS and contest: %d", len(reports), want)
	}
}

func TestContestsSubset(t *testing.T) {
	reg, el := testRegistry(t, 2), testElection(t)
	el.Dapil = el.Dapil[:1] // DPR only: no DPD or DPRD dapil
	n := New(reg, el, Config{Seed: 1, Contests: []siaga.Contest{siaga.PPWP, siaga.DPR, siaga.DPD}})
	got := map[siaga.Contest]int{}
	for _, it := range n.Schedule() {
		if it.Kind == Report {
			got[it.Contest]++
		}
	}
	want := map[siaga.Contest]int{siaga.PPWP: len(reg.TPS), siaga.DPR: len(reg.TPS)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reports per contest (-want +got):\n%s", diff)
	}
}

func TestDapilIndex(t *testing.T) {
	el := &siaga.Election{Dapil: []siaga.Dapil{
		{Contest: siaga.DPRDKab, Regions: []string{"3601"}},
		{Contest: siaga.DPRDKab, Regions: []string{"36.01.02"}}, // dotted codes are accepted
		{Contest: siaga.DPRDKab, Regions: []string{"3601022001"}},
		{Contest: siaga.DPR, Regions: []string{"36"}},
	}}
	reg := &siaga.Registry{TPS: []siaga.TPS{
		{Code: "3601012001001"}, {Code: "3601022002001"}, {Code: "3601022001005"}, {Code: "3602012001001"},
	}}
	got := dapilIndex(reg, el)
	want := map[siaga.Contest][]int{
		siaga.DPRDKab: {0, 1, 2, -1},
		siaga.DPR:     {3, 3, 3, 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dapil per TPS (-want +got):\n%s", diff)
	}
}

func TestMiscopy(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, x := range []int{0, 5, 10, 11, 44, 100, 123, 999, 1000} {
		t.Run(strconv.Itoa(x), func(t *testing.T) {
			for range 50 {
				y := miscopy(r, x)
				if y == x || y < 0 {
					t.Fatalf("miscopy(%d) = %d", x, y)
				}
				if dy, dx := len(strconv.Itoa(y)), len(strconv.Itoa(x)); dy > dx {
					t.Fatalf("miscopy(%d) = %d has more digits", x, y)
				}
			}
		})
	}
}

func TestAllocate(t *testing.T) {
	tests := []struct {
		total   int
		weights []float64
		want    []int
	}{
		{10, []float64{1, 1}, []int{5, 5}},
		{10, []float64{1, 1, 1}, []int{4, 3, 3}},
		{7, []float64{0, 1}, []int{0, 7}},
		{0, []float64{1, 2}, []int{0, 0}},
		{5, []float64{0, 0}, []int{0, 0}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.total, tt.weights), func(t *testing.T) {
			if diff := cmp.Diff(tt.want, allocate(tt.total, tt.weights)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

func within(tb testing.TB, what string, got, want, tol float64) {
	tb.Helper()
	if math.Abs(got-want) > tol {
		tb.Errorf("%s = %.4f, want %.4f ± %.4f", what, got, want, tol)
	}
}

func BenchmarkSubmission(b *testing.B) {
	n := New(testRegistry(b, 10), testElection(b), Config{Seed: 1})
	items := n.Schedule()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		n.Submission(items[i%len(items)])
	}
}

func BenchmarkSchedule(b *testing.B) {
	n := New(testRegistry(b, 50), testElection(b), Config{Seed: 1})
	b.ReportAllocs()
	for b.Loop() {
		n.Schedule()
	}
}
