package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestUserAgency: an account's agency is set at creation and changed
// later; an unknown agency is refused; both changes are audited.
func TestUserAgency(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runSiaga(t, "init", "--data", data, "--province", "36")
	runSiaga(t, "user", "add", "--data", data, "--username", "kodim.pandeglang", "--name", "Kodim 0601",
		"--role", "aparat", "--scope", "3601", "--agency", "tni")
	out := runSiaga(t, "user", "set-agency", "--data", data, "--username", "kodim.pandeglang", "--agency", "kejaksaan")
	if !strings.Contains(out, "(aparat, agency kejaksaan)") {
		t.Errorf("set-agency: %q", out)
	}
	out = runSiaga(t, "user", "set-agency", "--data", data, "--username", "kodim.pandeglang", "--agency", "")
	if !strings.Contains(out, "(aparat, agency polri)") {
		t.Errorf("set-agency to the role's: %q", out)
	}
	for _, args := range [][]string{
		{"user", "set-agency", "--data", data, "--username", "kodim.pandeglang", "--agency", "fbi"},
		{"user", "add", "--data", data, "--username", "x", "--name", "X", "--role", "aparat", "--agency", "fbi"},
		{"user", "set-agency", "--data", data, "--username", "nobody", "--agency", "tni"},
	} {
		if err := runSiagaErr(args...); err == nil {
			t.Errorf("siaga %s succeeded", strings.Join(args, " "))
		}
	}
	// user.create, token.create, user.agency twice
	if out := runSiaga(t, "audit", "verify", "--data", data); !strings.Contains(out, "4 entries, chain intact") {
		t.Errorf("audit verify: %q", out)
	}
}
