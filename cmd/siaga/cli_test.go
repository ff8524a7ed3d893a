package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// runStatus runs a command line in-process and returns its exit status
// and everything it printed.
func runStatus(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	quiet := slog.New(slog.DiscardHandler)
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errs, logger: quiet, quiet: quiet}
	code = exitCode(run(context.Background(), args, e), &errs)
	return code, out.String(), errs.String()
}

// TestCommandLineErrors: every mistake a newcomer makes gets exit status 1
// (2 for no or an unknown command) and one message in Bahasa Indonesia
// with the English beside it, naming what is wrong.
func TestCommandLineErrors(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runSiaga(t, "init", "--data", data, "--province", "36")
	tests := []struct {
		name string
		args []string
		code int
		want []string // in stderr
	}{
		{"unknown command", []string{"frob"}, 2, []string{`perintah "frob" tidak dikenal`, `unknown command "frob"`}},
		{"typo of a command", []string{"resluts"}, 2, []string{"Maksud Anda `siaga results`?", "Did you mean `siaga results`?"}},
		{"bad duration", []string{"demo", "--night", "10x"}, 1, []string{"--night: \"10x\": bukan lama waktu", "not a duration; e.g. 10m"}},
		{"unknown flag", []string{"results", "--nite", "1"}, 1, []string{"--nite: flag ini tidak ada", "no such flag", "siaga help results"}},
		{"flag without value", []string{"results", "--contest"}, 1, []string{"--contest: perlu nilai", "needs a value"}},
		{"unknown source", []string{"results", "--data", data, "--counting", "foo", "36"}, 1, []string{"sumber tidak dikenal", "unknown source; one of: kpps"}},
		{"unknown contest", []string{"results", "--data", data, "--contest", "pilkada", "36"}, 1, []string{`"pilkada" bukan kontes`, "one of: ppwp, dpr"}},
		{"unknown region", []string{"results", "--data", data, "3699"}, 1, []string{`wilayah "3699" tidak ada`, `region "3699" is not in the registry`}},
		{"no region", []string{"results", "--data", data}, 1, []string{"tepat satu kode wilayah", "exactly one region code"}},
		{"not initialised", []string{"results", "--data", filepath.Join(t.TempDir(), "none"), "36"}, 1, []string{"belum berisi registri", "siaga init --data"}},
		{"import of nothing", []string{"import", "sirekap", "--data", data, "/no/such/path"}, 1, []string{"/no/such/path: berkas atau folder ini tidak ada", "nothing was imported"}},
		{"import of what", []string{"import", "kpu"}, 1, []string{"yang dapat diimpor", "what can be imported"}},
		{"bad trusted proxy", []string{"serve", "--trusted-proxy", "proxy.local"}, 1, []string{"--trusted-proxy", "neither an address nor a CIDR prefix"}},
		{"bad signal thresholds", []string{"serve", "--signal-thresholds", "good_rsrp=-130"}, 1, []string{"--signal-thresholds", "RSRP: batas blank", "RSRP: the blank limit must be below the good one"}},
		{"unknown signal threshold", []string{"plan", "interventions", "--signal-thresholds", "rsrp=-1"}, 1, []string{"--signal-thresholds", `unknown threshold "rsrp"`}},
		{"bad warning method", []string{"serve", "--warning", "testdata/warning_bad.json"}, 1, []string{"--warning", "Kategori \"banjir\" tidak dikenal", `Unknown category "banjir"`}},
		{"missing warning method", []string{"serve", "--warning", "/no/such/warning.json"}, 1, []string{"--warning", "berkas tidak bisa dibaca", "cannot read the file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runStatus(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d\n%s", code, tt.code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if strings.Contains(stderr, "Usage of") || strings.Contains(stderr, "parse error") {
				t.Errorf("a mistake is answered with the flag package's dump:\n%s", stderr)
			}
		})
	}
	t.Run("help still lists the flags", func(t *testing.T) {
		code, _, stderr := runStatus(t, "results", "--help")
		if code != 0 || !strings.Contains(stderr, "-counting") {
			t.Errorf("exit %d, help:\n%s", code, stderr)
		}
	})
}

// TestInitLeavesNothing: a failed init removes what it created and keeps
// what was there.
func TestInitLeavesNothing(t *testing.T) {
	t.Run("wrong province, new folder", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "data")
		if code, _, stderr := runStatus(t, "init", "--data", dir, "--province", "99"); code != 1 || !strings.Contains(stderr, `provinsi "99" tidak ada`) {
			t.Errorf("exit %d:\n%s", code, stderr)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("the folder exists after a failed init: %v", err)
		}
	})
	t.Run("failure after creating files, existing folder", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600); err != nil {
			t.Fatal(err)
		}
		// A folder where the server key would be written: init fails after
		// the database was created.
		if err := os.Mkdir(filepath.Join(dir, "secret.key"), 0o700); err != nil {
			t.Fatal(err)
		}
		before := entries(t, dir)
		if code, _, stderr := runStatus(t, "init", "--data", dir, "--province", "36"); code != 1 {
			t.Errorf("init into a broken folder succeeded (exit %d):\n%s", code, stderr)
		}
		if diff := cmp.Diff(before, entries(t, dir)); diff != "" {
			t.Errorf("folder after a failed init (-before +after):\n%s", diff)
		}
	})
}

func entries(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// TestResultsTable: without --json, results prints a table a person reads:
// names of the options, thousands separated, the counting source, no Go
// map syntax.
func TestResultsTable(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runSiaga(t, "init", "--data", data, "--province", "36")
	code, _, _ := runStatus(t, "import", "sirekap", "--data", data, "testdata/pemilu")
	if code != 0 {
		t.Fatalf("import exit %d", code)
	}
	out := runSiaga(t, "results", "--data", data, "--counting", "sirekap", "3602")
	for _, want := range []string{
		"Kabupaten Lebak (3602) — Presiden dan Wakil Presiden (ppwp)",
		"TPS masuk / reported: 2 dari / of 3.995",
		"counting source: sirekap",
		"Prabowo Subianto – Gibran Rakabuming Raka",
		"Suara sah / valid",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "map[") {
		t.Errorf("Go map syntax in the table:\n%s", out)
	}
	// Prabowo–Gibran: 152 + 97 votes against 215 valid ones (the real
	// Sirekap sample breaks R1).
	if !regexp.MustCompile(`\n02\s+Prabowo Subianto – Gibran Rakabuming Raka\s+249\s+115,81%\n`).MatchString(out) {
		t.Errorf("row of 02 wrong:\n%s", out)
	}
}
