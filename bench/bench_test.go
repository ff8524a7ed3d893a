package bench

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// runJSON runs a benchmark at a tiny size and decodes its report.
func runJSON(tb testing.TB, name string, args ...string) map[string]any {
	tb.Helper()
	var out bytes.Buffer
	// In-process: the test binary cannot be `siaga serve`; cmd/siaga's tests
	// run the benchmarks with their children.
	args = append([]string{"-inprocess", "-data", tb.TempDir(), "-clients", "8", "-timeout", "5m"}, args...)
	if err := Run(context.Background(), name, args, &out); err != nil {
		tb.Fatalf("bench %s: %v", name, err)
	}
	if n := strings.Count(out.String(), "\n"); n != 1 {
		tb.Fatalf("bench %s printed %d lines, want one JSON object:\n%s", name, n, out.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		tb.Fatalf("bench %s printed no JSON object: %v\n%s", name, err, out.String())
	}
	tb.Logf("%s", out.Bytes())
	return got
}

func wantFields(tb testing.TB, got map[string]any, fields ...string) {
	tb.Helper()
	for _, f := range fields {
		if _, ok := got[f]; !ok {
			tb.Errorf("report has no %q: %v", f, got)
		}
	}
}

func TestBenchmarks(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a node with the Banten registry")
	}
	machine := []string{"go_version", "cpus", "date"}
	t.Run("ingest", func(t *testing.T) {
		got := runJSON(t, "ingest", "-n", "300", "-samples", "20")
		wantFields(t, got, append(machine, "submissions_per_s", "p50_ms", "p99_ms", "visible_p99_ms", "reference_per_s", "ratio")...)
		if got["submissions"] != 300.0 || got["failed"] != 0.0 || got["ratio"].(float64) <= 0 {
			t.Errorf("ingest report: %v", got)
		}
	})
	t.Run("read", func(t *testing.T) {
		got := runJSON(t, "read", "-n", "300", "-readers", "2")
		wantFields(t, got, append(machine, "p50_ms", "p99_ms", "conditional_hit_rate", "reads")...)
		if got["reads"].(float64) == 0 || got["failed"] != 0.0 {
			t.Errorf("read report: %v", got)
		}
	})
	t.Run("export", func(t *testing.T) {
		got := runJSON(t, "export", "-n", "300")
		wantFields(t, got, append(machine, "exports", "max_s", "target_s", "night_wall_s")...)
		exports, _ := got["exports"].([]any)
		// Banten's eight kab/kota, each for two contests.
		if len(exports) != 16 || got["failed"] != 0.0 || got["max_s"].(float64) <= 0 {
			t.Errorf("export report: %v", got)
		}
	})
	t.Run("restart", func(t *testing.T) {
		dir := t.TempDir()
		got := runJSON(t, "restart", "-n", "300", "-repeat", "2", "-data", dir)
		wantFields(t, got, append(machine, "restart_s", "full_replay_s", "versions", "db")...)
		if got["tallies_equal"] != true || got["versions"].(float64) < 1500 || len(got["restart_runs_s"].([]any)) != 2 {
			t.Errorf("restart report: %v", got)
		}
		// A folder that holds a night is timed again as it is.
		again := runJSON(t, "restart", "-n", "300", "-data", dir)
		if again["fill_s"] != 0.0 || again["versions"] != got["versions"] || again["tallies_equal"] != true {
			t.Errorf("restart on the filled folder: %v, first %v", again, got)
		}
	})
	t.Run("search", func(t *testing.T) {
		// Banten here; the benchmark's own default is the national registry.
		got := runJSON(t, "search", "-province", "36", "-n", "400")
		wantFields(t, got, append(machine, "build_s", "index_mb", "in_process", "http", "typo_found", "mix")...)
		if got["queries"] != 400.0 || got["failed"] != 0.0 || got["tps"] != 33324.0 || got["typo_found"].(float64) < 0.8 {
			t.Errorf("search report: %v", got)
		}
		if p99 := got["http"].(map[string]any)["p99_ms"].(float64); p99 <= 0 {
			t.Errorf("search over HTTP measured nothing: %v", got["http"])
		}
	})
	t.Run("night", func(t *testing.T) {
		got := runJSON(t, "night", "-n", "400")
		wantFields(t, got, append(machine, "wall_s", "submissions", "submissions_per_s", "peak_rss_mb", "recount_ok")...)
		if got["recount_ok"] != true || got["failed"] != 0.0 || got["submissions"].(float64) < 2000 {
			t.Errorf("night report: %v", got)
		}
	})
}

func TestRunUnknown(t *testing.T) {
	if err := Run(context.Background(), "national", nil, new(bytes.Buffer)); err == nil {
		t.Error("an unknown benchmark ran")
	}
}

func TestReference(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(&reference{keys: map[string]ed25519.PublicKey{"dev": pub}})
	defer srv.Close()
	sub := siaga.Submission{ID: "x", TPS: "3601012001001", Contest: siaga.PPWP, Source: siaga.SourceKPPS}
	good, err := signed(sub, device{id: "dev", priv: priv})
	if err != nil {
		t.Fatal(err)
	}
	_, other, _ := ed25519.GenerateKey(nil)
	forged, _ := signed(sub, device{id: "dev", priv: other})
	unknown, _ := signed(sub, device{id: "nobody", priv: priv})
	tests := []struct {
		name string
		body []byte
		want int
	}{
		{"signed", good, http.StatusCreated},
		{"forged", forged, http.StatusUnauthorized},
		{"unknown device", unknown, http.StatusUnauthorized},
		{"not json", []byte("{"), http.StatusBadRequest},
	}
	c := newClient(1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, err := post(context.Background(), c, srv.URL, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if status != tt.want {
				t.Errorf("status %d (%s), want %d", status, body, tt.want)
			}
		})
	}
}

func TestHistogram(t *testing.T) {
	var h histogram
	for i := 1; i <= 1000; i++ {
		h.record(time.Duration(i) * time.Millisecond)
	}
	tests := []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Millisecond}, {0.99, 990 * time.Millisecond}, {1, time.Second}}
	for _, tt := range tests {
		got := h.quantile(tt.q)
		if got < tt.want || float64(got) > float64(tt.want)*histGrowth {
			t.Errorf("quantile(%v) = %v, want %v within 2%%", tt.q, got, tt.want)
		}
	}
	var empty histogram
	if got := empty.quantile(0.99); got != 0 {
		t.Errorf("empty quantile = %v", got)
	}
}

func TestRunLoad(t *testing.T) {
	seen := make([]int, 100)
	res := runLoad(context.Background(), 4, len(seen), func(_ context.Context, i int) error {
		seen[i]++ // each index goes to exactly one client
		if i%10 == 0 {
			return errFake
		}
		return nil
	})
	want := make([]int, 100)
	for i := range want {
		want[i] = 1
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("calls per index (-want +got):\n%s", diff)
	}
	if res.done != 90 || res.failed != 10 || res.lat.n != 90 {
		t.Errorf("done %d failed %d recorded %d, want 90, 10, 90", res.done, res.failed, res.lat.n)
	}
}

var errFake = &siaga.Error{Code: siaga.EInvalid, MessageEN: "fake"}

func TestTopErrors(t *testing.T) {
	many := map[string]int{}
	for i := range 15 {
		many[string(rune('a'+i))] = i + 1
	}
	got := topErrors(many)
	if len(got) != 10 || got["o"] != 15 || got["a"] != 0 {
		t.Errorf("topErrors kept %v", got)
	}
	if topErrors(map[string]int{}) != nil {
		t.Error("no errors should give nil")
	}
}
