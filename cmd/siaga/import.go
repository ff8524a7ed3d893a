package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/sirekap"
)

func newAuth(store siaga.AccountStore) *auth.Service { return auth.New(store, time.Now) }

// sirekapNamespace makes import ids deterministic: the same record
// imported twice is the same submission, so a second run changes nothing.
var sirekapNamespace = uuid.MustParse("6b1d5c1e-6a43-4c1b-9a53-2b1f0a5e7d24")

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
			var replay bool
			replay, err = importRecord(ctx, n, rec, siaga.Contest(*contest))
			switch {
			case err == nil && replay:
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

func importRecord(ctx context.Context, n *node.Node, rec *sirekap.Record, fallback siaga.Contest) (bool, error) {
	contest := rec.Contest
	if contest == "" {
		contest = fallback
	}
	sub := &siaga.Submission{TPS: rec.TPS, Contest: contest, Source: siaga.SourceSirekap, Form: rec.Form}
	if v := n.Results.LatestVersion(sub.Key()); v > 0 {
		sub.Replaces = v
		sub.Reason = "Pembaruan data Sirekap " + rec.UpdatedAt.Format(time.DateTime)
	}
	// The id covers the version it builds on: an unchanged record maps to
	// the version that holds it, a changed one to a new version.
	sub.ID = uuid.NewSHA1(sirekapNamespace, sub.CanonicalBytes()).String()
	if err := n.Validate(sub); err != nil {
		return false, err
	}
	_, replay, err := n.Results.Submit(ctx, sub, "import:sirekap")
	return replay, err
}
