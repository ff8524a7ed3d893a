package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
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
	reg, err := storedRegistry(ctx, store, cfg)
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	// The TPS stand where the node puts them (their stored locations), and
	// surveys are classified as it classifies them: the page and this
	// command give the same plan.
	svc := connectivity.New(connectivity.Config{Store: store, Registry: reg, Sites: store, Locations: store,
		Thresholds: cfg.SignalThresholds, Now: time.Now})
	if err := svc.Load(ctx); err != nil {
		store.Close()
		return nil, nil, err
	}
	return svc, store, nil
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
	thresholdFlag(fs, cfg)
	kind := fs.String("kind", "", "intervention kind: booster, vsat or cow")
	k := fs.Int("k", 0, "number of sites to choose")
	budget := fs.Float64("budget", 0, "budget in rupiah (instead of --k)")
	weight := fs.String("weight", connectivity.WeightTPS, "what a covered TPS is worth: tps (1 each) or dpt (its voters)")
	region := fs.String("region", "", "plan within this region code only")
	asJSON := fs.Bool("json", false, "print JSON (SPEC section 9)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *region != "" && !siaga.IsRegionCode(*region) {
		return siaga.Errorf(siaga.EInvalid, "--region", "%q bukan kode wilayah", "%q is not a region code", *region)
	}
	svc, store, err := openConnectivity(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	out, err := svc.Plan(ctx, connectivity.PlanRequest{Kind: *kind, K: *k, Budget: *budget, Weight: *weight, Region: *region})
	if e, ok := err.(*siaga.Error); ok && e.Field != "" {
		e.Field = "--" + e.Field // the request's fields are the flags
	}
	if err != nil {
		return err
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

// storedRegistry is the registry of a data folder's store, or an error
// that says how to make one.
func storedRegistry(ctx context.Context, store siaga.Store, cfg *node.Config) (*siaga.Registry, error) {
	reg, err := store.LoadRegistry(ctx)
	if err == nil && len(reg.TPS) == 0 {
		err = siaga.Errorf(siaga.ENotFound, "--data", "folder data %q belum berisi registri; jalankan dulu `siaga init --data %s --province 36`",
			"the data folder %q holds no registry; run `siaga init --data %s --province 36` first", cfg.DataDir, cfg.DataDir)
	}
	return reg, err
}
