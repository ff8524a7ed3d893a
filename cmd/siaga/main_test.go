package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga/priority"
	"github.com/google/go-cmp/cmp"
)

// TestMain lets the test binary stand in for siaga when a benchmark starts
// its children (`siaga serve`, `siaga bench readers`, …).
func TestMain(m *testing.M) {
	if os.Getenv("SIAGA_TEST_AS_SIAGA") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func testEnv(out io.Writer) *env {
	quiet := slog.New(slog.DiscardHandler)
	return &env{stdin: strings.NewReader(""), stdout: out, stderr: io.Discard, logger: quiet, quiet: quiet}
}

// siaga runs the command in-process and returns what it printed.
func runSiaga(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), args, testEnv(&out)); err != nil {
		t.Fatalf("siaga %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// TestInteroperability runs the stable commands of SPEC section 9 on the
// real Sirekap samples.
func TestInteroperability(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runSiaga(t, "init", "--data", data, "--province", "36")

	first := runSiaga(t, "import", "sirekap", "--data", data, "testdata/pemilu")
	if !strings.Contains(first, "4 stored, 0 unchanged, 0 refused") {
		t.Errorf("first import: %q", first)
	}
	again := runSiaga(t, "import", "sirekap", "--data", data, "testdata/pemilu")
	if !strings.Contains(again, "0 stored, 4 unchanged, 0 refused") {
		t.Errorf("second import is not a no-op: %q", again)
	}

	t.Run("results", func(t *testing.T) {
		var got map[string]any
		out := runSiaga(t, "results", "--data", data, "--counting", "sirekap", "--contest", "ppwp", "--json", "3602")
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("results is not one JSON object: %v\n%s", err, out)
		}
		// 3602012004001 is complete; 3602012003014 has no admin page (R12)
		// but its votes count, as in KPU's aggregates (SPEC §6).
		want := map[string]any{
			"region": "3602", "contest": "ppwp", "tps_total": float64(3995), "tps_reported": float64(2),
			"votes":     map[string]any{"01": float64(54 + 109), "02": float64(152 + 97), "03": float64(9 + 20)},
			"suara_sah": float64(215), "suara_tidak_sah": float64(2),
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("results (-want +got):\n%s", diff)
		}
	})

	t.Run("anomalies", func(t *testing.T) {
		out := runSiaga(t, "anomalies", "--data", data, "--json", "--region", "36")
		type anomaly struct {
			TPS, Contest, Source string
			Rules                []string
		}
		var got []anomaly
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var a anomaly
			if err := json.Unmarshal([]byte(line), &a); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			got = append(got, a)
		}
		want := []anomaly{
			{"3601012001003", "ppwp", "sirekap", []string{"R4", "R12"}},
			{"3601032008002", "ppwp", "sirekap", []string{"R1", "R5"}},
			{"3602012003014", "ppwp", "sirekap", []string{"R12"}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("anomalies (-want +got):\n%s", diff)
		}
		for _, tt := range []struct {
			filter []string
			want   []anomaly
		}{
			{[]string{"--rule", "R12"}, []anomaly{want[0], want[2]}},
			{[]string{"--rule", "R1", "--contest", "ppwp", "--source", "sirekap"}, want[1:2]},
			{[]string{"--region", "3602", "--status", "baru"}, want[2:]},
			{[]string{"--contest", "dpr"}, nil},
			{[]string{"--source", "kpps"}, nil},
		} {
			out := runSiaga(t, append([]string{"anomalies", "--data", data, "--json"}, tt.filter...)...)
			var got []anomaly
			for _, line := range strings.Fields(out) {
				var a anomaly
				if err := json.Unmarshal([]byte(line), &a); err != nil {
					t.Fatalf("line %q: %v", line, err)
				}
				got = append(got, a)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("anomalies %v (-want +got):\n%s", tt.filter, diff)
			}
		}
		for _, bad := range [][]string{{"--rule", "R99"}, {"--contest", "dprd"}, {"--region", "99"}} {
			if err := runSiagaErr(append([]string{"anomalies", "--data", data, "--json"}, bad...)...); err == nil {
				t.Errorf("anomalies %v: no error", bad)
			}
		}
	})

	t.Run("rebuild", func(t *testing.T) {
		out := runSiaga(t, "rebuild", "--data", data)
		if !strings.Contains(out, "4 versions in 4 histories; 0 broken chains") || !strings.Contains(out, "tallies: a restart's equal a full rebuild's") {
			t.Errorf("rebuild: %q", out)
		}
	})
}

func TestUnknownCommand(t *testing.T) {
	if err := run(context.Background(), []string{"nope"}, testEnv(io.Discard)); err == nil {
		t.Error("an unknown command did not fail")
	}
}

// phonesNice is the nice value the read benchmark left this process at.
func phonesNice(tb testing.TB) int {
	n, err := priority.ThreadNice()
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// TestBenchChildren runs the benchmarks as `siaga bench` does: the node,
// the reference handler and the readers each in a process of their own.
func TestBenchChildren(t *testing.T) {
	if testing.Short() {
		t.Skip("starts nodes with the Banten registry")
	}
	t.Setenv("SIAGA_TEST_AS_SIAGA", "1")
	tests := []struct {
		name  string
		args  []string
		check func(r map[string]any) bool
	}{
		{"ingest", []string{"-samples", "20"}, func(r map[string]any) bool {
			return r["ratio"].(float64) > 0 && r["reference_per_s"].(float64) > 0 && r["peak_rss_mb"].(float64) > 0
		}},
		// The phones' priority is lowered for good: this test binary's
		// remaining tests run at nice 10.
		{"read", []string{"-readers", "2", "-rate", "200"}, func(r map[string]any) bool {
			return r["reads"].(float64) > 0 && r["p99_ms"].(float64) > 0 && r["rate"] == 200.0 &&
				r["phones_nice"] == 10.0 && (runtime.GOOS != "linux" || phonesNice(t) == 10)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"bench", tt.name, "-n", "300", "-clients", "8", "-data", t.TempDir()}, tt.args...)
			out := runSiaga(t, args...)
			var r map[string]any
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("bench %s printed no JSON: %v\n%s", tt.name, err, out)
			}
			if r["server"] != "process" || r["failed"] != 0.0 || r["submissions"] != 300.0 || !tt.check(r) {
				t.Errorf("bench %s: %s", tt.name, out)
			}
		})
	}
}
