package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/coverage"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/registry"
)

// geoReport is what `siaga bench geo` prints: SPEC section 10's fields,
// then how the planning numbers came about.
type geoReport struct {
	Benchmark string `json:"benchmark"`
	// HazardS and HazardNationalS time the exposure of Banten's 33,324
	// TPS and of all 820,161 of Indonesia against 10,000 hazard polygons
	// (geo_hazard.go), medians.
	HazardS         float64 `json:"hazard_s"`
	HazardNationalS float64 `json:"hazard_national_s"`
	// The reference, in the same run: Banten's TPS each tested against
	// every zone without the index (a sample, scaled), and how many times
	// slower that is.
	HazardNaiveS     float64 `json:"hazard_naive_s"`
	HazardIndexRatio float64 `json:"hazard_index_speedup"`

	// PlanningS is the median time of one plan for k sites: index the
	// blank-spot TPS, find the TPS each candidate site reaches, run the
	// lazy greedy with its bound. PlanningCovered is the blank-spot TPS
	// the plan reaches, PlanningUpperBound the most any k sites could.
	PlanningS          float64 `json:"planning_s"`
	PlanningCovered    float64 `json:"planning_covered"`
	PlanningUpperBound float64 `json:"planning_upper_bound"`
	PlanningRatio      float64 `json:"planning_ratio"` // covered / bound: "at least X% of the best possible"
	PlanningTPS        int     `json:"planning_tps"`   // blank-spot TPS (Banten: 452)
	PlanningSites      int     `json:"planning_sites"`
	PlanningK          int     `json:"planning_k"`
	PlanningChosen     int     `json:"planning_chosen"` // at most k: the greedy stops when no site adds anything
	// The parts of PlanningS, medians too.
	PlanningInstanceS float64 `json:"planning_instance_s"`
	PlanningGreedyS   float64 `json:"planning_greedy_s"`
	// The reference, measured in the same run on the same instance: the
	// plain greedy, which evaluates every candidate at every pick; the
	// ratio is its time over the lazy greedy's, and it must pick the same.
	PlanningPlainS      float64 `json:"planning_plain_s"`
	PlanningPlainRatio  float64 `json:"planning_plain_ratio"`
	PlanningSamePicks   bool    `json:"planning_same_picks"`
	PlanningBudget      float64 `json:"planning_budget"` // rupiah
	PlanningBudgetS     float64 `json:"planning_budget_s"`
	PlanningBudgetCover float64 `json:"planning_budget_covered"`
	PlanningBudgetBound float64 `json:"planning_budget_upper_bound"`
	PlanningBudgetSites int     `json:"planning_budget_sites"`
	Runs                int     `json:"runs"`
	machine
}

// The plans timed. The 452 blank-spot TPS stand in 42 desa, clustered
// around their centres, so some 20 sites reach them all; plans of 10 sites
// or Rp 400 million leave some out, where the choice and the bound matter.
const (
	geoK      = 4
	geoBudget = 1.5e8
	geoRuns   = 5
)

// runGeo times the planner on Banten's blank-spot TPS (the registry's
// synthetic placement of the 452 reported) and -n synthetic candidate
// sites around them.
func runGeo(ctx context.Context, o options) (any, error) {
	reg, err := registry.Load(o.province, o.seed)
	if err != nil {
		return nil, err
	}
	var blank []orb.Point
	for _, t := range reg.TPS {
		if t.Connectivity == siaga.BlankSpot {
			blank = append(blank, orb.Point{t.Lon, t.Lat})
		}
	}
	if len(blank) == 0 {
		return nil, fmt.Errorf("province %s has no blank-spot TPS to plan for", o.province)
	}
	sites := candidateSites(blank, o.n, rand.New(rand.NewPCG(uint64(o.seed), 5000)))
	rep := geoReport{Benchmark: "geo", PlanningTPS: len(blank), PlanningSites: len(sites), PlanningK: geoK,
		PlanningBudget: geoBudget, Runs: geoRuns, machine: machineInfo(o)}
	rep.machine.DB, rep.machine.Server = "", "in-process" // no store, no server: computation only

	var total, build, greedy, plain, budgeted []float64
	for range geoRuns {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		start := time.Now()
		in := planningInstance(blank, sites)
		built := time.Now()
		p := coverage.Greedy(in, geoK)
		done := time.Now()
		total, build, greedy = append(total, done.Sub(start).Seconds()), append(build, built.Sub(start).Seconds()), append(greedy, done.Sub(built).Seconds())
		rep.PlanningCovered, rep.PlanningUpperBound, rep.PlanningRatio, rep.PlanningChosen = p.Covered, p.UpperBound, p.Ratio, len(p.Chosen)

		start = time.Now()
		ref := coverage.PlainGreedy(in, geoK)
		plain = append(plain, time.Since(start).Seconds())
		rep.PlanningSamePicks = slices.Equal(ref.Chosen, p.Chosen)

		start = time.Now()
		b := coverage.Budgeted(in, geoBudget)
		budgeted = append(budgeted, time.Since(start).Seconds())
		rep.PlanningBudgetCover, rep.PlanningBudgetBound, rep.PlanningBudgetSites = b.Covered, b.UpperBound, len(b.Chosen)
	}
	rep.PlanningS, rep.PlanningInstanceS, rep.PlanningGreedyS = seconds(median(total)), seconds(median(build)), seconds(median(greedy))
	rep.PlanningPlainS, rep.PlanningBudgetS = seconds(median(plain)), seconds(median(budgeted))
	if g := median(greedy); g > 0 {
		rep.PlanningPlainRatio = math.Round(median(plain)/g*100) / 100
	}
	if rep.HazardS, rep.HazardNationalS, rep.HazardNaiveS, err = hazardBench(ctx, o.seed, 3); err != nil {
		return nil, err
	}
	if rep.HazardS > 0 {
		rep.HazardIndexRatio = math.Round(rep.HazardNaiveS/rep.HazardS*10) / 10
	}
	return rep, nil
}

// seconds rounds to the microsecond: the plans take milliseconds.
func seconds(s float64) float64 { return math.Round(s*1e6) / 1e6 }

// candidateSite is a synthetic place for an intervention.
type candidateSite struct {
	at      orb.Point
	radiusM float64
	cost    float64
}

// candidateSites places n sites near the blank-spot TPS, of the three
// kinds with coverage of their own: boosters on rooftops (short reach,
// cheap), mobile BTS on towers (kilometres, dear), VSAT terminals at a TPS
// (serving it alone). Radii and costs are illustrative, not quotes.
func candidateSites(blank []orb.Point, n int, r *rand.Rand) []candidateSite {
	spread := 1500 / (geo.EarthRadius * math.Pi / 180) // 1.5 km in degrees of latitude
	out := make([]candidateSite, n)
	for i := range out {
		near := blank[r.IntN(len(blank))]
		var s candidateSite
		switch k := r.Float64(); {
		case k < 0.5: // booster
			s = candidateSite{radiusM: 500 + r.Float64()*1000, cost: float64(8+r.IntN(13)) * 1e6}
		case k < 0.8: // mobile BTS
			s = candidateSite{radiusM: 2000 + r.Float64()*4000, cost: float64(60+r.IntN(91)) * 1e6}
		default: // VSAT at the TPS itself
			s = candidateSite{at: near, radiusM: 100, cost: float64(35+r.IntN(16)) * 1e6}
		}
		if s.at == (orb.Point{}) {
			s.at = orb.Point{near[0] + r.NormFloat64()*spread, near[1] + r.NormFloat64()*spread}
		}
		out[i] = s
	}
	return out
}

// planningInstance is what the planner solves: each blank-spot TPS worth 1,
// each site covering the TPS within its radius.
func planningInstance(blank []orb.Point, sites []candidateSite) coverage.Instance {
	x := geo.NewPoints(blank)
	in := coverage.Instance{Weights: make([]float64, len(blank)), Sets: make([][]int32, len(sites)), Costs: make([]float64, len(sites))}
	for i := range in.Weights {
		in.Weights[i] = 1
	}
	var near []int
	for s, site := range sites {
		near = x.Near(near[:0], site.at, site.radiusM)
		set := make([]int32, len(near))
		for j, t := range near {
			set[j] = int32(t)
		}
		in.Sets[s], in.Costs[s] = set, site.cost
	}
	return in
}
