package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/coverage"
	"github.com/deskpemilu/siaga/node"
)

// runImportSurveys is `siaga import surveys --data DIR FILE`: a survey CSV
// (connectivity.SurveyColumns) checked whole, then stored in one
// transaction. Any bad row refuses the file, naming the row and column,
// and stores nothing.
func runImportSurveys(ctx context.Context, args []string, e *env) error {
	fs := flags("import surveys", e)
	cfg := storeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return siaga.Errorf(siaga.EInvalid, "FILE", "sebutkan tepat satu berkas CSV survei", "name exactly one survey CSV file")
	}
	svc, store, err := openConnectivity(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return siaga.Errorf(siaga.ENotFound, fs.Arg(0), "berkas ini tidak ada atau tidak terbaca; tidak ada yang diimpor",
			"no such file, or it cannot be read; nothing was imported")
	}
	defer f.Close()
	ss, err := connectivity.ReadSurveysCSV(f, svc, time.Now())
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	if err := svc.AddSurveys(ctx, ss, "cli"); err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	fmt.Fprintf(e.stdout, "survei: %d disimpan (%d stored)\n", len(ss), len(ss))
	return nil
}

// openConnectivity opens the store of a data folder and a connectivity
// service loaded from it, without the rest of a node (no tallies to
// replay): what the import and the planner need.
func openConnectivity(ctx context.Context, cfg *node.Config) (*connectivity.Service, siaga.Store, error) {
	store, err := node.OpenStore(ctx, *cfg)
	if err != nil {
		return nil, nil, err
	}
	reg, err := store.LoadRegistry(ctx)
	if err == nil && len(reg.TPS) == 0 {
		err = siaga.Errorf(siaga.ENotFound, "--data", "folder data %q belum berisi registri; jalankan dulu `siaga init --data %s --province 36`",
			"the data folder %q holds no registry; run `siaga init --data %s --province 36` first", cfg.DataDir, cfg.DataDir)
	}
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	svc := connectivity.New(connectivity.Config{Store: store, Registry: reg, Now: time.Now})
	if err := svc.Load(ctx); err != nil {
		store.Close()
		return nil, nil, err
	}
	return svc, store, nil
}

// planOutput is the JSON of `siaga plan interventions` (SPEC §9: sites,
// covered, upper_bound, guarantee; the rest is added).
type planOutput struct {
	Kind   string     `json:"kind"`
	Weight string     `json:"weight"`
	Region string     `json:"region,omitempty"`
	Sites  []planSite `json:"sites"`
	// Covered is the weight the chosen sites cover (TPS, or voters with
	// --weight dpt); CoveredTPS the TPS.
	Covered    float64 `json:"covered"`
	CoveredTPS int     `json:"covered_tps"`
	UpperBound float64 `json:"upper_bound"`
	Guarantee  float64 `json:"guarantee"`
	Ratio      float64 `json:"ratio"`
	Cost       float64 `json:"cost"`
	// Targets are the TPS the kind can serve (weak for a booster, blank
	// for VSAT or mobile BTS) and their weight; Candidates the sites.
	Targets      int             `json:"targets"`
	TargetWeight float64         `json:"target_weight"`
	Candidates   int             `json:"candidates"`
	Steps        []coverage.Step `json:"steps"`
}

type planSite struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	Lat    float64  `json:"lat"`
	Lon    float64  `json:"lon"`
	Covers []string `json:"covers"`
	Cost   int64    `json:"cost"`
}

// runPlan is `siaga plan interventions`: where k (or a budget's worth of)
// interventions of one kind reach the most TPS that need them, from the
// candidate sites (siaga import sites) and the surveys, with how close to
// the best possible the plan is.
func runPlan(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] != "interventions" {
		return siaga.Errorf(siaga.EInvalid, "", "yang dapat direncanakan: `siaga plan interventions --data DIR --kind K (--k N | --budget X)`",
			"what can be planned: `siaga plan interventions --data DIR --kind K (--k N | --budget X)`")
	}
	fs := flags("plan interventions", e)
	cfg := storeFlags(fs)
	kind := fs.String("kind", "", "intervention kind: booster, vsat or cow")
	k := fs.Int("k", 0, "number of sites to choose")
	budget := fs.Float64("budget", 0, "budget in rupiah (instead of --k)")
	weight := fs.String("weight", connectivity.WeightTPS, "what a covered TPS is worth: tps (1 each) or dpt (its voters)")
	region := fs.String("region", "", "plan within this region code only")
	asJSON := fs.Bool("json", false, "print JSON (SPEC section 9)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch {
	case *kind != siaga.InterventionBooster && *kind != siaga.InterventionVSAT && *kind != siaga.InterventionCOW:
		return siaga.Errorf(siaga.EInvalid, "--kind", "pilih booster, vsat atau cow", "one of booster, vsat or cow")
	case (*k > 0) == (*budget > 0):
		return siaga.Errorf(siaga.EInvalid, "--k", "sebutkan salah satu: --k N (jumlah lokasi) atau --budget X (rupiah)",
			"give one of --k N (number of sites) or --budget X (rupiah)")
	case *weight != connectivity.WeightTPS && *weight != connectivity.WeightDPT:
		return siaga.Errorf(siaga.EInvalid, "--weight", "pilih tps atau dpt", "one of tps or dpt")
	case *region != "" && !siaga.IsRegionCode(*region):
		return siaga.Errorf(siaga.EInvalid, "--region", "%q bukan kode wilayah", "%q is not a region code", *region)
	}
	svc, store, err := openConnectivity(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	sites, err := store.Sites(ctx, siaga.SiteFilter{Region: *region, Intervention: *kind})
	if err != nil {
		return err
	}
	in, elems := connectivity.BuildInstance(svc.PlanTargets(*region, *weight), sites, *kind)
	var p coverage.Plan
	if *k > 0 {
		p = coverage.Greedy(in, *k)
	} else {
		p = coverage.Budgeted(in, *budget)
	}
	out := planOutput{Kind: *kind, Weight: *weight, Region: *region, Sites: []planSite{}, Covered: p.Covered, CoveredTPS: p.CoveredCount,
		UpperBound: p.UpperBound, Guarantee: p.Guarantee, Ratio: p.Ratio, Cost: p.Cost, Targets: len(elems),
		Candidates: len(sites), Steps: p.Steps}
	for _, t := range elems {
		out.TargetWeight += t.Weight
	}
	for _, s := range p.Chosen {
		site := sites[s]
		ps := planSite{Code: site.Code, Name: site.Name, Lat: site.Lat, Lon: site.Lon, Cost: site.Cost, Covers: []string{}}
		for _, el := range in.Sets[s] {
			ps.Covers = append(ps.Covers, elems[el].TPS)
		}
		out.Sites = append(out.Sites, ps)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		return enc.Encode(out)
	}
	for _, s := range out.Sites {
		fmt.Fprintf(e.stdout, "%s\t%s\t%.5f,%.5f\tRp%d\t%d TPS\n", s.Code, s.Name, s.Lat, s.Lon, s.Cost, len(s.Covers))
	}
	fmt.Fprintf(e.stdout, "%d lokasi menjangkau %d dari %d TPS; sedikitnya %.0f%% dari yang terbaik (%d sites reach %d of %d TPS; at least %.0f%% of the best possible)\n",
		len(out.Sites), out.CoveredTPS, out.Targets, 100*out.Ratio, len(out.Sites), out.CoveredTPS, out.Targets, 100*out.Ratio)
	return nil
}
