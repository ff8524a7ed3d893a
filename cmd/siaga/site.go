package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/site"
)

// runImportSites stores a CSV of candidate sites (package site has its
// columns): every row in one transaction, or, when any row is bad, none.
func runImportSites(ctx context.Context, args []string, e *env) error {
	fs := flags("import sites", e)
	cfg := storeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return siaga.Errorf(siaga.EInvalid, "FILE", "sebutkan tepat satu berkas CSV calon lokasi",
			"name exactly one CSV file of candidate sites")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return siaga.Errorf(siaga.ENotFound, fs.Arg(0), "berkas ini tidak ada atau tidak terbaca; tidak ada yang diimpor",
			"no such file, or it cannot be read; nothing was imported")
	}
	defer f.Close()
	regions, err := geo.Banten()
	if err != nil {
		return fmt.Errorf("load Banten's boundaries: %w", err)
	}
	ss, err := site.ReadCSV(f, regions)
	if err != nil {
		return err // nothing is stored: the store is not even opened
	}
	now := time.Now().UTC()
	located := 0
	for i := range ss {
		ss[i].UpdatedAt = now
		if ss[i].Desa != "" {
			located++
		}
	}
	store, err := node.OpenStore(ctx, *cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	audit := siaga.AuditEvent{At: now, Actor: "cli", Action: siaga.AuditSiteSave, Subject: fmt.Sprintf("%d", len(ss)),
		Detail: siaga.AuditDetail(map[string]any{"file": fs.Arg(0), "sites": len(ss), "located": located})}
	if err := store.SaveSites(ctx, ss, audit); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "sites: %d disimpan, %d di dalam desa yang batasnya dikenal (%d stored, %d inside a desa whose boundary is known)\n",
		len(ss), located, len(ss), located)
	return nil
}
