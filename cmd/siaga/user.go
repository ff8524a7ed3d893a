package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
)

const userUsage = `usage: siaga user add --data DIR --username U --name "Full Name" --role R [--scope CODE] [--party N|paslon:NN] [--agency A] [--password-stdin]
       siaga user set-role --data DIR --username U --role R [--scope CODE] [--party N|paslon:NN]
       siaga user set-agency --data DIR --username U --agency A (polri, tni, bawaslu, kejaksaan, bpbd, diskominfo, kpu, pemprov; "" for the role's)`

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
	case "set-agency":
		return runUserSetAgency(ctx, args[1:], e)
	}
	return errors.New(userUsage)
}

// roleFlags are the flags that say what an account may do.
type roleFlags struct {
	username, role, scope, party *string
}

func newRoleFlags(fs *flagSet) roleFlags {
	return roleFlags{
		username: fs.String("username", "", "login name"),
		role:     fs.String("role", "", "role: kpps, saksi, ptps, ppk, kpu_kab, kpu_prov, bawaslu, desk, aparat, saksi_koord, logistik, admin"),
		scope:    fs.String("scope", "", "region code the account is limited to (empty: everything)"),
		party:    fs.String("party", "", "saksi and saksi_koord: the party number (4) or presidential ticket (paslon:01) they witness for"),
	}
}

// openForRole opens the store of cfg and reads --party against its
// election; the caller closes the store.
func openForRole(ctx context.Context, cfg *node.Config, rf roleFlags) (siaga.Store, siaga.PartyRef, error) {
	store, err := node.OpenStore(ctx, *cfg)
	if err != nil {
		return nil, "", err
	}
	party, err := partyOf(ctx, store, *rf.party)
	if err != nil {
		store.Close()
		return nil, "", err
	}
	return store, party, nil
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
	cfg := storeFlags(fs)
	rf := newRoleFlags(fs)
	name := fs.String("name", "", "full name, shown on pages and printed on enrolment sheets (required)")
	agency := fs.String("agency", "", "the agency the account handles incidents for, when not its role's: polri, tni, bawaslu, kejaksaan, bpbd, diskominfo, kpu, pemprov")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin (default: a prompt on a terminal, else generated and printed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; %s", fs.Arg(0), userUsage)
	}
	if err := requiredUserFlags(*rf.username, *name, *rf.role); err != nil {
		return err
	}
	password, generated, err := readPassword(e, *fromStdin)
	if err != nil {
		return err
	}
	store, party, err := openForRole(ctx, cfg, rf)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := newAuth(store)
	u, err := svc.AddUser(ctx, auth.Console(), auth.NewUser{Username: *rf.username, Name: *name, Password: password,
		Role: siaga.Role(*rf.role), Scope: *rf.scope, Party: party, Agency: siaga.Agency(*agency)})
	if err != nil {
		return err
	}
	token, err := svc.NewAPIToken(ctx, u, "cli")
	if err != nil {
		return err
	}
	if generated {
		fmt.Fprintf(e.stdout, "password: %s\n", password)
	}
	fmt.Fprintf(e.stdout, "user: %s (%s, scope %q%s)\ntoken: %s\n", u.Username, u.Role, u.Scope, partyNote(u.Party), token)
	return nil
}

// requiredUserFlags names every missing flag of `user add` at once, before
// a password is asked for.
func requiredUserFlags(username, name, role string) error {
	var missing []string
	for _, f := range []struct{ flag, value string }{{"--username", username}, {"--name", name}, {"--role", role}} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.flag)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("wajib diisi / required: %s\ncontoh / example: siaga user add --data DIR --username ops --name \"Operator KPU Banten\" --role kpu_prov --scope 36\n%s",
		strings.Join(missing, ", "), userUsage)
}

// runUserSetRole changes an account's role, scope and party.
func runUserSetRole(ctx context.Context, args []string, e *env) error {
	fs := flags("user set-role", e)
	cfg := storeFlags(fs)
	rf := newRoleFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, party, err := openForRole(ctx, cfg, rf)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := newAuth(store).SetRole(ctx, auth.Console(), *rf.username, siaga.Role(*rf.role), *rf.scope, party)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user: %s (%s, scope %q%s)\n", u.Username, u.Role, u.Scope, partyNote(u.Party))
	return nil
}

// runUserSetAgency changes the agency an account handles incidents for.
func runUserSetAgency(ctx context.Context, args []string, e *env) error {
	fs := flags("user set-agency", e)
	cfg := storeFlags(fs)
	username := fs.String("username", "", "login name")
	agency := fs.String("agency", "", "polri, tni, bawaslu, kejaksaan, bpbd, diskominfo, kpu or pemprov; empty: the one the role implies")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := node.OpenStore(ctx, *cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := newAuth(store).SetAgency(ctx, auth.Console(), *username, siaga.Agency(*agency))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user: %s (%s, agency %s)\n", u.Username, u.Role, u.AgencyOf())
	return nil
}

func partyNote(p siaga.PartyRef) string {
	if p == "" {
		return ""
	}
	return ", " + string(p)
}

// readPassword returns the password from stdin (fromStdin), from a prompt
// when stdin is a terminal (an empty answer means generate one), or a
// generated one.
func readPassword(e *env, fromStdin bool) (pw string, generated bool, err error) {
	switch {
	case fromStdin:
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", false, fmt.Errorf("reading the password from stdin: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", false, errors.New("--password-stdin: the first line of stdin is empty")
		}
		return pw, false, nil
	case isTerminal(e.stdin):
		return prompt(e)
	}
	pw, err = randomPassword()
	return pw, true, err
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// prompt asks twice without echo.
func prompt(e *env) (string, bool, error) {
	fd := int(e.stdin.(*os.File).Fd())
	fmt.Fprint(e.stderr, "Password (at least 12 characters; empty: generate one): ")
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", false, fmt.Errorf("reading the password: %w", err)
	}
	if len(first) == 0 {
		pw, err := randomPassword()
		return pw, true, err
	}
	fmt.Fprint(e.stderr, "Again: ")
	again, err := term.ReadPassword(fd)
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", false, fmt.Errorf("reading the password: %w", err)
	}
	if string(first) != string(again) {
		return "", false, errors.New("the two passwords differ")
	}
	return string(first), false, nil
}

// randomPassword has 128 bits: 22 characters of base64url.
func randomPassword() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating a password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
