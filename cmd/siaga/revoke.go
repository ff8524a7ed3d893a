package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
)

// runDevice revokes a device. A server on the same database refuses it
// at once on PostgreSQL (NOTIFY) and within seconds on SQLite.
func runDevice(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] != "revoke" {
		return siaga.Errorf(siaga.EInvalid, "", "pemakaian: siaga device revoke --data DIR ID", "usage: siaga device revoke --data DIR ID")
	}
	fs := flags("device revoke", e)
	cfg := storeFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return siaga.Errorf(siaga.EInvalid, "ID", "sebutkan satu id perangkat (lihat halaman Perangkat)", "name one device id (see the Devices page)")
	}
	store, err := node.OpenStore(ctx, *cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	d, err := newAuth(store).RevokeDevice(ctx, auth.Console(), fs.Arg(0))
	if err != nil {
		return err
	}
	at := d.RevokedAt.Format("2006-01-02 15:04:05Z07:00")
	fmt.Fprintf(e.stdout, "perangkat %s (%s, TPS %s) dicabut pada %s (device revoked)\n", d.ID, d.Role, d.TPS, at)
	return nil
}

// runToken revokes an API token, named by its prefix (as printed when it
// was made), the token itself, or its name with --user.
func runToken(ctx context.Context, args []string, e *env) error {
	const usage = "usage: siaga token revoke --data DIR [--user U] PREFIX|TOKEN|NAME"
	if len(args) == 0 || args[0] != "revoke" {
		return errors.New(usage)
	}
	fs := flags("token revoke", e)
	cfg := storeFlags(fs)
	user := fs.String("user", "", "the token's owner, to name the token by its name")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New(usage)
	}
	store, err := node.OpenStore(ctx, *cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := newAuth(store)
	t, err := svc.FindAPIToken(ctx, *user, fs.Arg(0))
	if err != nil {
		return err
	}
	if err := svc.RevokeAPIToken(ctx, auth.Console(), t); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "token %q (%s…) dicabut (revoked)\n", t.Name, t.Prefix)
	return nil
}
