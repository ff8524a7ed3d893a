package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLogisticsNeeds runs `siaga logistics needs` (SPEC §9) on the Banten
// registry of `siaga init` (its DPT seeded with 2024), with numbers worked
// by hand.
func TestLogisticsNeeds(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runSiaga(t, "init", "--data", data, "--province", "36")
	type needs struct {
		Code           string                    `json:"code"`
		TPS            int                       `json:"tps"`
		DPT            int                       `json:"dpt"`
		Items          map[string]int            `json:"items"`
		BallotsByDapil map[string]map[string]int `json:"ballots_by_dapil"`
	}
	get := func(t *testing.T, args ...string) needs {
		var n needs
		out := runSiaga(t, append([]string{"logistics", "needs", "--data", data, "--json"}, args...)...)
		if err := json.Unmarshal([]byte(out), &n); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return n
	}
	t.Run("one TPS", func(t *testing.T) {
		// TPS 001 of Sumberjaya (Pandeglang): DPT 286, 2% = 5.72, so 6
		// more: 292 of each contest, of the dapil BANTEN I for DPR.
		n := get(t, "3601012001001")
		want := needs{Code: "3601012001001", TPS: 1, DPT: 286, Items: map[string]int{
			"surat_suara_ppwp": 292, "surat_suara_dpr": 292, "surat_suara_dpd": 292, "surat_suara_dprd_prov": 292, "surat_suara_dprd_kab": 292,
			"kotak_suara": 5, "bilik_suara": 4, "tinta": 2, "segel": 114, "segel_plastik": 30, "salinan_dpt": 3, "alat_tulis": 1,
			"formulir_c_hasil": 5, "formulir_c_salinan": 100,
		}, BallotsByDapil: map[string]map[string]int{
			"surat_suara_ppwp": {"": 292}, "surat_suara_dpr": {"BANTEN I": 292}, "surat_suara_dpd": {"BANTEN": 292},
			"surat_suara_dprd_prov": {"BANTEN 1": 292}, "surat_suara_dprd_kab": {"KAB. PANDEGLANG 1": 292},
		}}
		if d := cmp.Diff(want, n); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	})
	t.Run("one desa", func(t *testing.T) {
		// Sumberjaya's 12 TPS: DPT 286+296+228+275+242+254+242+300+283+272+240+243
		// = 3,161; their reserves 6+6+5+6+5+6+5+6+6+6+5+5 = 67 (each
		// rounded up by itself): 3,228 ballots of each contest.
		n := get(t, "3601012001")
		if n.TPS != 12 || n.DPT != 3161 {
			t.Errorf("%d TPS, DPT %d; want 12 and 3,161", n.TPS, n.DPT)
		}
		for item, want := range map[string]int{"surat_suara_dpr": 3228, "surat_suara_dprd_kab": 3228, "kotak_suara": 60, "bilik_suara": 48, "tinta": 24, "formulir_c_hasil": 60} {
			if n.Items[item] != want {
				t.Errorf("%s: %d, want %d", item, n.Items[item], want)
			}
		}
		if got := n.BallotsByDapil["surat_suara_dpr"]; !cmp.Equal(got, map[string]int{"BANTEN I": 3228}) {
			t.Errorf("DPR ballots per dapil: %v", got)
		}
	})
	t.Run("bom file", func(t *testing.T) {
		// 3%: 286 × 3% = 8.58, so 9 more: 295; only what the file names.
		n := get(t, "--bom", "testdata/logistics/bom-3pct.json", "3601012001001")
		if d := cmp.Diff(map[string]int{"surat_suara_ppwp": 295, "surat_suara_dpr": 295, "kotak_suara": 2}, n.Items); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	})
	t.Run("table", func(t *testing.T) {
		out := runSiaga(t, "logistics", "needs", "--data", data, "3601012001")
		for _, want := range []string{"12 TPS, DPT 3161", "surat_suara_dpr", "BANTEN I", "3228", "3601012001012"} {
			if !strings.Contains(out, want) {
				t.Errorf("the table lacks %q:\n%s", want, out)
			}
		}
	})
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"bad bom", []string{"--bom", "testdata/logistics/bom-bad.json", "36"}, []string{"--bom", "per_tps[0].qty", "jumlah harus", "quantity must be"}},
		{"unknown region", []string{"3699"}, []string{"3699", "tidak ada", "no region"}},
		{"no code", nil, []string{"tepat satu kode", "exactly one region or TPS code"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runStatus(t, append([]string{"logistics", "needs", "--data", data}, tc.args...)...)
			if code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}
