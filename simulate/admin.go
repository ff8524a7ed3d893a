package simulate

import "github.com/deskpemilu/siaga"

// CleanAdmin is an administrative section that breaks no rule for a TPS
// of dpt voters where sah valid votes were cast: four invalid ballots, two
// DPTb voters, the 2% reserve of papers plus two, one spoilt. The field
// app's tests and benchmark type it in; the night draws its own.
func CleanAdmin(dpt, sah int) siaga.Admin {
	a := siaga.Admin{}
	set := func(base string, j int) {
		a[base+"_l"], a[base+"_p"], a[base+"_j"] = j/2, j-j/2, j
	}
	total := sah + 4
	set("pemilih_dpt", dpt)
	set("pengguna_dpt", total-2)
	set("pengguna_dptb", 2)
	set("pengguna_non_dpt", 0)
	set("pengguna_total", total)
	a["suara_sah"], a["suara_tidak_sah"], a["suara_total"] = sah, 4, total
	received := dpt + (dpt*2+99)/100 + 2
	a["surat_suara_diterima"], a["surat_suara_digunakan"], a["surat_suara_rusak"] = received, total, 1
	a["surat_suara_sisa"] = received - total - 1
	return a
}
