package rules

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/deskpemilu/siaga"
)

const testTPS = "3601012001003"

func testElection(tb testing.TB) *siaga.Election {
	tb.Helper()
	b, err := os.ReadFile("testdata/election.json")
	if err != nil {
		tb.Fatal(err)
	}
	var e siaga.Election
	if err := json.Unmarshal(b, &e); err != nil {
		tb.Fatal(err)
	}
	return &e
}

// testContext is the context of testTPS for contest, with the ballot index
// when indexed is true.
func testContext(tb testing.TB, contest siaga.Contest, indexed bool) Context {
	tb.Helper()
	e := testElection(tb)
	c := Context{Election: e, TPS: siaga.TPS{Code: testTPS, Desa: testTPS[:10], Number: 3, DPT: 295}}
	if contest != siaga.PPWP {
		for i := range e.Dapil {
			if e.Dapil[i].Contest == contest {
				c.Dapil = &e.Dapil[i]
			}
		}
		if c.Dapil == nil {
			tb.Fatalf("no %s dapil in testdata/election.json", contest)
		}
	}
	if indexed {
		c.Ballot = NewBallot(e, c.Dapil)
	}
	return c
}

func intp(n int) *int { return &n }

// goodAdmin is a consistent administrative section for votes summing to 215.
func goodAdmin() siaga.Admin {
	return siaga.Admin{
		"pemilih_dpt_l": 139, "pemilih_dpt_p": 142, "pemilih_dpt_j": 281,
		"pengguna_dpt_l": 108, "pengguna_dpt_p": 107, "pengguna_dpt_j": 215,
		"pengguna_dptb_l": 1, "pengguna_dptb_p": 1, "pengguna_dptb_j": 2,
		"pengguna_non_dpt_l": 0, "pengguna_non_dpt_p": 0, "pengguna_non_dpt_j": 0,
		"pengguna_total_l": 109, "pengguna_total_p": 108, "pengguna_total_j": 217,
		"suara_sah": 215, "suara_tidak_sah": 2, "suara_total": 217,
		"surat_suara_diterima": 289, "surat_suara_digunakan": 217, "surat_suara_rusak": 1, "surat_suara_sisa": 71,
	}
}

func ppwpForm() siaga.Form {
	return siaga.Form{Admin: goodAdmin(), Votes: &siaga.Votes{Options: map[string]int{"01": 54, "02": 152, "03": 9}}}
}

// dprForm is a consistent DPR form: 215 votes over three parties.
func dprForm() siaga.Form {
	return siaga.Form{Admin: goodAdmin(), Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{
		"1":  {Party: 20, Candidates: map[string]int{"01-1": 30, "01-2": 10}, Total: intp(60)},
		"4":  {Party: 50, Candidates: map[string]int{"04-1": 40, "04-9": 5}, Total: intp(95)},
		"24": {Party: 60},
	}}}
}

func dpdForm() siaga.Form {
	return siaga.Form{Admin: goodAdmin(), Votes: &siaga.Votes{Options: map[string]int{"D01": 100, "D02": 100, "D03": 15}}}
}

func submission(contest siaga.Contest, f siaga.Form) *siaga.Submission {
	return &siaga.Submission{
		Contest: contest, Form: f, ID: "0b5a3d0e-6f1c-4c2a-9d7e-2f1b8c9a0e11",
		Source: siaga.SourceKPPS, TPS: testTPS,
	}
}
