package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sirekapTickets maps Sirekap's candidate ids to ticket numbers, written
// out here rather than taken from the importer so that the recount is
// independent of it.
var sirekapTickets = map[string]string{"100025": "01", "100026": "02", "100027": "03"}

// desaCount is what `siaga results --json` prints for a region, as far as
// a recount of the files can tell.
type desaCount struct {
	Region        string           `json:"region"`
	TPSReported   int              `json:"tps_reported"`
	Votes         map[string]int64 `json:"votes"`
	SuaraSah      int64            `json:"suara_sah"`
	SuaraTidakSah int64            `json:"suara_tidak_sah"`
}

// recountSirekap sums the raw Sirekap files under roots per desa, the way
// KPU's aggregates and KawalPemilu do: a TPS whose vote page (chart) was
// read counts its votes, whether or not its administrative page was; the
// admin numbers add where they were read. A TPS found twice (the same
// record in two folders) counts once.
func recountSirekap(t testing.TB, roots ...string) map[string]*desaCount {
	t.Helper()
	type record struct {
		Chart        map[string]*int64 `json:"chart"`
		Administrasi map[string]*int64 `json:"administrasi"`
	}
	seen := map[string]bool{}
	out := map[string]*desaCount{}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
				return err
			}
			tps := strings.TrimSuffix(d.Name(), ".json")
			if seen[tps] {
				return nil
			}
			seen[tps] = true
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var r record
			if err := json.Unmarshal(b, &r); err != nil {
				return err
			}
			desa := tps[:10]
			c := out[desa]
			if c == nil {
				c = &desaCount{Region: desa, Votes: map[string]int64{"01": 0, "02": 0, "03": 0}}
				out[desa] = c
			}
			read := false
			for id, n := range r.Chart {
				if ticket, ok := sirekapTickets[id]; ok && n != nil {
					c.Votes[ticket] += *n
					read = true
				}
			}
			if !read {
				return nil // no vote page: adds nothing
			}
			c.TPSReported++
			if n := r.Administrasi["suara_sah"]; n != nil {
				c.SuaraSah += *n
			}
			if n := r.Administrasi["suara_tidak_sah"]; n != nil {
				c.SuaraTidakSah += *n
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestSirekapRecount imports real Sirekap records, a whole desa among
// them where five of seventeen TPS have no administrative page, and
// checks that every desa's tally equals a recount of the same files.
func TestSirekapRecount(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runSiaga(t, "init", "--data", data, "--province", "36")
	roots := []string{"testdata/desa", "testdata/pemilu"}
	out := runSiaga(t, append([]string{"import", "sirekap", "--data", data}, roots...)...)
	if !strings.Contains(out, "20 stored, 1 unchanged, 0 refused") {
		t.Errorf("import: %q", out)
	}
	want := recountSirekap(t, roots...)
	if len(want) != 4 || want["3602012003"].TPSReported != 17 {
		t.Fatalf("the recount found %d desa and %+v in 3602012003, want 4 desa and all 17 TPS of 3602012003",
			len(want), want["3602012003"])
	}
	for desa, w := range want {
		t.Run(desa, func(t *testing.T) {
			var got desaCount
			out := runSiaga(t, "results", "--data", data, "--counting", "sirekap", "--contest", "ppwp", "--json", desa)
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("results is not one JSON object: %v\n%s", err, out)
			}
			if diff := cmp.Diff(*w, got); diff != "" {
				t.Errorf("desa %s: tally differs from the recount of the files (-recount +tally):\n%s", desa, diff)
			}
		})
	}
}

// TestResultsCountingHint: on a data folder that holds only Sirekap
// imports, `siaga results` without --counting counts kpps, which has
// nothing; it says so on stderr and keeps stdout one JSON object.
func TestResultsCountingHint(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runSiaga(t, "init", "--data", data, "--province", "36")
	runSiaga(t, "import", "sirekap", "--data", data, "testdata/pemilu")
	tests := []struct {
		name     string
		args     []string
		hint     bool
		reported float64
	}{
		{"kpps counts, only sirekap data", nil, true, 0},
		{"sirekap counts", []string{"--counting", "sirekap"}, false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			e := testEnv(&stdout)
			e.stderr = &stderr
			args := append([]string{"results", "--data", data, "--contest", "ppwp", "--json"}, tt.args...)
			if err := run(context.Background(), append(args, "3602"), e); err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout.String())
			}
			if got["tps_reported"] != tt.reported {
				t.Errorf("tps_reported = %v, want %v", got["tps_reported"], tt.reported)
			}
			hinted := strings.Contains(stderr.String(), "--counting sirekap") && strings.Contains(stderr.String(), "kpps")
			if hinted != tt.hint {
				t.Errorf("stderr %q: hint shown %v, want %v", stderr.String(), hinted, tt.hint)
			}
		})
	}
}
