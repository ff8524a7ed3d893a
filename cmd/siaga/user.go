package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"strconv"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
)

const userUsage = `usage: siaga user add --data DIR --username U --role R [--scope CODE] [--party N|paslon:NN] [--password P]
       siaga user set-role --data DIR --username U --role R [--scope CODE] [--party N|paslon:NN]`

// runUser creates an account or changes its role.
func runUser(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	switch args[0] {
	case "add":
		return runUserAdd(ctx, args[1:], e)
	case "set-role":
		return runUserSetRole(ctx, args[1:], e)
	}
	return errors.New(userUsage)
}

// roleFlags are the flags that say what an account may do.
type roleFlags struct {
	username, role, scope, party *string
}

func newRoleFlags(fs *flag.FlagSet) roleFlags {
	return roleFlags{
		username: fs.String("username", "", "login name"),
		role:     fs.String("role", "", "role: kpps, saksi, ptps, ppk, kpu_kab, kpu_prov, bawaslu, desk, aparat, saksi_koord, logistik, admin"),
		scope:    fs.String("scope", "", "region code the account is limited to (empty: everything)"),
		party:    fs.String("party", "", "saksi and saksi_koord: the party number (4) or presidential ticket (paslon:01) they witness for"),
	}
}

// partyOf reads --party against the election of the data folder: a bare
// number is a party, paslon:NN a ticket.
func partyOf(ctx context.Context, store siaga.Store, s string) (siaga.PartyRef, error) {
	if s == "" {
		return "", nil
	}
	p := siaga.PartyRef(s)
	if n, err := strconv.Atoi(s); err == nil {
		p = siaga.PartyOf(n)
	}
	el, err := store.LoadElection(ctx)
	if err != nil {
		return "", fmt.Errorf("reading the election to check --party: %w", err)
	}
	if !el.HasParty(p) {
		return "", fmt.Errorf("--party %s: the election has no party number %s nor ticket paslon:%s", s, s, s)
	}
	return p, nil
}

// runUserAdd creates an account and prints its password (when generated)
// and an API token.
func runUserAdd(ctx context.Context, args []string, e *env) error {
	fs := flags("user add", e)
	cfg := nodeFlags(fs)
	rf := newRoleFlags(fs)
	name := fs.String("name", "", "full name")
	password := fs.String("password", "", "password (default: generated and printed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := node.OpenStore(ctx, *cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	party, err := partyOf(ctx, store, *rf.party)
	if err != nil {
		return err
	}
	if *password == "" {
		*password = randomPassword()
		fmt.Fprintf(e.stdout, "password: %s\n", *password)
	}
	svc := newAuth(store)
	u, err := svc.AddUser(ctx, auth.Console(), auth.NewUser{Username: *rf.username, Name: *name, Password: *password,
		Role: siaga.Role(*rf.role), Scope: *rf.scope, Party: party})
	if err != nil {
		return err
	}
	token, err := svc.NewAPIToken(ctx, u, "cli")
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user: %s (%s, scope %q%s)\ntoken: %s\n", u.Username, u.Role, u.Scope, partyNote(u.Party), token)
	return nil
}

// runUserSetRole changes an account's role, scope and party.
func runUserSetRole(ctx context.Context, args []string, e *env) error {
	fs := flags("user set-role", e)
	cfg := nodeFlags(fs)
	rf := newRoleFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := node.OpenStore(ctx, *cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	party, err := partyOf(ctx, store, *rf.party)
	if err != nil {
		return err
	}
	u, err := newAuth(store).SetRole(ctx, auth.Console(), *rf.username, siaga.Role(*rf.role), *rf.scope, party)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user: %s (%s, scope %q%s)\n", u.Username, u.Role, u.Scope, partyNote(u.Party))
	return nil
}

func partyNote(p siaga.PartyRef) string {
	if p == "" {
		return ""
	}
	return ", " + string(p)
}

func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
