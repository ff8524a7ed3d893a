package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/sirekap"
)

func newAuth(store siaga.AccountStore) *auth.Service { return auth.New(store, time.Now) }

func runImport(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] != "sirekap" {
		return errors.New("usage: siaga import sirekap --data DIR [--contest ppwp] PATH…")
	}
	fs := flags("import sirekap", e)
	cfg := storeFlags(fs)
	contest := fs.String("contest", "ppwp", "contest of the files when their path does not say")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("import sirekap needs at least one file or folder")
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
	fmt.Fprintf(e.stdout, "sirekap: %d stored, %d unchanged, %d refused\n", stored, same, failed)
	return nil
}
