package main

import (
	"context"
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
