package results_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/results"
)

// testRebuild sends random histories — first reports, witness copies,
// corrections, stale corrections, replays, incomplete and broken forms —
// from several goroutines, then checks the live tallies against a rebuild
// from the store and against a recount computed here from the versions.
func testRebuild(t *testing.T, sk storeKind) {
	reg, el := world()
	store := sk.open(t)
	live := startEngine(t, store, reg, el, time.Now)
	for seed := range uint64(4) {
		var wg sync.WaitGroup
		for w := range uint64(4) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				randomHistory(t, live, reg, rand.New(rand.NewPCG(seed, w)), 40)
			}()
		}
		wg.Wait()
	}
	rebuilt := startEngine(t, store, reg, el, time.Now)
	// A restart reads the stored forms in place (Load); a full rebuild
	// decodes every one. Verify compares every tally, latest version,
	// receipt and chart point of the two.
	diffs, err := rebuilt.Verify(context.Background(), 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("restart differs from a full rebuild: %s", d)
	}
	want := recount(t, store, reg)
	for _, r := range reg.Regions {
		for _, c := range []siaga.Contest{siaga.PPWP, siaga.DPR} {
			a, _ := live.Tally(c, r.Code)
			b, _ := rebuilt.Tally(c, r.Code)
			a.Seq, b.Seq = 0, 0
			if diff := cmp.Diff(a, b); diff != "" {
				t.Errorf("%s %s: live and rebuilt tallies differ (-live +rebuilt):\n%s", c, r.Code, diff)
			}
			got := sums{reported: a.TPSReported, sah: a.SuaraSah, votes: a.Votes}
			if diff := cmp.Diff(want[c][r.Code], got, cmp.AllowUnexported(sums{}), cmp.Comparer(sameVotes)); diff != "" {
				t.Errorf("%s %s: tally differs from the recount (-recount +tally):\n%s", c, r.Code, diff)
			}
		}
	}
}

type sums struct {
	reported int
	sah      int64
	votes    map[string]int64
}

// sameVotes treats a missing option and a zero as the same.
func sameVotes(a, b map[string]int64) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

func randomHistory(t testing.TB, e *results.Engine, reg *siaga.Registry, rng *rand.Rand, n int) {
	sources := []siaga.Source{siaga.SourceKPPS, siaga.SourceKPPS, siaga.SourceSaksi}
	for range n {
		tps := reg.TPS[rng.IntN(len(reg.TPS))].Code
		contest := []siaga.Contest{siaga.PPWP, siaga.DPR}[rng.IntN(2)]
		sub := siaga.Submission{ID: newID(), TPS: tps, Contest: contest, Source: sources[rng.IntN(len(sources))], Form: randomForm(rng, contest)}
		sub.Replaces = e.LatestVersion(sub.Key())
		if rng.IntN(6) == 0 && sub.Replaces > 0 {
			sub.Replaces-- // stale: must be refused, change nothing
		}
		if sub.Replaces > 0 {
			sub.Reason = "koreksi acak"
		}
		_, _, err := submitAs(context.Background(), e, &sub, "prop")
		if err != nil && siaga.ErrorCode(err) != siaga.EConflict {
			t.Errorf("submit: %v", err)
		}
		if err == nil && rng.IntN(4) == 0 {
			if _, replay, err := submitAs(context.Background(), e, &sub, "prop"); err != nil || !replay {
				t.Errorf("replay: replay=%v err=%v", replay, err)
			}
		}
	}
}

func randomForm(rng *rand.Rand, c siaga.Contest) siaga.Form {
	var f siaga.Form
	switch c {
	case siaga.PPWP:
		f = ppwpForm(rng.IntN(150), rng.IntN(150), rng.IntN(50))
	default:
		f = ppwpForm(0)
		p1, p2 := siaga.PartyVotes{Party: rng.IntN(40), Candidates: map[string]int{"01-1": rng.IntN(60)}}, siaga.PartyVotes{Party: rng.IntN(40)}
		f.Votes = &siaga.Votes{Parties: map[string]siaga.PartyVotes{"1": p1, "2": p2}}
		f.Admin["suara_sah"] = p1.Sum() + p2.Sum()
	}
	switch rng.IntN(10) {
	case 0:
		f.Votes = nil // incomplete: adds nothing
	case 1:
		f.Admin["suara_sah"] += 7 // an arithmetic slip
	case 2:
		f.Admin = nil // the admin page not read: the votes still count
	case 3:
		f.Votes.Options, f.Votes.Parties = map[string]int{}, nil // an empty vote section is none
	}
	return f
}

// recount sums, from the stored versions alone, the latest kpps form of
// every TPS that has a vote section into every region above it; a missing
// admin section adds no suara_sah but takes nothing from the votes.
func recount(t testing.TB, store siaga.Store, reg *siaga.Registry) map[siaga.Contest]map[string]sums {
	latest := map[siaga.Key]siaga.Version{}
	err := store.EachVersion(context.Background(), func(v *siaga.Version) error {
		if v.Source == siaga.SourceKPPS {
			latest[v.Key] = *v
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[siaga.Contest]map[string]sums{}
	for _, c := range []siaga.Contest{siaga.PPWP, siaga.DPR} {
		out[c] = map[string]sums{}
		for _, r := range reg.Regions {
			out[c][r.Code] = sums{votes: map[string]int64{}}
		}
	}
	for k, v := range latest {
		if v.Form.Votes == nil || len(v.Form.Votes.Options)+len(v.Form.Votes.Parties) == 0 {
			continue // no vote section: adds nothing (SPEC §6)
		}
		for _, region := range siaga.Ancestors(k.TPS) {
			s := out[k.Contest][region]
			s.reported++
			s.sah += int64(v.Form.Admin["suara_sah"])
			for opt, n := range v.Form.Votes.OptionTotals() {
				s.votes[opt] += int64(n)
			}
			out[k.Contest][region] = s
		}
	}
	return out
}
