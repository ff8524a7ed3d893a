package simulate

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
)

// broken re-implements the sum checks of R1–R8, R10 and R12 (SPEC section
// 5) independently of the rules package, and returns the ids f breaks.
func broken(f siaga.Form, c siaga.Contest, dapil *siaga.Dapil) []string {
	if f.Admin == nil || f.Votes == nil {
		return []string{"R12"}
	}
	a, v := f.Admin, f.Votes
	var out []string
	fail := func(id string, bad bool) {
		if bad && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for k, n := range a {
		fail("malformed", n < 0 || !siaga.IsAdminField(k))
	}
	fail("R12", len(a) != len(siaga.AdminFields))
	fail("R1", v.Total() != a["suara_sah"])
	fail("R2", a["suara_sah"]+a["suara_tidak_sah"] != a["suara_total"])
	fail("R3", a["pengguna_total_j"] != a["pengguna_dpt_j"]+a["pengguna_dptb_j"]+a["pengguna_non_dpt_j"])
	for _, p := range []string{"pemilih_dpt", "pengguna_dpt", "pengguna_dptb", "pengguna_non_dpt", "pengguna_total"} {
		fail("R4", a[p+"_j"] != a[p+"_l"]+a[p+"_p"])
	}
	fail("R5", a["suara_total"] > a["pengguna_total_j"])
	fail("R6", a["pengguna_dpt_j"] > a["pemilih_dpt_j"])
	fail("R7", float64(v.Total()) > float64(a["pemilih_dpt_j"])*1.02+float64(a["pengguna_dptb_j"]+a["pengguna_non_dpt_j"]))
	dpt := a["pemilih_dpt_j"]
	fail("R8", a["surat_suara_diterima"] != a["surat_suara_digunakan"]+a["surat_suara_rusak"]+a["surat_suara_sisa"])
	fail("R8", a["surat_suara_diterima"] > dpt+int(math.Ceil(0.02*float64(dpt))))
	fail("R8", a["surat_suara_digunakan"] != a["pengguna_total_j"] || a["surat_suara_sisa"] < 0)
	if c.Legislative() {
		onList := map[string]int{}
		for _, cand := range dapil.Candidates {
			onList[cand.ID] = cand.Party
		}
		for party, p := range v.Parties {
			fail("R10", p.Total == nil || *p.Total != p.Sum())
			for id, n := range p.Candidates {
				fail("R10", fmt.Sprint(onList[id]) != party || n < 0)
			}
		}
	}
	return out
}

type formCase struct {
	it    Item
	s     siaga.Submission
	rules []string
}

func nightForms(tb testing.TB, perDesa int, cfg Config) (*Night, []formCase) {
	tb.Helper()
	reg, el := testRegistry(tb, perDesa), testElection(tb)
	n := New(reg, el, cfg)
	var out []formCase
	for _, it := range n.Schedule() {
		s := n.Submission(it)
		var dapil *siaga.Dapil
		if d := n.dapilOf(it.TPS, it.Contest); d >= 0 {
			dapil = &el.Dapil[d]
		}
		out = append(out, formCase{it, s, broken(s.Form, it.Contest, dapil)})
	}
	return n, out
}

func TestFormsObeyRules(t *testing.T) {
	n, forms := nightForms(t, 10, Config{Seed: 11})
	slips, incomplete := 0, 0
	for _, f := range forms {
		switch {
		case n.Flawed(f.it) && (f.s.Form.Admin == nil || f.s.Form.Votes == nil):
			incomplete++
			if !slices.Equal(f.rules, []string{"R12"}) {
				t.Errorf("%+v: incomplete form breaks %v, want [R12]", f.it, f.rules)
			}
		case n.Flawed(f.it):
			slips++
			if !slices.Contains(f.rules, "R1") && !slices.Contains(f.rules, "R2") {
				t.Errorf("%+v: slipped form breaks %v, want R1 or R2", f.it, f.rules)
			}
		case f.it.Kind == WitnessCopy:
			// A disagreeing copy may break R1; it must stay well formed.
			if slices.Contains(f.rules, "malformed") {
				t.Errorf("%+v: witness copy is malformed", f.it)
			}
		default:
			if len(f.rules) > 0 {
				t.Errorf("%+v: consistent form breaks %v:\n%+v", f.it, f.rules, f.s.Form)
			}
		}
		if f.it.Kind == Correction && (f.s.Replaces != 1 || f.s.Reason == "" || f.s.Source != siaga.SourceKPPS) {
			t.Errorf("%+v: correction has replaces=%d reason=%q source=%s", f.it, f.s.Replaces, f.s.Reason, f.s.Source)
		}
	}
	if slips == 0 || incomplete == 0 {
		t.Errorf("%d slipped and %d incomplete forms: the test checks nothing", slips, incomplete)
	}
}

func TestRates(t *testing.T) {
	cfg := Config{Seed: 5, ErrorRate: 0.05, IncompleteRate: 0.02, WitnessShare: 0.3, DisagreeRate: 0.2, CorrectionRate: 0.5}
	n, forms := nightForms(t, 40, cfg) // 800 TPS, 4,000 KPPS forms
	var reports, slips, incomplete, witness, disagree, corrections, flawed float64
	for _, f := range forms {
		switch f.it.Kind {
		case Report:
			reports++
			if n.Flawed(f.it) {
				flawed++
				if f.s.Form.Admin == nil || f.s.Form.Votes == nil {
					incomplete++
				} else {
					slips++
				}
			}
		case WitnessCopy:
			witness++
			if !n.fate(f.it.TPS, f.it.Contest).disagree {
				continue
			}
			disagree++
			truth := n.truth(f.it.TPS, f.it.Contest)
			if fmt.Sprint(truth) == fmt.Sprint(f.s.Form) {
				t.Errorf("%+v: disagreeing copy equals the truth", f.it)
			}
		case Correction:
			corrections++
		}
	}
	tps := reports / 5
	// Tolerances are about four binomial standard deviations.
	within(t, "slip rate", slips/reports, cfg.ErrorRate, 4*math.Sqrt(cfg.ErrorRate/reports))
	within(t, "incomplete rate", incomplete/reports, cfg.IncompleteRate, 4*math.Sqrt(cfg.IncompleteRate/reports))
	within(t, "witness share", witness/tps, cfg.WitnessShare, 4*math.Sqrt(0.21/tps))
	within(t, "disagree rate", disagree/witness, cfg.DisagreeRate, 4*math.Sqrt(0.16/witness))
	within(t, "correction rate", corrections/flawed, cfg.CorrectionRate, 4*math.Sqrt(0.25/flawed))
}

func TestDefaults(t *testing.T) {
	n := New(testRegistry(t, 1), testElection(t), Config{})
	got := n.Config()
	want := Config{Night: 10 * time.Minute, Contests: siaga.Contests, ErrorRate: 0.02, IncompleteRate: 0.005, WitnessShare: 0.3, DisagreeRate: 0.03, CorrectionRate: 0.5}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("defaults = %+v, want %+v", got, want)
	}
	off := New(testRegistry(t, 5), testElection(t), Config{ErrorRate: -1, IncompleteRate: -1, WitnessShare: -1})
	for _, it := range off.Schedule() {
		if it.Kind != Report || off.Flawed(it) {
			t.Fatalf("%+v with every flaw switched off", it)
		}
	}
}

func TestTiming(t *testing.T) {
	reg := testRegistry(t, 20)
	n := New(reg, testElection(t), Config{Seed: 3})
	byConn := map[siaga.Connectivity][]time.Duration{}
	byContest := map[siaga.Contest][]time.Duration{}
	for _, it := range n.Schedule() {
		if it.Kind != Report {
			continue
		}
		byConn[reg.TPS[it.TPS].Connectivity] = append(byConn[reg.TPS[it.TPS].Connectivity], it.At)
		if reg.TPS[it.TPS].Connectivity == siaga.SignalGood {
			byContest[it.Contest] = append(byContest[it.Contest], it.At)
		}
	}
	night := n.Config().Night
	good, weak, blank := median(byConn[siaga.SignalGood]), median(byConn[siaga.SignalWeak]), median(byConn[siaga.BlankSpot])
	if !(good < weak && weak < blank) {
		t.Errorf("median report: good %v, weak %v, blank %v: want increasing", good, weak, blank)
	}
	if first := slices.Min(byConn[siaga.BlankSpot]); first < night*7/10 {
		t.Errorf("first blank-spot report at %v, want in the last 30%% of %v", first, night)
	}
	ppwp := byContest[siaga.PPWP]
	if first := slices.Min(ppwp); first < night/24 {
		t.Errorf("first ppwp report at %v, before an hour into the night", first)
	}
	if m := median(ppwp); m > night/4 {
		t.Errorf("median ppwp report at %v, want in the first quarter of the night", m)
	}
	prev := time.Duration(0)
	for _, c := range siaga.Contests {
		if m := median(byContest[c]); m <= prev {
			t.Errorf("median %s report %v not after the previous contest's %v", c, m, prev)
		} else {
			prev = m
		}
	}
}

func TestCalibration(t *testing.T) {
	_, forms := nightForms(t, 50, Config{Seed: 9, ErrorRate: -1, IncompleteRate: -1})
	var dpt, voters, ballots, invalid, dptb, dpk float64
	ppwp := map[string]float64{}
	for _, f := range forms {
		if f.it.Kind != Report || f.it.Contest != siaga.PPWP || f.s.TPS[:4] != "3601" {
			continue
		}
		a := f.s.Form.Admin
		dpt += float64(a["pemilih_dpt_j"])
		voters += float64(a["pengguna_total_j"])
		ballots += float64(a["suara_total"])
		invalid += float64(a["suara_tidak_sah"])
		dptb += float64(a["pengguna_dptb_j"])
		dpk += float64(a["pengguna_non_dpt_j"])
		for k, v := range f.s.Form.Votes.Options {
			ppwp[k] += float64(v)
		}
	}
	within(t, "turnout", voters/dpt, 7422507.0/8842646, 0.01)
	within(t, "invalid share", invalid/ballots, 0.029, 0.003)
	within(t, "DPTb share", dptb/voters, 65097.0/7422507, 0.002)
	within(t, "DPK share", dpk/voters, 89659.0/7422507, 0.002)
	valid := ppwp["01"] + ppwp["02"] + ppwp["03"]
	// Official Pandeglang result (KPU, 12 Mar 2024).
	within(t, "Pandeglang 01", ppwp["01"]/valid, 267120.0/752184, 0.02)
	within(t, "Pandeglang 02", ppwp["02"]/valid, 422757.0/752184, 0.02)
	within(t, "Pandeglang 03", ppwp["03"]/valid, 62307.0/752184, 0.02)
}
