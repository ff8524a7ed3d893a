package election

import (
	"fmt"
	"strings"

	"github.com/deskpemilu/siaga"
)

type dapilKey struct {
	contest siaga.Contest
	name    string
}

func checkDapil(e *siaga.Election) error {
	parties := make(map[int]bool, len(e.Parties))
	for _, p := range e.Parties {
		parties[p.Number] = true
	}
	names := map[dapilKey]bool{}
	// owner maps a region code to the dapil holding it, per contest, so an
	// overlap (the same code, or a code inside another dapil's region) is
	// found whichever dapil comes first.
	owner := map[siaga.Contest]map[string]int{}
	for i, d := range e.Dapil {
		f := fmt.Sprintf("dapil[%d]", i)
		if err := checkDapilHeader(f, d, e.Province, names); err != nil {
			return err
		}
		if owner[d.Contest] == nil {
			owner[d.Contest] = map[string]int{}
		}
		for j, r := range d.Regions {
			if k, ok := owner[d.Contest][r]; ok {
				return invalid(fmt.Sprintf("%s.regions[%d]", f, j), "wilayah %s sudah ada di dapil[%d]", "region %s is already in dapil[%d]", r, k)
			}
			owner[d.Contest][r] = i
		}
		if err := checkCandidates(f, d, parties); err != nil {
			return err
		}
	}
	for i, d := range e.Dapil {
		for j, r := range d.Regions {
			for _, a := range siaga.Ancestors(r) {
				if k, ok := owner[d.Contest][a]; ok {
					return invalid(fmt.Sprintf("dapil[%d].regions[%d]", i, j),
						"wilayah %s ada di dalam %s milik dapil[%d]", "region %s lies inside %s of dapil[%d]", r, a, k)
				}
			}
		}
	}
	return nil
}

func checkDapilHeader(f string, d siaga.Dapil, province string, names map[dapilKey]bool) error {
	lo, hi := SeatRange(d.Contest)
	switch {
	case !d.Contest.Valid():
		return invalid(f+".contest", "jenis pemilihan %q tidak dikenal", "unknown contest %q", d.Contest)
	case d.Contest == siaga.PPWP:
		return invalid(f+".contest", "pemilihan presiden tidak memakai dapil", "the presidential contest has no dapil")
	case blank(d.Name):
		return invalid(f+".name", "nama dapil wajib diisi", "the dapil's name is required")
	case names[dapilKey{d.Contest, d.Name}]:
		return invalid(f+".name", "nama dapil %q dipakai dua kali untuk %s", "dapil name %q is used twice in %s", d.Name, d.Contest)
	case d.Seats < lo || d.Seats > hi:
		return invalid(f+".seats", "kursi %d di luar batas %d–%d untuk %s", "%d seats is outside %d–%d for %s", d.Seats, lo, hi, d.Contest)
	case len(d.Regions) == 0:
		return invalid(f+".regions", "dapil harus mencakup minimal satu wilayah", "a dapil must cover at least one region")
	}
	names[dapilKey{d.Contest, d.Name}] = true
	for j, r := range d.Regions {
		lvl := siaga.LevelOf(r)
		if !digits(r) || lvl == 0 || lvl == siaga.LevelTPS || !strings.HasPrefix(r, province) {
			return invalid(fmt.Sprintf("%s.regions[%d]", f, j),
				"kode wilayah %q bukan provinsi, kab/kota, kecamatan atau desa di provinsi %s",
				"region code %q is not a province, kab/kota, kecamatan or desa of province %s", r, province)
		}
	}
	return nil
}

func checkCandidates(f string, d siaga.Dapil, parties map[int]bool) error {
	ids := map[string]bool{}
	for j, c := range d.Candidates {
		cf := fmt.Sprintf("%s.candidates[%d]", f, j)
		if err := checkCandidate(cf, d, c, parties); err != nil {
			return err
		}
		if ids[c.ID] {
			return invalid(cf+".id", "id calon %s dipakai dua kali", "candidate id %s is used twice", c.ID)
		}
		ids[c.ID] = true
	}
	return nil
}

func checkCandidate(cf string, d siaga.Dapil, c siaga.Candidate, parties map[int]bool) error {
	if d.Contest == siaga.DPD {
		switch {
		case c.Party != 0:
			return invalid(cf+".party", "calon DPD bukan calon partai", "a DPD candidate has no party")
		case c.Number < 1 || c.Number > 99:
			return invalid(cf+".number", "nomor urut %d harus 1–99", "ballot number %d must be 1–99", c.Number)
		case c.ID != fmt.Sprintf("D%02d", c.Number):
			return invalid(cf+".id", "id calon DPD harus %q", "a DPD candidate's id must be %q", fmt.Sprintf("D%02d", c.Number))
		}
	} else {
		switch {
		case !parties[c.Party]:
			return invalid(cf+".party", "partai %d tidak ada di daftar partai", "party %d is not in the party list", c.Party)
		case c.Number < 1 || c.Number > d.Seats:
			return invalid(cf+".number", "nomor urut %d harus 1–%d (jumlah kursi)", "list number %d must be 1–%d (the seats)", c.Number, d.Seats)
		case c.ID != CandidateID(c.Party, c.Number):
			return invalid(cf+".id", "id calon harus %q", "the candidate's id must be %q", CandidateID(c.Party, c.Number))
		}
	}
	if blank(c.Name) {
		return invalid(cf+".name", "nama calon wajib diisi", "the candidate's name is required")
	}
	return nil
}

// CandidateID is the id of a party's candidate: the party number padded to
// two digits and the list number, "04-3".
func CandidateID(party, number int) string { return fmt.Sprintf("%02d-%d", party, number) }
