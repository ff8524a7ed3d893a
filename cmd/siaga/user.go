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
	"strings"

	"golang.org/x/term"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
)

const userUsage = "usage: siaga user add --data DIR --username U --role R [--scope CODE] [--password-stdin]"

// runUser creates an account and prints its API token, and its password
// when generated. A password never comes from the command line, where the
// process list and the shell's history would show it: it is typed at a
// prompt without echo, read from stdin (--password-stdin), or generated.
func runUser(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New(userUsage)
	}
	fs := flags("user add", e)
	cfg := nodeFlags(fs)
	username := fs.String("username", "", "login name")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "role: kpps, saksi, ptps, ppk, kpu_kab, kpu_prov, bawaslu, desk, aparat, admin")
	scope := fs.String("scope", "", "region code the account is limited to (empty: everything)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin (default: a prompt on a terminal, else generated and printed)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; %s", fs.Arg(0), userUsage)
	}
	password, generated, err := readPassword(e, *fromStdin)
	if err != nil {
		return err
	}
	store, err := node.OpenStore(ctx, *cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := newAuth(store)
	u, err := svc.CreateUser(ctx, *username, *name, password, siaga.Role(*role), *scope)
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
	fmt.Fprintf(e.stdout, "user: %s (%s, scope %q)\ntoken: %s\n", u.Username, u.Role, u.Scope, token)
	return nil
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
