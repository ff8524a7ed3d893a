package main

import (
	"context"
	"fmt"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
)

// runAudit checks the audit log's hash chain.
func runAudit(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] != "verify" {
		return siaga.Errorf(siaga.EInvalid, "", "pemakaian: siaga audit verify --data DIR", "usage: siaga audit verify --data DIR")
	}
	fs := flags("audit verify", e)
	cfg := storeFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	store, err := node.OpenStore(ctx, *cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	return verifyAudit(ctx, store, e)
}

// verifyAudit reads the whole log in order and reports the first entry
// whose chain is broken.
func verifyAudit(ctx context.Context, store siaga.AuditStore, e *env) error {
	var prev string
	var n int
	var bad int64
	err := store.EachAudit(ctx, func(ev *siaga.AuditEvent) error {
		n++
		prev, bad = siaga.VerifyAuditChain(prev, []siaga.AuditEvent{*ev})
		if bad != 0 {
			return siaga.Errorf(siaga.EConflict, "", "log audit: rantai hash putus pada entri %d (%s %s oleh %s)", "audit log: chain broken at entry %d (%s %s by %s)", bad, ev.Action, ev.Subject, ev.Actor)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "log audit: %d entri, rantai utuh (audit log: %d entries, chain intact)\n", n, n)
	return nil
}
