package postponement_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/postponement"
	"github.com/deskpemilu/siaga/sqlite"
)

func newService(t testing.TB) (*postponement.Service, siaga.Store) {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	svc := postponement.New(postponement.Config{Store: store, Set: postponement.NewSet(store),
		Rules: rulesAt(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)),
		TPS:   func(code string) (siaga.TPS, bool) { return siaga.TPS{Code: code}, siaga.IsTPSCode(code) }})
	return svc, store
}

// TestPondokAren: the demo's flood postpones the 16 TPS through the whole
// chain to a PSS on 18 February, each step audited; the set shows them at
// once, by TPS and by region; a second run changes nothing; a TPS whose
// voting took place leaves the set, and another node's set sees that
// when it refreshes.
func TestPondokAren(t *testing.T) {
	ctx := context.Background()
	svc, store := newService(t)
	got, err := svc.PlayPondokAren(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 16 || len(postponement.PondokAren) != 16 {
		t.Fatalf("%d postponed of %d codes, want 16", len(got), len(postponement.PondokAren))
	}
	for _, p := range got {
		if p.Kind != siaga.PostponementPSS || p.Status != siaga.PostponementDecided || p.NewDate != "2024-02-18" ||
			!p.Recommendation.Taken() || p.Decision.Letter == "" {
			t.Errorf("%s: %+v", p.TPS, p)
		}
	}
	set := svc.Set()
	if p, ok := set.Postponed("3674031007071"); !ok || p.Status != siaga.PostponementDecided {
		t.Errorf("Postponed(TPS 71 Pondok Kacang Timur) = %+v, %v", p, ok)
	}
	if _, ok := set.Postponed("3674031007001"); ok {
		t.Error("TPS 1 of Pondok Kacang Timur is postponed, and should not be")
	}
	counts := map[string]int{"": 16, "3674": 16, "367403": 16, "3674031010": 2, "3674031007": 14, "3601": 0}
	for region, want := range counts {
		if n := len(set.PostponedIn(region)); n != want {
			t.Errorf("PostponedIn(%q) = %d, want %d", region, n, want)
		}
	}
	again, err := svc.PlayPondokAren(ctx, "demo")
	if err != nil || len(again) != 0 {
		t.Errorf("second run postponed %d (%v), want none", len(again), err)
	}
	for action, want := range map[string]int{siaga.AuditPostponementReport: 16, siaga.AuditPostponementRecommend: 16, siaga.AuditPostponementDecide: 16} {
		page, err := store.Audit(ctx, siaga.AuditFilter{Action: action, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != want || page.Items[0].Actor != "demo" {
			t.Errorf("%s: %d entries (first %+v), want %d by demo", action, page.Total, page.Items[0], want)
		}
	}

	other := postponement.NewSet(store) // another node on the same database
	if err := other.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	p, _ := set.Postponed(postponement.PondokAren[0])
	done, err := svc.Close(ctx, p, siaga.PostponementDone, siaga.PostponementStep{Name: "Ketua KPPS", Office: "KPPS TPS 010",
		At: time.Date(2024, 2, 18, 15, 0, 0, 0, siaga.WIB)})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := set.Postponed(done.TPS); ok {
		t.Error("a TPS whose voting took place is still in the set")
	}
	if _, ok := other.Postponed(done.TPS); !ok {
		t.Fatal("the other node's set changed before it refreshed")
	}
	if err := other.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(set.PostponedIn(""), other.PostponedIn("")); diff != "" || len(other.PostponedIn("")) != 15 {
		t.Errorf("the other node's set after refreshing (-this +other):\n%s", diff)
	}
	// A step from a status read before someone else moved it on loses.
	if _, err := svc.Close(ctx, p, siaga.PostponementDone, siaga.PostponementStep{Name: "x", Office: "y",
		At: time.Date(2024, 2, 18, 16, 0, 0, 0, siaga.WIB)}); siaga.ErrorCode(err) != siaga.EConflict {
		t.Errorf("a stale step: %v, want a conflict", err)
	}
	if _, err := svc.Report(ctx, "36", siaga.PostponementPSS, "", "banjir", siaga.PostponementStep{Name: "x", Office: "y",
		At: time.Date(2024, 2, 14, 8, 0, 0, 0, siaga.WIB)}); siaga.ErrorCode(err) != siaga.EInvalid {
		t.Errorf("reporting a region as a TPS: %v, want invalid", err)
	}
}
