package connectivity_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
)

const (
	tps1 = "3604012005001"
	tps2 = "3604012005002"
	tps3 = "3604012005003"
	tps4 = "3604012005004"
	tps5 = "3604012005005"
	tps6 = "3604012005006"
)

// withSurveys classifies the row of TPS: 1 weak, 2 blank (no service at
// all), 3 weak, 4 blank (a faint signal measured), 5 good, 6 unsurveyed.
func withSurveys(t *testing.T) *fixture {
	f := newFixture(t)
	none := siaga.Survey{TPS: tps2, Operator: "telkomsel", Tech: connectivity.TechNone, Surveyor: "Asep", Source: siaga.SurveyImport, At: t0}
	f.add(t, survey(tps1, -110, t0), none, survey(tps3, -110, t0), survey(tps4, -125, t0), survey(tps5, -90, t0))
	return f
}

// test records the passing data test after installation of iv at tps.
func (f *fixture) test(t *testing.T, iv siaga.Intervention, tps string, ok bool) {
	t.Helper()
	at := f.now.Add(-time.Minute)
	if !ok {
		at = at.Add(-time.Minute) // a failed test comes before the one that passes
	}
	s := survey(tps, -95, at)
	s.Source, s.DataOK, s.Intervention = siaga.SurveyField, ptr(ok), iv.ID
	f.add(t, s)
}

func (f *fixture) setStatus(t *testing.T, iv siaga.Intervention, status string) {
	t.Helper()
	if _, err := f.svc.SetInterventionStatus(context.Background(), iv.ID, status, "", "user:desk"); err != nil {
		t.Fatalf("%s %d → %s: %v", iv.Kind, iv.ID, status, err)
	}
}

func effective(s *connectivity.Service) map[string]siaga.Connectivity {
	out := map[string]siaga.Connectivity{}
	for _, c := range []string{tps1, tps2, tps3, tps4, tps5, tps6} {
		st, _ := s.TPSStatus(c)
		out[c] = st.Effective
	}
	return out
}

func TestInterventionEffects(t *testing.T) {
	ctx := context.Background()
	f := withSurveys(t)
	before := effective(f.svc)
	// A booster at TPS 2 reaching 1 and 3 (200 m away); a mobile BTS at
	// TPS 5 reaching 4; a VSAT at the unsurveyed TPS 6; a walk point for
	// TPS 2.
	ivs := []siaga.Intervention{
		{Kind: siaga.InterventionBooster, Lat: -5.9018, Lon: 106.05, RadiusM: 250, Owner: "Diskominfosatik", Region: "3604012005"},
		{Kind: siaga.InterventionCOW, Lat: -5.9072, Lon: 106.05, RadiusM: 250, Owner: "Telkomsel", Region: "3604"},
		{Kind: siaga.InterventionVSAT, TPS: tps6, Owner: "BAKTI"},
		{Kind: siaga.InterventionWalk, TPS: tps2, Lat: -5.8990, Lon: 106.0520, Owner: "PPS Margagiri"},
	}
	testAt := []string{tps2, tps4, tps6, tps2}
	for i := range ivs {
		if err := f.svc.AddIntervention(ctx, &ivs[i], "user:desk"); err != nil {
			t.Fatalf("AddIntervention %s: %v", ivs[i].Kind, err)
		}
		f.setStatus(t, ivs[i], siaga.InterventionInstalled)
	}
	if diff := cmp.Diff(before, effective(f.svc)); diff != "" {
		t.Errorf("installed but untested interventions changed the map (-before +after):\n%s", diff)
	}
	for i := range ivs {
		f.test(t, ivs[i], testAt[i], true)
		f.setStatus(t, ivs[i], siaga.InterventionTested)
	}
	want := map[string]siaga.Connectivity{
		tps1: siaga.SignalGood,        // weak, within the booster's radius
		tps2: connectivity.ClassTitik, // no service under the booster: it stays blank, with its walk point
		tps3: siaga.SignalGood,        // weak, within the booster's radius
		tps4: siaga.SignalGood,        // blank, within the COW's radius
		tps5: siaga.SignalGood,
		tps6: siaga.SignalGood, // its own VSAT
	}
	if diff := cmp.Diff(want, effective(f.svc)); diff != "" {
		t.Errorf("effective classes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, effective(f.reloaded(t))); diff != "" {
		t.Errorf("effective classes after a reload (-want +got):\n%s", diff)
	}
	views := f.svc.Interventions("3604")
	if len(views) != 4 || !cmp.Equal(views[0].Covers, []string{tps1, tps3}) || !cmp.Equal(views[1].Covers, []string{tps4}) {
		t.Errorf("interventions of 3604 and what they cover: %+v", views)
	}
	sum := f.svc.Summary("3604")
	if diff := cmp.Diff(connectivity.Counts{Good: 5, Titik: 1}, sum.Effective); diff != "" {
		t.Errorf("effective counts (-want +got):\n%s", diff)
	}

	// Removed, the booster no longer lifts anything.
	f.setStatus(t, ivs[0], siaga.InterventionRemoved)
	if got := effective(f.svc); got[tps1] != siaga.SignalWeak || got[tps3] != siaga.SignalWeak {
		t.Errorf("after removing the booster: %v, want TPS 1 and 3 weak again", got)
	}

	page, err := f.store.Audit(ctx, siaga.AuditFilter{Scope: "3604", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	// 4 created + 4 installed + 4 tested + 1 removed.
	if page.Total != 13 {
		t.Errorf("%d audit entries in 3604, want 13", page.Total)
	}
}

// A booster amplifies what is there: the blank TPS with a faint signal
// measured (TPS 4, −125 dBm) is lifted, the one where the phones showed no
// service (TPS 2) is not, and the planner counts the same.
func TestBoosterAmplifiesFaintSignal(t *testing.T) {
	ctx := context.Background()
	f := withSurveys(t)
	// At TPS 3, reaching 2 and 4 (200 m away) and 1 and 5 (400 m) not.
	iv := siaga.Intervention{Kind: siaga.InterventionBooster, Lat: -5.9036, Lon: 106.05, RadiusM: 250, Owner: "Diskominfosatik", Region: "3604012005"}
	if err := f.svc.AddIntervention(ctx, &iv, "user:desk"); err != nil {
		t.Fatal(err)
	}
	f.setStatus(t, iv, siaga.InterventionInstalled)
	f.test(t, iv, tps4, true)
	f.setStatus(t, iv, siaga.InterventionTested)
	got := effective(f.svc)
	if got[tps4] != siaga.SignalGood || got[tps2] != siaga.BlankSpot || got[tps3] != siaga.SignalGood {
		t.Errorf("effective classes %v: want TPS 4 lifted to good, TPS 2 still blank, TPS 3 good", got)
	}
	var residual []string
	for _, tg := range f.svc.PlanTargets("3604", connectivity.WeightTPS) {
		if tg.Residual {
			residual = append(residual, tg.TPS)
		}
	}
	if len(residual) != 0 {
		t.Errorf("targets with a faint signal after the booster: %v, want none (TPS 4 is lifted)", residual)
	}
}

func TestInterventionStatusOnlyForward(t *testing.T) {
	ctx := context.Background()
	f := withSurveys(t)
	iv := siaga.Intervention{Kind: siaga.InterventionVSAT, TPS: tps2, Owner: "BAKTI"}
	if err := f.svc.AddIntervention(ctx, &iv, "user:desk"); err != nil {
		t.Fatal(err)
	}
	step := func(status string) error {
		_, err := f.svc.SetInterventionStatus(ctx, iv.ID, status, "", "user:desk")
		return err
	}
	for _, tc := range []struct {
		name   string
		before func()
		status string
		code   string
	}{
		{"tested without a test survey", nil, siaga.InterventionTested, siaga.EInvalid},
		{"tested after a failed test", func() { f.test(t, iv, tps2, false) }, siaga.InterventionTested, siaga.EInvalid},
		{"installed", nil, siaga.InterventionInstalled, ""},
		{"back to planned", nil, siaga.InterventionPlanned, siaga.EConflict},
		{"installed again", nil, siaga.InterventionInstalled, siaga.EConflict},
		{"unknown status", nil, "rusak", siaga.EInvalid},
		{"tested after a passing test", func() { f.test(t, iv, tps2, true) }, siaga.InterventionTested, ""},
		{"removed", nil, siaga.InterventionRemoved, ""},
		{"tested again", nil, siaga.InterventionTested, siaga.EConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.before != nil {
				tc.before()
			}
			if got := siaga.ErrorCode(step(tc.status)); got != tc.code {
				t.Errorf("→ %s: error code %q, want %q", tc.status, got, tc.code)
			}
		})
	}
	_, err := f.svc.SetInterventionStatus(ctx, 999, siaga.InterventionInstalled, "", "user:desk")
	if siaga.ErrorCode(err) != siaga.ENotFound {
		t.Errorf("an unknown intervention: %v, want not_found", err)
	}
}

func TestAddInterventionChecks(t *testing.T) {
	f := withSurveys(t)
	for _, tc := range []struct {
		name  string
		iv    siaga.Intervention
		field string
	}{
		{"booster with a radius", siaga.Intervention{Kind: siaga.InterventionBooster, Region: "3604", Lat: -5.9, Lon: 106.05, RadiusM: 300, Owner: "Diskominfo"}, ""},
		{"VSAT at its TPS's point", siaga.Intervention{Kind: siaga.InterventionVSAT, TPS: tps1, Owner: "BAKTI"}, ""},
		{"unknown kind", siaga.Intervention{Kind: "repeater", Region: "3604", Lat: -5.9, Lon: 106.05, Owner: "x"}, "kind"},
		{"VSAT without its TPS", siaga.Intervention{Kind: siaga.InterventionVSAT, Region: "3604", Lat: -5.9, Lon: 106.05, Owner: "BAKTI"}, "tps"},
		{"walk point without its TPS", siaga.Intervention{Kind: siaga.InterventionWalk, Region: "3604", Lat: -5.9, Lon: 106.05, Owner: "PPS"}, "tps"},
		{"booster without a radius", siaga.Intervention{Kind: siaga.InterventionBooster, Region: "3604", Lat: -5.9, Lon: 106.05, Owner: "x"}, "radius_m"},
		{"COW with a radius of 50 km", siaga.Intervention{Kind: siaga.InterventionCOW, Region: "3604", Lat: -5.9, Lon: 106.05, RadiusM: 50_000, Owner: "x"}, "radius_m"},
		{"unknown TPS", siaga.Intervention{Kind: siaga.InterventionVSAT, TPS: "3604012005099", Owner: "BAKTI"}, "tps"},
		{"TPS outside the region", siaga.Intervention{Kind: siaga.InterventionVSAT, TPS: "3602012003014", Region: "3604", Owner: "BAKTI"}, "tps"},
		{"point outside Indonesia", siaga.Intervention{Kind: siaga.InterventionCOW, Region: "3604", Lat: 1.35, Lon: 103.8 - 20, RadiusM: 500, Owner: "x"}, "lat"},
		{"unknown region", siaga.Intervention{Kind: siaga.InterventionCOW, Region: "3699", Lat: -5.9, Lon: 106.05, RadiusM: 500, Owner: "x"}, "region"},
		{"negative cost", siaga.Intervention{Kind: siaga.InterventionCOW, Region: "3604", Lat: -5.9, Lon: 106.05, RadiusM: 500, Cost: -1, Owner: "x"}, "cost"},
		{"no owner", siaga.Intervention{Kind: siaga.InterventionCOW, Region: "3604", Lat: -5.9, Lon: 106.05, RadiusM: 500}, "owner"},
		{"created tested", siaga.Intervention{Kind: siaga.InterventionVSAT, TPS: tps1, Owner: "BAKTI", Status: siaga.InterventionTested}, "status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.svc.AddIntervention(context.Background(), &tc.iv, "user:desk")
			var field string
			if e, ok := err.(*siaga.Error); ok {
				field = e.Field
			} else if err != nil {
				t.Fatal(err)
			}
			if field != tc.field {
				t.Errorf("AddIntervention: %v, want a refusal on %q", err, tc.field)
			}
		})
	}
}

func TestLate(t *testing.T) {
	due := time.Date(2024, 2, 12, 0, 0, 0, 0, siaga.WIB) // H-2
	for _, tc := range []struct {
		name string
		iv   siaga.Intervention
		now  time.Time
		want bool
	}{
		{"planned, before due", siaga.Intervention{Status: siaga.InterventionPlanned, Due: due}, due.Add(-time.Hour), false},
		{"planned, past due", siaga.Intervention{Status: siaga.InterventionPlanned, Due: due}, due.Add(time.Hour), true},
		{"installed in time", siaga.Intervention{Status: siaga.InterventionTested, Due: due, InstalledAt: due.Add(-time.Hour)}, due.Add(48 * time.Hour), false},
		{"installed late stays late", siaga.Intervention{Status: siaga.InterventionTested, Due: due, InstalledAt: due.Add(26 * time.Hour)}, due.Add(48 * time.Hour), true},
		{"no due date", siaga.Intervention{Status: siaga.InterventionPlanned}, due, false},
		{"abandoned before due", siaga.Intervention{Status: siaga.InterventionRemoved, Due: due}, due.Add(time.Hour), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := connectivity.Late(&tc.iv, tc.now); got != tc.want {
				t.Errorf("Late = %v, want %v", got, tc.want)
			}
		})
	}
}
