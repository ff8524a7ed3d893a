package main

import (
	"context"

	"github.com/deskpemilu/siaga/demo"
)

func runDemo(ctx context.Context, args []string, e *env) error {
	fs := flags("demo", e)
	cfg := demo.Config{Out: e.stdout, Logger: e.logger}
	fs.StringVar(&cfg.DataDir, "data", "siaga-demo", "demo data folder (recreated unless --keep)")
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "address of the dashboard")
	fs.DurationVar(&cfg.Night, "night", 0, "length of the simulated night (default 10m)")
	fs.Int64Var(&cfg.Seed, "seed", 2024, "seed of the simulation")
	fs.BoolVar(&cfg.Keep, "keep", false, "keep the existing demo folder")
	fs.Float64Var(&cfg.Open, "open", 0.1, "share of TPS whose presidential count is in when the dashboard opens (negative: open at the first report)")
	fs.StringVar(&cfg.Region, "region", "", "simulate only the TPS below this region code (default: all of Banten)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return demo.Run(ctx, cfg)
}
