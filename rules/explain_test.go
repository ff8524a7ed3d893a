package rules

import (
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/google/go-cmp/cmp"
)

func TestExplain(t *testing.T) {
	tests := []struct {
		name    string
		contest siaga.Contest
		form    *siaga.Form
		ctx     func(*Context)
		want    []Finding
	}{
		{name: "consistent", contest: siaga.PPWP, form: func() *siaga.Form { f := ppwpForm(); return &f }()},
		{
			name: "sirekap 3601032008002", contest: siaga.PPWP,
			form: small(siaga.Admin{"suara_sah": 251, "suara_tidak_sah": 47, "suara_total": 298, "pengguna_total_j": 251},
				map[string]int{"01": 30, "02": 55, "03": 65}),
			want: []Finding{
				{Rule: "R1", Fields: []string{"form.administrasi.suara_sah", "form.suara"},
					Message:   "Suara sah 251, tetapi jumlah suara paslon 150",
					MessageEN: "valid votes 251, but the tickets' votes add up to 150"},
				{Rule: "R5", Fields: []string{"form.administrasi.suara_total", "form.administrasi.pengguna_total_j"},
					Message:   "Jumlah suara 298 lebih banyak dari pengguna hak pilih 251",
					MessageEN: "298 ballots counted but only 251 voters voted"},
			},
		},
		{
			name: "two triples", contest: siaga.PPWP,
			form: small(siaga.Admin{"pemilih_dpt_l": 145, "pemilih_dpt_p": 153, "pemilih_dpt_j": 295,
				"pengguna_total_l": 1, "pengguna_total_p": 1, "pengguna_total_j": 3}, nil),
			want: []Finding{
				{Rule: "R4", Fields: []string{"form.administrasi.pemilih_dpt_l", "form.administrasi.pemilih_dpt_p", "form.administrasi.pemilih_dpt_j"},
					Message:   "Pemilih DPT: laki-laki 145 + perempuan 153 = 298, tetapi jumlahnya tertulis 295",
					MessageEN: "voters on the DPT: men 145 + women 153 = 298, but the total reads 295"},
				{Rule: "R4", Fields: []string{"form.administrasi.pengguna_total_l", "form.administrasi.pengguna_total_p", "form.administrasi.pengguna_total_j"},
					Message:   "Jumlah pengguna hak pilih: laki-laki 1 + perempuan 1 = 2, tetapi jumlahnya tertulis 3",
					MessageEN: "total voters: men 1 + women 1 = 2, but the total reads 3"},
			},
		},
		{
			name: "both R8 checks", contest: siaga.PPWP,
			form: small(siaga.Admin{"surat_suara_diterima": 400, "surat_suara_digunakan": 300, "surat_suara_rusak": 0, "surat_suara_sisa": 0}, nil),
			want: []Finding{
				{Rule: "R8", Fields: []string{"form.administrasi.surat_suara_diterima", "form.administrasi.surat_suara_digunakan", "form.administrasi.surat_suara_rusak", "form.administrasi.surat_suara_sisa"},
					Message:   "Surat suara diterima 400, tetapi digunakan 300 + rusak 0 + sisa 0 = 300",
					MessageEN: "400 ballot papers received, but used 300 + damaged 0 + unused 0 = 300"},
				{Rule: "R8", Fields: []string{"form.administrasi.surat_suara_diterima", "form.administrasi.pemilih_dpt_j", "form.administrasi.pengguna_dptb_j"},
					Message:   "Surat suara diterima 400 melebihi DPT 295 + cadangan 2% 6 + DPTb 0 = 301",
					MessageEN: "400 ballot papers received, more than DPT 295 + 2% reserve 6 + DPTb 0 = 301"},
			},
		},
		{
			name: "R10 per party in number order", contest: siaga.DPR,
			form: &siaga.Form{Admin: siaga.Admin{"suara_tidak_sah": 0}, Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{
				"24": {Party: 3, Total: intp(4)},
				"4":  {Party: 1, Candidates: map[string]int{"04-1": 2}, Total: intp(4)},
				"1":  {Party: 1, Total: intp(1)},
			}}},
			want: []Finding{
				{Rule: "R10", Fields: []string{"form.suara.partai.4.suara_partai", "form.suara.partai.4.caleg", "form.suara.partai.4.jumlah"},
					Message:   "Partai 4: suara partai 1 + suara caleg 2 = 3, tetapi jumlah tertulis 4",
					MessageEN: "party 4: party votes 1 + candidate votes 2 = 3, but the written total is 4"},
				{Rule: "R10", Fields: []string{"form.suara.partai.24.suara_partai", "form.suara.partai.24.caleg", "form.suara.partai.24.jumlah"},
					Message:   "Partai 24: suara partai 3 + suara caleg 0 = 3, tetapi jumlah tertulis 4",
					MessageEN: "party 24: party votes 3 + candidate votes 0 = 3, but the written total is 4"},
			},
		},
		{
			name: "R9 and R12", contest: siaga.DPD, form: &siaga.Form{Admin: siaga.Admin{"pemilih_dpt_j": 290}},
			ctx: func(c *Context) { c.TPS.DPTImported = true },
			want: []Finding{
				{Rule: "R9", Fields: []string{"form.administrasi.pemilih_dpt_j"},
					Message:   "DPT pada formulir 290, tetapi DPT TPS ini menurut daftar pemilih 295",
					MessageEN: "the form's DPT is 290, but the voter list of this TPS has 295"},
				{Rule: "R12", Fields: []string{"form.suara"},
					Message: "Bagian perolehan suara belum diisi", MessageEN: "the vote section is missing"},
			},
		},
		{
			name: "empty form", contest: siaga.DPD, form: &siaga.Form{},
			want: []Finding{{Rule: "R12", Fields: []string{"form.suara", "form.administrasi"},
				Message:   "Bagian perolehan suara dan bagian administrasi belum diisi",
				MessageEN: "the vote and administrative sections are missing"}},
		},
		{
			name: "dpd noun", contest: siaga.DPD, form: small(siaga.Admin{"suara_sah": 3}, map[string]int{"D01": 1}),
			want: []Finding{{Rule: "R1", Fields: []string{"form.administrasi.suara_sah", "form.suara"},
				Message:   "Suara sah 3, tetapi jumlah suara calon DPD 1",
				MessageEN: "valid votes 3, but the DPD candidates' votes add up to 1"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testContext(t, tt.contest, false)
			if tt.ctx != nil {
				tt.ctx(&c)
			}
			if diff := cmp.Diff(tt.want, Explain(tt.form, c)); diff != "" {
				t.Errorf("Explain (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	for _, id := range []string{"R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12"} {
		t.Run(id, func(t *testing.T) {
			msg, en := Describe(id)
			if msg == "" || en == "" || msg == en {
				t.Errorf("Describe(%s) = %q, %q: want two different texts", id, msg, en)
			}
		})
	}
	if msg, en := Describe("R13"); msg != "" || en != "" {
		t.Errorf("Describe(R13) = %q, %q, want empty", msg, en)
	}
}
