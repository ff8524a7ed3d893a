package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/registry"
)

// runImportShipments is `siaga import shipments --data DIR FILE`: the
// waybills (and deliveries) of a SILOG-style CSV, all or nothing
// (docs/logistics.md, "Pengiriman").
func runImportShipments(ctx context.Context, args []string, e *env) error {
	fs := flags("import shipments", e)
	cfg := storeFlags(fs)
	bomFlag(fs, cfg) // the items a waybill may carry are the bill of materials'
	if err := fs.Parse(args); err != nil {
		return err
	}
	path, err := oneFile(fs.Args(), "CSV kiriman / shipments CSV")
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return notReadable(path)
	}
	defer f.Close()
	store, err := node.OpenStore(ctx, *cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	reg, err := storedRegistry(ctx, store, cfg)
	if err != nil {
		return err
	}
	el, err := store.LoadElection(ctx)
	if err != nil {
		return err
	}
	islands, err := registry.Islands()
	if err != nil {
		return err
	}
	svc := logistics.NewShipments(logistics.ShipmentsConfig{Store: store, Registry: reg, Election: el, Islands: islands, BOM: cfg.BOM, Now: time.Now})
	n, err := svc.Import(ctx, f, "cli")
	if err != nil {
		return refused(path, err)
	}
	fmt.Fprintf(e.stdout, "kiriman: %d disimpan (%d shipments stored)\n", n, n)
	return nil
}
