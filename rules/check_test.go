package rules

import (
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/google/go-cmp/cmp"
)

// TestFieldIndices: the rules' indices name the fields they mean, and
// siaga.AdminFields has no field the rules do not know.
func TestFieldIndices(t *testing.T) {
	if len(siaga.AdminFields) != nFields {
		t.Fatalf("siaga.AdminFields has %d fields, the rules know %d", len(siaga.AdminFields), nFields)
	}
	want := map[string]int{
		"pemilih_dpt_l": pemilihDPTL, "pemilih_dpt_j": pemilihDPTJ, "pengguna_dpt_l": penggunaDPTL,
		"pengguna_dptb_l": penggunaDPTbL, "pengguna_non_dpt_l": penggunaNonDPTL, "pengguna_total_l": penggunaTotalL,
		"pengguna_total_j": penggunaTotalJ, "suara_sah": suaraSah, "suara_tidak_sah": suaraTidakSah,
		"suara_total": suaraTotal, "surat_suara_diterima": suratDiterima, "surat_suara_digunakan": suratDigunakan,
		"surat_suara_rusak": suratRusak, "surat_suara_sisa": suratSisa,
	}
	for name, i := range want {
		if fields[i] != name {
			t.Errorf("index %d is meant for %s, the field there is %s", i, name, fields[i])
		}
	}
}

// small is a form with only the given admin fields; votes default to one
// vote for ticket 01 so that the form is complete (no R12).
func small(a siaga.Admin, votes map[string]int) *siaga.Form {
	if votes == nil {
		votes = map[string]int{"01": 1}
	}
	return &siaga.Form{Admin: a, Votes: &siaga.Votes{Options: votes}}
}

func TestCheck(t *testing.T) {
	full := func(f siaga.Form) *siaga.Form { return &f }
	imported := func(c *Context) { c.TPS.DPTImported = true }
	tests := []struct {
		name string
		form *siaga.Form
		ctx  func(*Context)
		want []string
	}{
		{name: "ppwp consistent", form: full(ppwpForm())},
		{name: "dpr consistent", form: full(dprForm())},
		{name: "dpd consistent", form: full(dpdForm())},

		{name: "R1 ok", form: small(siaga.Admin{"suara_sah": 10}, map[string]int{"01": 4, "02": 6})},
		{name: "R1 broken", form: small(siaga.Admin{"suara_sah": 10}, map[string]int{"01": 4, "02": 5}), want: []string{"R1"}},
		{name: "R1 without suara_sah", form: small(siaga.Admin{"suara_tidak_sah": 10}, map[string]int{"01": 4})},
		{name: "R1 legislative counts party and candidates", form: &siaga.Form{
			Admin: siaga.Admin{"suara_sah": 6},
			Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{"1": {Party: 2, Candidates: map[string]int{"01-1": 3}, Total: intp(5)}}},
		}, want: []string{"R1"}},

		{name: "R2 ok", form: small(siaga.Admin{"suara_sah": 1, "suara_tidak_sah": 2, "suara_total": 3}, nil)},
		{name: "R2 broken", form: small(siaga.Admin{"suara_sah": 1, "suara_tidak_sah": 2, "suara_total": 4}, nil), want: []string{"R2"}},
		{name: "R2 without suara_tidak_sah", form: small(siaga.Admin{"suara_sah": 1, "suara_total": 4}, nil)},

		{name: "R3 ok", form: small(siaga.Admin{"pengguna_total_j": 10, "pengguna_dpt_j": 7, "pengguna_dptb_j": 2, "pengguna_non_dpt_j": 1}, nil)},
		{name: "R3 broken", form: small(siaga.Admin{"pengguna_total_j": 11, "pengguna_dpt_j": 7, "pengguna_dptb_j": 2, "pengguna_non_dpt_j": 1}, nil), want: []string{"R3"}},
		{name: "R3 without DPK", form: small(siaga.Admin{"pengguna_total_j": 11, "pengguna_dpt_j": 7, "pengguna_dptb_j": 2}, nil)},

		{name: "R4 pemilih_dpt ok", form: small(siaga.Admin{"pemilih_dpt_l": 1, "pemilih_dpt_p": 2, "pemilih_dpt_j": 3}, nil)},
		{name: "R4 pemilih_dpt broken", form: small(siaga.Admin{"pemilih_dpt_l": 1, "pemilih_dpt_p": 2, "pemilih_dpt_j": 4}, nil), want: []string{"R4"}},
		{name: "R4 pengguna_dpt broken", form: small(siaga.Admin{"pengguna_dpt_l": 1, "pengguna_dpt_p": 2, "pengguna_dpt_j": 4}, nil), want: []string{"R4"}},
		{name: "R4 pengguna_dptb broken", form: small(siaga.Admin{"pengguna_dptb_l": 1, "pengguna_dptb_p": 2, "pengguna_dptb_j": 4}, nil), want: []string{"R4"}},
		{name: "R4 pengguna_non_dpt broken", form: small(siaga.Admin{"pengguna_non_dpt_l": 1, "pengguna_non_dpt_p": 2, "pengguna_non_dpt_j": 4}, nil), want: []string{"R4"}},
		{name: "R4 pengguna_total broken", form: small(siaga.Admin{"pengguna_total_l": 1, "pengguna_total_p": 2, "pengguna_total_j": 4}, nil), want: []string{"R4"}},
		{name: "R4 without _p", form: small(siaga.Admin{"pemilih_dpt_l": 1, "pemilih_dpt_j": 4}, nil)},

		{name: "R5 equal", form: small(siaga.Admin{"suara_total": 10, "pengguna_total_j": 10}, nil)},
		{name: "R5 broken", form: small(siaga.Admin{"suara_total": 11, "pengguna_total_j": 10}, nil), want: []string{"R5"}},
		{name: "R5 without pengguna_total_j", form: small(siaga.Admin{"suara_total": 11}, nil)},

		{name: "R6 equal", form: small(siaga.Admin{"pengguna_dpt_j": 10, "pemilih_dpt_j": 10}, nil)},
		{name: "R6 broken", form: small(siaga.Admin{"pengguna_dpt_j": 11, "pemilih_dpt_j": 10}, nil), want: []string{"R6"}},

		{name: "R7 at the limit", form: small(siaga.Admin{"pemilih_dpt_j": 100, "pengguna_dptb_j": 0, "pengguna_non_dpt_j": 0}, map[string]int{"01": 102})},
		{name: "R7 broken", form: small(siaga.Admin{"pemilih_dpt_j": 100, "pengguna_dptb_j": 0, "pengguna_non_dpt_j": 0}, map[string]int{"01": 103}), want: []string{"R7"}},
		{name: "R7 DPTb and DPK raise the limit", form: small(siaga.Admin{"pemilih_dpt_j": 100, "pengguna_dptb_j": 1, "pengguna_non_dpt_j": 2}, map[string]int{"01": 105})},
		{name: "R7 allowance floored", form: small(siaga.Admin{"pemilih_dpt_j": 149, "pengguna_dptb_j": 0, "pengguna_non_dpt_j": 0}, map[string]int{"01": 151})},
		{name: "R7 allowance floored broken", form: small(siaga.Admin{"pemilih_dpt_j": 149, "pengguna_dptb_j": 0, "pengguna_non_dpt_j": 0}, map[string]int{"01": 152}), want: []string{"R7"}},
		{name: "R7 without DPK", form: small(siaga.Admin{"pemilih_dpt_j": 100, "pengguna_dptb_j": 0}, map[string]int{"01": 500})},

		{name: "R8 stock ok", form: small(siaga.Admin{"surat_suara_diterima": 10, "surat_suara_digunakan": 7, "surat_suara_rusak": 1, "surat_suara_sisa": 2}, nil)},
		{name: "R8 stock broken", form: small(siaga.Admin{"surat_suara_diterima": 10, "surat_suara_digunakan": 7, "surat_suara_rusak": 1, "surat_suara_sisa": 3}, nil), want: []string{"R8"}},
		{name: "R8 stock without sisa", form: small(siaga.Admin{"surat_suara_diterima": 10, "surat_suara_digunakan": 7, "surat_suara_rusak": 1}, nil)},
		{name: "R8 registry DPT limit", form: small(siaga.Admin{"surat_suara_diterima": 301}, nil)},
		{name: "R8 registry DPT over limit", form: small(siaga.Admin{"surat_suara_diterima": 302}, nil), want: []string{"R8"}},
		{name: "R8 form DPT limit rounds up", form: small(siaga.Admin{"surat_suara_diterima": 104, "pemilih_dpt_j": 101}, nil)},
		{name: "R8 form DPT over limit", form: small(siaga.Admin{"surat_suara_diterima": 105, "pemilih_dpt_j": 101}, nil), want: []string{"R8"}},
		{name: "R8 DPTb raises the limit", form: small(siaga.Admin{"surat_suara_diterima": 105, "pemilih_dpt_j": 101, "pengguna_dptb_j": 1}, nil)},
		{name: "R8 no DPT anywhere", form: small(siaga.Admin{"surat_suara_diterima": 5000}, nil), ctx: func(c *Context) { c.TPS.DPT = 0 }},

		{name: "R9 imported equal", form: small(siaga.Admin{"pemilih_dpt_j": 295}, nil), ctx: imported},
		{name: "R9 imported differs", form: small(siaga.Admin{"pemilih_dpt_j": 294}, nil), ctx: imported, want: []string{"R9"}},
		{name: "R9 generated DPT differs", form: small(siaga.Admin{"pemilih_dpt_j": 294}, nil)},

		{name: "R10 broken", form: &siaga.Form{Admin: siaga.Admin{"suara_sah": 96}, Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{
			"4": {Party: 50, Candidates: map[string]int{"04-1": 40, "04-9": 6}, Total: intp(95)},
		}}}, want: []string{"R10"}},
		{name: "R10 without written total", form: &siaga.Form{Admin: siaga.Admin{"suara_sah": 96}, Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{
			"4": {Party: 50, Candidates: map[string]int{"04-1": 40, "04-9": 6}},
		}}}},

		{name: "R12 nil form", form: nil, want: []string{"R12"}},
		{name: "R12 no votes", form: &siaga.Form{Admin: goodAdmin()}, want: []string{"R12"}},
		{name: "R12 empty votes", form: &siaga.Form{Admin: goodAdmin(), Votes: &siaga.Votes{}}, want: []string{"R12"}},
		{name: "R12 no admin", form: &siaga.Form{Votes: ppwpForm().Votes}, want: []string{"R12"}},
		{name: "R12 empty admin", form: &siaga.Form{Admin: siaga.Admin{}, Votes: ppwpForm().Votes}, want: []string{"R12"}},

		{name: "numeric order", form: &siaga.Form{Admin: siaga.Admin{"suara_sah": 1, "suara_tidak_sah": 2, "suara_total": 4},
			Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{"4": {Party: 1, Total: intp(2)}}}}, want: []string{"R2", "R10"}},
		{name: "R12 with others", form: &siaga.Form{Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{"4": {Party: 1, Total: intp(2)}}}},
			want: []string{"R10", "R12"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testContext(t, siaga.PPWP, false)
			if tt.ctx != nil {
				tt.ctx(&c)
			}
			got := Check(tt.form, c)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, findingRules(Explain(tt.form, c))); diff != "" {
				t.Errorf("Explain rules (-want +got):\n%s", diff)
			}
		})
	}
}

// findingRules lists the distinct rules of fs in order, nil for none.
func findingRules(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		if len(out) == 0 || out[len(out)-1] != f.Rule {
			out = append(out, f.Rule)
		}
	}
	return out
}

func TestCheckAllocations(t *testing.T) {
	c := testContext(t, siaga.DPR, true)
	for name, f := range map[string]siaga.Form{"ppwp": ppwpForm(), "dpr": dprForm()} {
		if n := testing.AllocsPerRun(100, func() { _ = Check(&f, c) }); n != 0 {
			t.Errorf("Check %s: %v allocations, want 0", name, n)
		}
	}
}
