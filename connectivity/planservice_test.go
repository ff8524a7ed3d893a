package connectivity_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
)

// withSites is withSurveys (1 weak, 2 blank, 3 weak, 4 blank, 5 good, 6
// unsurveyed) with the candidate sites stored and a Service that plans
// from them: a mobile BTS at TPS 3 reaching 2 and 4 (200 m), one at TPS 4
// reaching only it, a booster at TPS 2 reaching 1 and 3.
func withSites(t *testing.T) (*fixture, *connectivity.Service) {
	t.Helper()
	f := withSurveys(t)
	sites := []siaga.Site{
		{Code: "COW-3", Name: "Menara 3", Kind: "menara", Lat: -5.9036, Lon: 106.05, Desa: "3604012005", Intervention: siaga.InterventionCOW, RadiusM: 250, Cost: 90_000_000},
		{Code: "COW-4", Name: "Menara 4", Kind: "menara", Lat: -5.9054, Lon: 106.05, Desa: "3604012005", Intervention: siaga.InterventionCOW, RadiusM: 10, Cost: 40_000_000},
		{Code: "BST-2", Name: "Masjid 2", Kind: "masjid", Lat: -5.9018, Lon: 106.05, Desa: "3604012005", Intervention: siaga.InterventionBooster, RadiusM: 250, Cost: 15_000_000},
	}
	if err := f.store.SaveSites(context.Background(), sites); err != nil {
		t.Fatal(err)
	}
	svc := connectivity.New(connectivity.Config{Store: f.store, Registry: testRegistry(), Sites: f.store, Now: func() time.Time { return f.now }})
	if err := svc.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return f, svc
}

// TestServicePlan: the Service's plan is the greedy's over the region's
// targets and sites, with the before/after counts and each site's gain.
func TestServicePlan(t *testing.T) {
	_, svc := withSites(t)
	p, err := svc.Plan(context.Background(), connectivity.PlanRequest{Kind: siaga.InterventionCOW, K: 1, Region: "3604"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sites) != 1 || p.Sites[0].Code != "COW-3" || !cmp.Equal(p.Sites[0].Covers, []string{tps2, tps4}) {
		t.Fatalf("sites %+v, want COW-3 covering TPS 2 and 4", p.Sites)
	}
	if p.Covered != 2 || p.CoveredTPS != 2 || p.Targets != 2 || p.Candidates != 2 || p.Ratio != 1 || p.Cost != 90_000_000 {
		t.Errorf("plan %+v", p)
	}
	if p.Sites[0].Gain != 2 || p.Sites[0].GainTPS != 2 || p.Sites[0].RadiusM != 250 || p.CoveredVoters != 240+220 {
		t.Errorf("site gain %v (%d TPS), radius %v, voters %d", p.Sites[0].Gain, p.Sites[0].GainTPS, p.Sites[0].RadiusM, p.CoveredVoters)
	}
	wantBefore := connectivity.Counts{Weak: 2, Blank: 2}
	wantAfter := connectivity.Counts{Weak: 2, Good: 2}
	if diff := cmp.Diff([2]connectivity.Counts{wantBefore, wantAfter}, [2]connectivity.Counts{p.Before, p.After}); diff != "" {
		t.Errorf("before/after (-want +got):\n%s", diff)
	}

	for _, tt := range []struct {
		name  string
		q     connectivity.PlanRequest
		field string
	}{
		{"kind", connectivity.PlanRequest{Kind: "titik", K: 1}, "kind"},
		{"both", connectivity.PlanRequest{Kind: "cow", K: 1, Budget: 5}, "k"},
		{"neither", connectivity.PlanRequest{Kind: "cow"}, "k"},
		{"weight", connectivity.PlanRequest{Kind: "cow", K: 1, Weight: "prioritas"}, "weight"},
		{"region", connectivity.PlanRequest{Kind: "cow", K: 1, Region: "3699"}, "region"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.Plan(context.Background(), tt.q)
			if e, ok := err.(*siaga.Error); !ok || e.Code != siaga.EInvalid || e.Field != tt.field {
				t.Errorf("Plan(%+v) = %v, want invalid %s", tt.q, err, tt.field)
			}
		})
	}
}

// TestRecordPlan: the chosen sites become planned interventions, audited,
// in one step; a second recording of the same sites is refused.
func TestRecordPlan(t *testing.T) {
	ctx := context.Background()
	f, svc := withSites(t)
	due := time.Date(2024, 2, 12, 0, 0, 0, 0, siaga.WIB)
	q := connectivity.PlanRequest{Kind: siaga.InterventionCOW, K: 2, Region: "3604"}
	_, ivs, err := svc.RecordPlan(ctx, q, "Diskominfo Banten", due, "user:desk")
	if err != nil {
		t.Fatal(err)
	}
	if len(ivs) != 1 || ivs[0].Site != "COW-3" || ivs[0].Status != siaga.InterventionPlanned || ivs[0].Region != "3604012005" ||
		ivs[0].RadiusM != 250 || ivs[0].Cost != 90_000_000 || !ivs[0].Due.Equal(due) || ivs[0].ID == 0 {
		t.Fatalf("recorded %+v, want COW-3 planned (the second site adds nothing)", ivs)
	}
	if got := svc.Interventions("3604"); len(got) != 1 || got[0].ID != ivs[0].ID {
		t.Errorf("the Service holds %+v", got)
	}
	page, err := f.store.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditInterventionCreate, Limit: 10})
	if err != nil || page.Total != 1 {
		t.Errorf("%d creation entries in the audit log (%v), want 1", page.Total, err)
	}
	if _, _, err := svc.RecordPlan(ctx, q, "Diskominfo Banten", due, "user:desk"); siaga.ErrorCode(err) != siaga.EConflict {
		t.Errorf("recording the plan twice: %v, want a conflict", err)
	}
	if _, _, err := svc.RecordPlan(ctx, connectivity.PlanRequest{Kind: siaga.InterventionBooster, K: 1, Region: "3604"}, "", due, "user:desk"); siaga.ErrorCode(err) != siaga.EInvalid {
		t.Errorf("a plan without owner: %v, want invalid", err)
	}
}

// TestTPSList: the region's TPS filtered by effective class, counted and
// paged by code.
func TestTPSList(t *testing.T) {
	f := withSurveys(t)
	page := f.svc.TPSList(connectivity.TPSQuery{Region: "3604", Class: string(siaga.BlankSpot), Limit: 1})
	if page.Total != 2 || len(page.Items) != 1 || page.Items[0].TPS != tps2 || page.Next != tps2 {
		t.Fatalf("first page %+v", page)
	}
	if r := page.Items[0]; r.Operator != "telkomsel" || !r.LastSurvey.Equal(t0) || r.Class != siaga.BlankSpot {
		t.Errorf("row %+v", r)
	}
	page = f.svc.TPSList(connectivity.TPSQuery{Region: "3604", Class: string(siaga.BlankSpot), After: page.Next, Limit: 1})
	if page.Total != 2 || len(page.Items) != 1 || page.Items[0].TPS != tps4 || page.Next != "" {
		t.Errorf("second page %+v", page)
	}
	if page := f.svc.TPSList(connectivity.TPSQuery{Region: "3604", Class: connectivity.ClassUnknown}); page.Total != 1 || page.Items[0].TPS != tps6 {
		t.Errorf("unknown: %+v", page)
	}
}

// TestInterventionList: filters by kind, status and lateness, counted and
// paged by ID.
func TestInterventionList(t *testing.T) {
	ctx := context.Background()
	f := withSurveys(t)
	late := siaga.Intervention{Kind: siaga.InterventionBooster, Region: "3604", Lat: -5.9018, Lon: 106.05, RadiusM: 250, Owner: "Diskominfo",
		Due: f.now.Add(-time.Hour)}
	onTime := siaga.Intervention{Kind: siaga.InterventionVSAT, TPS: tps4, Owner: "BAKTI", Due: f.now.Add(time.Hour)}
	for _, iv := range []*siaga.Intervention{&late, &onTime} {
		if err := f.svc.AddIntervention(ctx, iv, "user:desk"); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		q    connectivity.InterventionQuery
		want []int64
	}{
		{connectivity.InterventionQuery{Region: "3604"}, []int64{late.ID, onTime.ID}},
		{connectivity.InterventionQuery{Region: "3604", Late: true}, []int64{late.ID}},
		{connectivity.InterventionQuery{Region: "3604", Kind: siaga.InterventionVSAT}, []int64{onTime.ID}},
		{connectivity.InterventionQuery{Region: "3604", Status: siaga.InterventionTested}, nil},
		{connectivity.InterventionQuery{Region: "3602"}, nil},
	} {
		page, err := f.svc.InterventionList(tt.q)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, v := range page.Items {
			got = append(got, v.ID)
		}
		if !cmp.Equal(got, tt.want) || page.Total != len(tt.want) {
			t.Errorf("%+v: %v of %d, want %v", tt.q, got, page.Total, tt.want)
		}
	}
	page, _ := f.svc.InterventionList(connectivity.InterventionQuery{Region: "3604", Limit: 1})
	if page.Total != 2 || len(page.Items) != 1 || page.Next == "" {
		t.Errorf("first page of one: %+v", page)
	}
	if _, err := f.svc.InterventionList(connectivity.InterventionQuery{Status: "hilang"}); siaga.ErrorCode(err) != siaga.EInvalid {
		t.Errorf("unknown status: %v", err)
	}
}
