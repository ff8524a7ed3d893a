package readiness_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/readiness"
)

// TestAssess: the level is the worst any reason calls for, and a TPS
// nobody surveyed never looks ready.
func TestAssess(t *testing.T) {
	known := readiness.Inputs{SignalKnown: true, HazardKnown: true, Located: true}
	with := func(f func(in *readiness.Inputs)) readiness.Inputs {
		in := known
		f(&in)
		return in
	}
	pss := &siaga.Postponement{Kind: siaga.PostponementPSS, Status: siaga.PostponementDecided, NewDate: "2024-02-18"}
	for _, tc := range []struct {
		name  string
		in    readiness.Inputs
		level siaga.ReadinessLevel
		codes []string
	}{
		{"good and safe", with(func(in *readiness.Inputs) { in.Effective, in.Surveyed = siaga.SignalGood, siaga.SignalGood }), siaga.ReadinessReady, nil},
		{"unsurveyed", known, siaga.ReadinessWatch, []string{"unsurveyed"}},
		{"no signal module", readiness.Inputs{}, siaga.ReadinessWatch, []string{"no_signal_data"}},
		{"weak", with(func(in *readiness.Inputs) { in.Effective, in.Surveyed = siaga.SignalWeak, siaga.SignalWeak }), siaga.ReadinessWatch, []string{"weak"}},
		{"blank", with(func(in *readiness.Inputs) { in.Effective, in.Surveyed = siaga.BlankSpot, siaga.BlankSpot }), siaga.ReadinessAtRisk, []string{"blank"}},
		{"blank with a plan is still rawan", with(func(in *readiness.Inputs) {
			in.Effective, in.Surveyed, in.Planned = siaga.BlankSpot, siaga.BlankSpot, 1
		}), siaga.ReadinessAtRisk, []string{"blank", "planned"}},
		{"weak with a plan", with(func(in *readiness.Inputs) {
			in.Effective, in.Surveyed, in.Planned = siaga.SignalWeak, siaga.SignalWeak, 2
		}), siaga.ReadinessWatch, []string{"weak", "planned"}},
		{"lifted by a booster", with(func(in *readiness.Inputs) {
			in.Effective, in.Surveyed, in.Helped = siaga.SignalGood, siaga.SignalWeak, 1
		}), siaga.ReadinessReady, []string{"helped"}},
		{"walk point", with(func(in *readiness.Inputs) {
			in.Effective, in.Surveyed, in.Helped = connectivity.ClassTitik, siaga.BlankSpot, 1
		}), siaga.ReadinessWatch, []string{"walk_point", "helped"}},
		{"hazard tinggi", with(func(in *readiness.Inputs) {
			in.Effective, in.Hazard, in.HazardTypes = siaga.SignalGood, siaga.HazardHigh, []string{"banjir"}
		}), siaga.ReadinessAtRisk, []string{"hazard_high"}},
		{"hazard sedang", with(func(in *readiness.Inputs) { in.Effective, in.Hazard = siaga.SignalGood, siaga.HazardMedium }), siaga.ReadinessWatch, []string{"hazard_medium"}},
		{"hazard rendah informs", with(func(in *readiness.Inputs) { in.Effective, in.Hazard = siaga.SignalGood, siaga.HazardLow }), siaga.ReadinessReady, []string{"hazard_low"}},
		{"unlocated while zones exist", with(func(in *readiness.Inputs) { in.Effective, in.Located = siaga.SignalGood, false }), siaga.ReadinessWatch, []string{"unlocated"}},
		{"no hazard layer: nothing to say", with(func(in *readiness.Inputs) {
			in.Effective, in.Located, in.HazardKnown = siaga.SignalGood, false, false
		}), siaga.ReadinessReady, nil},
		{"both blank and tinggi", with(func(in *readiness.Inputs) {
			in.Effective, in.Hazard, in.Relocated = siaga.BlankSpot, siaga.HazardHigh, true
		}), siaga.ReadinessAtRisk, []string{"blank", "hazard_high", "relocated"}},
		{"postponed beats all", with(func(in *readiness.Inputs) {
			in.Effective, in.Hazard, in.Postponed = siaga.BlankSpot, siaga.HazardHigh, pss
		}), siaga.ReadinessPostponed, []string{"postponed", "blank", "hazard_high"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			level, reasons := readiness.Assess(tc.in)
			var codes []string
			for _, r := range reasons {
				codes = append(codes, r.Code)
				if r.Text == "" || r.EN == "" || r.Layer == "" {
					t.Errorf("reason %q lacks its words or layer: %+v", r.Code, r)
				}
			}
			if level != tc.level {
				t.Errorf("level %q, want %q", level, tc.level)
			}
			if diff := cmp.Diff(tc.codes, codes); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPostponedReasonSaysTheNewDate: the words carry the kind, status and
// new date, in both languages.
func TestPostponedReasonSaysTheNewDate(t *testing.T) {
	_, rs := readiness.Assess(readiness.Inputs{SignalKnown: true, Effective: siaga.SignalGood, Postponed: &siaga.Postponement{
		Kind: siaga.PostponementPSS, Status: siaga.PostponementDecided, NewDate: "2024-02-18"}})
	want := siaga.ReadinessReason{Code: "postponed", Layer: readiness.LayerPostponement, Level: siaga.ReadinessPostponed,
		Text: "Pemungutan suara ditunda (pemungutan suara susulan, diputuskan), tanggal baru 2024-02-18",
		EN:   "voting postponed (pss, diputuskan), new date 2024-02-18"}
	if diff := cmp.Diff([]siaga.ReadinessReason{want}, rs); diff != "" {
		t.Error(diff)
	}
}
