package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
)

// runUser creates an account and prints its password (when generated) and
// an API token.
func runUser(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: siaga user add --data DIR --username U --role R [--scope CODE] [--password P]")
	}
	fs := flags("user add", e)
	cfg := nodeFlags(fs)
	username := fs.String("username", "", "login name")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "role: kpps, saksi, ptps, ppk, kpu_kab, kpu_prov, bawaslu, desk, aparat, admin")
	scope := fs.String("scope", "", "region code the account is limited to (empty: everything)")
	password := fs.String("password", "", "password (default: generated and printed)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	store, err := node.OpenStore(ctx, *cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	if *password == "" {
		*password = randomPassword()
		fmt.Fprintf(e.stdout, "password: %s\n", *password)
	}
	svc := newAuth(store)
	u, err := svc.CreateUser(ctx, *username, *name, *password, siaga.Role(*role), *scope)
	if err != nil {
		return err
	}
	token, err := svc.NewAPIToken(ctx, u, "cli")
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user: %s (%s, scope %q)\ntoken: %s\n", u.Username, u.Role, u.Scope, token)
	return nil
}

func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
