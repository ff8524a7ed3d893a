package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// tpsMap is a registry of a few TPS.
type tpsMap map[string]siaga.TPS

func (m tpsMap) TPS(code string) (siaga.TPS, bool) { t, ok := m[code]; return t, ok }

func testChecker(tb testing.TB) *Checker {
	tb.Helper()
	reg := tpsMap{
		testTPS:         {Code: testTPS, Desa: testTPS[:10], Number: 3, DPT: 295},
		"3673011001002": {Code: "3673011001002", Desa: "3673011001", Number: 2, DPT: 250},
	}
	return NewChecker(reg, testElection(tb))
}

// TestChecker: the checker finds each submission's context (its TPS, its
// dapil) and validates and flags the form in it.
func TestChecker(t *testing.T) {
	c := testChecker(t)
	broken := ppwpForm()
	broken.Admin["suara_sah"] = 214 // R1 and R2
	noAdmin := dprForm()
	noAdmin.Admin = nil // R12
	outside := submission(siaga.DPR, dprForm())
	outside.TPS = "3673011001002" // Kota Serang: not in dapil BANTEN I
	unknown := submission(siaga.PPWP, ppwpForm())
	unknown.TPS = "3601012001999"
	badTicket := ppwpForm()
	badTicket.Votes.Options["04"] = 1
	tests := []struct {
		name        string
		sub         *siaga.Submission
		flags       []string
		code, field string
	}{
		{"clean ppwp", submission(siaga.PPWP, ppwpForm()), nil, "", ""},
		{"clean dpr", submission(siaga.DPR, dprForm()), nil, "", ""},
		{"clean dpd", submission(siaga.DPD, dpdForm()), nil, "", ""},
		{"rules broken", submission(siaga.PPWP, broken), []string{"R1", "R2"}, "", ""},
		{"a section missing", submission(siaga.DPR, noAdmin), []string{"R12"}, "", ""},
		{"TPS not in the registry", unknown, nil, siaga.EInvalid, "tps"},
		{"no dapil of the contest there", outside, nil, siaga.EInvalid, "contest"},
		{"not on the ballot", submission(siaga.PPWP, badTicket), nil, siaga.EInvalid, "form.suara.pilihan.04"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			flags, err := c.Inspect(tt.sub)
			if verr := c.Validate(tt.sub); siaga.ErrorCode(verr) != siaga.ErrorCode(err) {
				t.Errorf("Validate: %v; Inspect: %v", verr, err)
			}
			if tt.code != "" {
				assertInvalid(t, err, tt.field, "")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.flags, flags); diff != "" {
				t.Errorf("flags (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckerAllocations: finding the context costs no allocation, so a
// clean form is checked without one, as Validate and Check alone are.
func TestCheckerAllocations(t *testing.T) {
	c := testChecker(t)
	for _, sub := range []*siaga.Submission{submission(siaga.PPWP, ppwpForm()), submission(siaga.DPR, dprForm())} {
		if n := testing.AllocsPerRun(100, func() { _, _ = c.Inspect(sub) }); n != 0 {
			t.Errorf("Inspect %s: %v allocations, want 0", sub.Contest, n)
		}
	}
}
