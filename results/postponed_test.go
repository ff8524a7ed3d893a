package results_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/postponement"
	"github.com/deskpemilu/siaga/results"
)

// TestPostponed: a TPS whose voting is postponed is counted apart in the
// progress and listed last as "postponed", with its postponement, not as
// missing, from its report on; one that sent a form without votes stays
// incomplete; when its form arrives it counts as any other.
func TestPostponed(t *testing.T) {
	for _, sk := range stores() {
		t.Run(sk.name, func(t *testing.T) { testPostponed(t, sk) })
	}
}

func testPostponed(t *testing.T, sk storeKind) {
	ctx := context.Background()
	reg, el := world()
	store := sk.open(t)
	set := postponement.NewSet(store)
	svc := postponement.New(postponement.Config{Store: store, Set: set,
		Rules: postponement.Rules{VotingDay: "2024-02-14", Now: time.Now},
		TPS:   func(code string) (siaga.TPS, bool) { return siaga.TPS{}, siaga.IsTPSCode(code) }})
	e, err := results.New(results.Config{Store: store, Registry: reg, Election: el, Postponed: set, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Load(ctx); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	go e.Run(runCtx)
	t.Cleanup(func() { cancel(); <-e.Done() })

	const (
		decided  = "3601012001002" // PSS, through the whole chain
		reported = "3602012001003" // PSL, only reported: the blank spot
		partial  = "3601022001001" // postponed after its form came without votes
	)
	at := func(h int) siaga.PostponementStep {
		return siaga.PostponementStep{Name: "Ketua", Office: "Kantor", At: time.Date(2024, 2, 14, h, 0, 0, 0, siaga.WIB), Letter: "001/Kpt/2024"}
	}
	p, err := svc.Report(ctx, decided, siaga.PostponementPSS, "", "banjir", at(7))
	if err == nil {
		p, err = svc.Recommend(ctx, *p, at(9))
	}
	if err == nil {
		_, err = svc.Decide(ctx, *p, at(11), "2024-02-18")
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{reported, partial} {
		if _, err := svc.Report(ctx, code, siaga.PostponementPSL, siaga.StageVoting, "banjir", at(8)); err != nil {
			t.Fatal(err)
		}
	}
	mustSubmit(t, e, siaga.Submission{ID: newID(), TPS: partial, Contest: siaga.PPWP, Source: siaga.SourceKPPS,
		Form: siaga.Form{Admin: ppwpForm(1, 2, 3).Admin}})

	progress := func(region string) (reported, incomplete, postponed int) {
		t.Helper()
		pr, ok := e.Progress(region)
		if !ok {
			t.Fatalf("no progress of %s", region)
		}
		return pr.Reported[siaga.PPWP], pr.Incomplete[siaga.PPWP], pr.Postponed[siaga.PPWP]
	}
	type counts struct{ reported, incomplete, postponed int }
	for region, want := range map[string]counts{"36": {0, 1, 2}, "3601": {0, 1, 1}, "3602": {0, 0, 1}, "3601022001": {0, 1, 0}} {
		if r, i, pp := progress(region); (counts{r, i, pp}) != want {
			t.Errorf("progress of %s: %+v, want %+v", region, counts{r, i, pp}, want)
		}
	}

	page, err := e.MissingPage(siaga.MissingQuery{Region: "36", Contest: siaga.PPWP})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 12 || page.Missing != 9 || page.Incomplete != 1 || page.Postponed != 2 {
		t.Errorf("missing list counts: total %d, missing %d, incomplete %d, postponed %d; want 12, 9, 1, 2",
			page.Total, page.Missing, page.Incomplete, page.Postponed)
	}
	var kinds []string
	for _, m := range page.Items {
		kinds = append(kinds, m.TPS+" "+string(m.Kind))
	}
	if got := kinds[len(kinds)-2:]; !cmp.Equal(got, []string{decided + " postponed", reported + " postponed"}) {
		t.Errorf("the list ends with %v, want the two postponed TPS (the blank spot too) after every other", got)
	}
	last := page.Items[len(page.Items)-2]
	if last.Postponement == nil || last.Postponement.Status != siaga.PostponementDecided || last.Postponement.NewDate != "2024-02-18" {
		t.Errorf("the decided TPS's row carries %+v, want its decision and new date", last.Postponement)
	}

	// Filtered, and paged across the groups by a cursor.
	only, err := e.MissingPage(siaga.MissingQuery{Region: "36", Contest: siaga.PPWP, Kind: siaga.MissingPostponed})
	if err != nil || only.Total != 2 || len(only.Items) != 2 || only.Missing != 9 {
		t.Errorf("kind=postponed: %+v, %v; want the 2 postponed TPS, with the other counts", only, err)
	}
	first, err := e.MissingPage(siaga.MissingQuery{Region: "36", Contest: siaga.PPWP, Limit: 10})
	if err != nil || first.Next == "" {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	second, err := e.MissingPage(siaga.MissingQuery{Region: "36", Contest: siaga.PPWP, Limit: 10, After: first.Next})
	if err != nil || len(second.Items) != 2 || second.Items[0].TPS != decided || second.Next != "" {
		t.Errorf("second page: %+v, %v; want the 2 postponed TPS", second, err)
	}
	if _, err := e.MissingPage(siaga.MissingQuery{Region: "36", Kind: "ditunda"}); siaga.ErrorCode(err) != siaga.EInvalid {
		t.Errorf("unknown kind: %v, want invalid", err)
	}

	// The postponed voting took place: its form counts as any other's,
	// and the TPS leaves the list of that contest.
	mustSubmit(t, e, siaga.Submission{ID: newID(), TPS: decided, Contest: siaga.PPWP, Source: siaga.SourceKPPS, Form: ppwpForm(10, 20, 30)})
	if r, i, pp := progress("36"); (counts{r, i, pp}) != (counts{1, 1, 1}) {
		t.Errorf("progress after its form: %+v, want 1 reported, 1 incomplete, 1 postponed", counts{r, i, pp})
	}
	if tally, _ := e.Tally(siaga.PPWP, "3601"); tally.Votes["03"] != 30 || tally.TPSReported != 1 {
		t.Errorf("tally after the postponed TPS's form: %+v", tally)
	}
	page, err = e.MissingPage(siaga.MissingQuery{Region: "36", Contest: siaga.PPWP})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page.Items {
		if m.TPS == decided {
			t.Errorf("the postponed TPS that reported is still listed: %+v", m)
		}
	}
	if page.Total != 11 || page.Postponed != 1 {
		t.Errorf("after its form: total %d, postponed %d; want 11, 1", page.Total, page.Postponed)
	}

	// Cancelled, the reported one is missing again.
	rp, _ := set.Postponed(reported)
	cancelStep := at(12)
	cancelStep.Note = "air surut"
	if _, err := svc.Close(ctx, rp, siaga.PostponementCancelled, cancelStep); err != nil {
		t.Fatal(err)
	}
	if _, _, pp := progress("36"); pp != 0 {
		t.Errorf("after the cancellation %d TPS postponed, want 0", pp)
	}
	page, _ = e.MissingPage(siaga.MissingQuery{Region: "36", Contest: siaga.PPWP, Limit: 1})
	if page.Items[0].TPS != reported || page.Items[0].Kind != siaga.MissingNothing {
		t.Errorf("after the cancellation the list starts with %+v, want the blank spot, missing", page.Items[0])
	}
}
