package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/sirekap"
)

func newAuth(store siaga.AccountStore) *auth.Service { return auth.New(store, time.Now) }

func runImport(ctx context.Context, args []string, e *env) error {
	kind := ""
	if len(args) > 0 {
		kind = args[0]
	}
	switch kind {
	case "sirekap":
		return importSirekap(ctx, args, e)
	case "hazards":
		return importHazards(ctx, args[1:], e)
	case "tps-locations":
		return importLocations(ctx, args[1:], e)
	case "surveys":
		return runImportSurveys(ctx, args[1:], e)
	case "sites":
		return runImportSites(ctx, args[1:], e)
	case "shipments":
		return runImportShipments(ctx, args[1:], e)
	case "vulnerability":
		return runImportVulnerability(ctx, args[1:], e)
	}
	return siaga.Errorf(siaga.EInvalid, "", "yang dapat diimpor: `siaga import sirekap|surveys|hazards|tps-locations|sites|shipments|vulnerability --data DIR …`",
		"what can be imported: `siaga import sirekap|surveys|hazards|tps-locations|sites|shipments|vulnerability --data DIR …`")
}

func importSirekap(ctx context.Context, args []string, e *env) error {
	fs := flags("import sirekap", e)
	cfg := storeFlags(fs)
	contest := fs.String("contest", "ppwp", "contest of the files when their path does not say")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return siaga.Errorf(siaga.EInvalid, "PATH", "sebutkan minimal satu berkas atau folder JSON Sirekap",
			"name at least one Sirekap JSON file or folder")
	}
	for _, p := range fs.Args() {
		if _, err := os.Stat(p); err != nil {
			return siaga.Errorf(siaga.ENotFound, p, "berkas atau folder ini tidak ada atau tidak terbaca; tidak ada yang diimpor",
				"no such file or folder, or it cannot be read; nothing was imported")
		}
	}
	n, err := openQuiet(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer n.Close()
	var stored, same, failed int
	err = sirekap.Walk(fs.Args(), sirekap.Tickets(n.Election), func(path string, rec *sirekap.Record, err error) error {
		if err == nil {
			var res siaga.IntakeResult
			res, err = n.Intake.Import(ctx, rec, siaga.Contest(*contest))
			switch {
			case err == nil && res.Replay:
				same++
			case err == nil:
				stored++
			}
		}
		if err != nil {
			failed++
			fmt.Fprintf(e.stderr, "%s: %v\n", path, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "sirekap: %d disimpan, %d tidak berubah, %d ditolak (%d stored, %d unchanged, %d refused)\n",
		stored, same, failed, stored, same, failed)
	if failed > 0 {
		// The others are stored (each record is its own version); the exit
		// status tells a script that not everything went in.
		return siaga.Errorf(siaga.EInvalid, "", "%d berkas ditolak; alasannya di atas", "%d files refused; the reasons are above", failed)
	}
	return nil
}
