package connectivity_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/coverage"
)

// row is six TPS 200 m apart, north to south, and their classes: weak,
// blank, weak, blank, good, blank. Weights are their voters.
func row() []connectivity.Target {
	classes := []siaga.Connectivity{siaga.SignalWeak, siaga.BlankSpot, siaga.SignalWeak, siaga.BlankSpot, siaga.SignalGood, siaga.BlankSpot}
	var out []connectivity.Target
	for i, c := range classes {
		out = append(out, connectivity.Target{TPS: "360401200500" + string(rune('1'+i)), Lat: -5.9 - 0.0018*float64(i), Lon: 106.05,
			Class: c, Weight: float64(250 - 10*i)})
	}
	return out
}

func TestBuildInstance(t *testing.T) {
	targets := row()
	at := func(i int, dLat float64) (float64, float64) { return targets[i].Lat + dLat, targets[i].Lon }
	site := func(code, kind string, i int, dLat, radius float64, cost int64) siaga.Site {
		lat, lon := at(i, dLat)
		return siaga.Site{Code: code, Kind: "menara", Lat: lat, Lon: lon, Intervention: kind, RadiusM: radius, Cost: cost}
	}
	for _, tc := range []struct {
		name     string
		kind     string
		residual []int // targets with a faint signal measured
		sites    []siaga.Site
		elems    []string // the TPS that are elements, in order
		weights  []float64
		sets     [][]int32
		costs    []float64
	}{
		{
			name: "booster covers the weak TPS in its radius, never a blank one without a faint signal",
			kind: siaga.InterventionBooster,
			sites: []siaga.Site{
				site("B1", siaga.InterventionBooster, 1, 0, 250, 15_000_000), // at TPS 2 (blank), reaching 1 and 3 (weak)
				site("B2", siaga.InterventionBooster, 3, 0, 150, 12_000_000), // at TPS 4 (blank), reaching nothing weak
			},
			elems: []string{targets[0].TPS, targets[2].TPS}, weights: []float64{250, 230},
			sets: [][]int32{{0, 1}, {}}, costs: []float64{15_000_000, 12_000_000},
		},
		{
			name: "booster covers a blank TPS where a faint signal was measured",
			kind: siaga.InterventionBooster,
			sites: []siaga.Site{
				site("B1", siaga.InterventionBooster, 1, 0, 250, 15_000_000), // at TPS 2 (blank, faint signal), reaching 1 and 3 (weak)
			},
			residual: []int{1},
			elems:    []string{targets[0].TPS, targets[1].TPS, targets[2].TPS}, weights: []float64{250, 240, 230},
			sets: [][]int32{{0, 1, 2}}, costs: []float64{15_000_000},
		},
		{
			name: "mobile BTS covers the blank TPS in its radius",
			kind: siaga.InterventionCOW,
			sites: []siaga.Site{
				site("C1", siaga.InterventionCOW, 2, 0, 250, 90_000_000), // at TPS 3 (weak): reaches 2 and 4 (blank), 200 m away
				site("C2", siaga.InterventionCOW, 5, 0, 100, 80_000_000), // at TPS 6
				site("B9", siaga.InterventionBooster, 3, 0, 500, 1),      // another kind: covers nothing
			},
			elems: []string{targets[1].TPS, targets[3].TPS, targets[5].TPS}, weights: []float64{240, 220, 200},
			sets: [][]int32{{0, 1}, {2}, {}}, costs: []float64{90_000_000, 80_000_000, 1},
		},
		{
			name: "VSAT covers only the TPS it stands at",
			kind: siaga.InterventionVSAT,
			sites: []siaga.Site{
				site("V1", siaga.InterventionVSAT, 3, 0.0002, 0, 40_000_000),   // 22 m from TPS 4 (blank): covers it, not 2 or 6
				site("V2", siaga.InterventionVSAT, 2, -0.0003, 0, 40_000_000),  // 33 m from TPS 3 (weak), 167 m from 4: at 3, covers nothing
				site("V3", siaga.InterventionVSAT, 5, 0.0090, 300, 40_000_000), // 1 km from anything
				site("V4", siaga.InterventionVSAT, 1, 0, 5000, 40_000_000),     // a wide radius still means one TPS: the nearest
			},
			elems: []string{targets[1].TPS, targets[3].TPS, targets[5].TPS}, weights: []float64{240, 220, 200},
			sets: [][]int32{{1}, {}, {}, {0}}, costs: []float64{40_000_000, 40_000_000, 40_000_000, 40_000_000},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			targets := row()
			for _, i := range tc.residual {
				targets[i].Residual = true
			}
			in, elems := connectivity.BuildInstance(targets, tc.sites, tc.kind)
			var codes []string
			for _, e := range elems {
				codes = append(codes, e.TPS)
			}
			want := coverage.Instance{Weights: tc.weights, Sets: tc.sets, Costs: tc.costs}
			if diff := cmp.Diff(tc.elems, codes); diff != "" {
				t.Errorf("elements (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, in); diff != "" {
				t.Errorf("instance (-want +got):\n%s", diff)
			}
			if err := in.Check(); err != nil {
				t.Errorf("instance refused by coverage: %v", err)
			}
		})
	}
}

// TestPlanTargets: the Service's targets are the surveyed weak and blank
// TPS not already lifted, weighted by TPS or by voters.
func TestPlanTargets(t *testing.T) {
	f := withSurveys(t) // 1 weak, 2 blank, 3 weak, 4 blank, 5 good, 6 unsurveyed
	got := f.svc.PlanTargets("3604", connectivity.WeightDPT)
	var codes []string
	var weights []float64
	for _, g := range got {
		codes = append(codes, g.TPS)
		weights = append(weights, g.Weight)
	}
	if diff := cmp.Diff([]string{tps1, tps2, tps3, tps4}, codes); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{250, 240, 230, 220}, weights); diff != "" {
		t.Errorf("weights by DPT (-want +got):\n%s", diff)
	}
	if got := f.svc.PlanTargets("3602", connectivity.WeightTPS); len(got) != 0 {
		t.Errorf("targets in Lebak, where nothing is surveyed: %v", got)
	}
}
