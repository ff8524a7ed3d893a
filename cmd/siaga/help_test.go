package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHelpFlags: every command's --help succeeds and lists its own flags,
// no other command's; `siaga help CMD` prints the same on stdout.
func TestHelpFlags(t *testing.T) {
	store := []string{"data", "db"}
	counting := append([]string{"counting"}, store...)
	tests := []struct {
		cmd   []string
		flags []string // without store's or counting's, which are added below
		base  []string
	}{
		{[]string{"demo"}, []string{"addr", "data", "keep", "night", "open", "region", "seed"}, nil},
		{[]string{"init"}, []string{"province", "seed"}, store},
		{[]string{"serve"}, []string{"addr", "bom", "cpuprofile", "max-conns", "max-conns-per-client", "max-password-hashes",
			"max-streams", "memprofile", "metrics-addr", "public-url", "signal-thresholds", "sms-number", "sms-send-url", "trusted-proxy", "vulnerability", "warning"}, counting},
		{[]string{"import", "sirekap"}, []string{"contest"}, store},
		{[]string{"import", "sites"}, nil, store},
		{[]string{"import", "surveys"}, nil, store},
		{[]string{"import", "shipments"}, []string{"bom"}, store},
		{[]string{"import", "vulnerability"}, nil, store},
		{[]string{"plan", "interventions"}, []string{"budget", "json", "k", "kind", "region", "signal-thresholds", "weight"}, store},
		{[]string{"logistics", "needs"}, []string{"bom", "json"}, store},
		{[]string{"results"}, []string{"contest", "json"}, counting},
		{[]string{"anomalies"}, []string{"contest", "json", "region", "rule", "source", "status"}, store},
		{[]string{"rebuild"}, nil, counting},
		{[]string{"user", "add"}, []string{"agency", "name", "party", "password-stdin", "role", "scope", "username"}, store},
		{[]string{"user", "set-agency"}, []string{"agency", "username"}, store},
		{[]string{"user", "set-role"}, []string{"party", "role", "scope", "username"}, store},
		{[]string{"device", "revoke"}, nil, store},
		{[]string{"token", "revoke"}, []string{"user"}, store},
		{[]string{"audit", "verify"}, nil, store},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.cmd, " "), func(t *testing.T) {
			want := append(append([]string{}, tt.flags...), tt.base...)
			var stderr bytes.Buffer
			e := testEnv(&bytes.Buffer{})
			e.stderr = &stderr
			err := run(context.Background(), append(tt.cmd, "--help"), e)
			if !errors.Is(err, flag.ErrHelp) || exitCode(err, &stderr) != 0 {
				t.Fatalf("--help: %v (exit %d), want the help and exit 0", err, exitCode(err, &stderr))
			}
			if diff := cmp.Diff(slices.Sorted(slices.Values(want)), listedFlags(stderr.String())); diff != "" {
				t.Errorf("--help lists other flags (-want +got):\n%s\n%s", diff, stderr.String())
			}
			var stdout bytes.Buffer
			if err := run(context.Background(), append([]string{"help"}, tt.cmd...), testEnv(&stdout)); err != nil {
				t.Fatalf("help %s: %v", tt.cmd[0], err)
			}
			if stdout.String() != stderr.String() {
				t.Errorf("siaga help %s printed\n%s\nwant what --help prints\n%s", strings.Join(tt.cmd, " "), stdout.String(), stderr.String())
			}
		})
	}
}

// TestHelpExitCodes runs the binary: asking for help is not an error.
func TestHelpExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string // on stdout or stderr
	}{
		{[]string{"--help"}, 0, "siaga serve"},
		{[]string{"-h"}, 0, "siaga serve"},
		{[]string{"help"}, 0, "siaga serve"},
		{[]string{"help", "user", "add"}, 0, "-password-stdin"},
		{[]string{"help", "user"}, 0, "user add|set-role"},
		{[]string{"user", "--help"}, 0, "user add|set-role"},
		{[]string{"user", "add", "--help"}, 0, "-password-stdin"},
		{[]string{"bench", "ingest", "--help"}, 0, "-clients"},
		{[]string{}, 2, "siaga serve"},
		{[]string{"help", "nope"}, 2, "unknown command"},
		{[]string{"nope"}, 2, "unknown command"},
		{[]string{"user", "add", "--addr", ":1"}, 1, "--addr: no such flag"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], tt.args...)
			cmd.Env = append(os.Environ(), "SIAGA_TEST_AS_SIAGA=1")
			out, err := cmd.CombinedOutput()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.code || !strings.Contains(string(out), tt.out) {
				t.Errorf("siaga %s: exit %d, want %d; output contains %q: %v\n%s",
					strings.Join(tt.args, " "), code, tt.code, tt.out, strings.Contains(string(out), tt.out), out)
			}
		})
	}
}

var flagLine = regexp.MustCompile(`(?m)^  -(\S+)`)

func listedFlags(help string) []string {
	var out []string
	for _, m := range flagLine.FindAllStringSubmatch(help, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}

// TestOnlyBenchImportsBench: the benchmarks are reached through `siaga
// bench` alone; serving, importing or querying never links them in.
func TestOnlyBenchImportsBench(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f == "bench.go" || strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "github.com/deskpemilu/siaga/bench" {
				t.Errorf("%s imports %s", f, path)
			}
		}
	}
}
