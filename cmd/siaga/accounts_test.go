package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runSiagaErr runs the command in-process and returns its error.
func runSiagaErr(args ...string) error {
	return run(context.Background(), args, testEnv(&bytes.Buffer{}))
}

// TestAccountCommands: accounts with a party, role changes, token and
// device revocation, all in the audit log, whose chain checks out.
func TestAccountCommands(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runSiaga(t, "init", "--data", data, "--province", "36")

	out := runSiaga(t, "user", "add", "--data", data, "--username", "koord.pkb", "--name", "Koordinator",
		"--role", "saksi_koord", "--scope", "36", "--party", "1")
	if !strings.Contains(out, "(saksi_koord, scope \"36\", partai:1)") {
		t.Errorf("user add: %q", out)
	}
	token := regexp.MustCompile(`token: (sgt_\S+)`).FindStringSubmatch(out)
	if token == nil {
		t.Fatalf("no token in %q", out)
	}
	refused := map[string][]string{
		"coordinator without party": {"user", "add", "--data", data, "--username", "koord2", "--name", "K", "--role", "saksi_koord", "--scope", "36"},
		"party not in the election": {"user", "add", "--data", data, "--username", "koord3", "--name", "K", "--role", "saksi_koord", "--party", "99"},
		"party of a kpu operator":   {"user", "add", "--data", data, "--username", "kpu", "--name", "K", "--role", "kpu_prov", "--party", "1"},
		"unknown device":            {"device", "revoke", "--data", data, "0190f7a2-2b1c-7000-8000-00000000dead"},
		"unknown token":             {"token", "revoke", "--data", data, "sgt_zzzzzz"},
	}
	for name, args := range refused {
		t.Run(name, func(t *testing.T) {
			if err := runSiagaErr(args...); err == nil {
				t.Errorf("siaga %s succeeded", strings.Join(args, " "))
			}
		})
	}
	out = runSiaga(t, "user", "set-role", "--data", data, "--username", "koord.pkb", "--role", "saksi_koord",
		"--scope", "3601", "--party", "paslon:01")
	if !strings.Contains(out, "(saksi_koord, scope \"3601\", paslon:01)") {
		t.Errorf("set-role: %q", out)
	}
	out = runSiaga(t, "token", "revoke", "--data", data, token[1][:10])
	if !strings.Contains(out, `token "cli"`) {
		t.Errorf("token revoke: %q", out)
	}
	out = runSiaga(t, "audit", "verify", "--data", data)
	// user.create, token.create, user.role, token.revoke
	if !strings.Contains(out, "4 entries, chain intact") {
		t.Errorf("audit verify: %q", out)
	}
}
