package election

import (
	"fmt"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// SeatRange is the number of seats a dapil of a contest may have
// (UU 7/2017: DPR 3–10, DPRD 3–12, DPD 4 per province).
func SeatRange(c siaga.Contest) (lo, hi int) {
	switch c {
	case siaga.DPR:
		return 3, 10
	case siaga.DPRDProv, siaga.DPRDKab:
		return 3, 12
	case siaga.DPD:
		return 4, 4
	}
	return 0, 0
}

// Validate checks an election definition and returns the first problem as a
// *siaga.Error whose Field names it, e.g. "dapil[3].candidates[7].party"
// (indexes count from 0). It cannot check that dapil cover every TPS: that
// needs the registry.
func Validate(e *siaga.Election) error {
	if e == nil {
		return invalid("", "definisi pemilu kosong", "the election definition is empty")
	}
	for _, check := range []func(*siaga.Election) error{checkHeader, checkTickets, checkParties, checkDapil, checkSynthetic, checkThresholds} {
		if err := check(e); err != nil {
			return err
		}
	}
	return nil
}

func invalid(field, id, en string, args ...any) error {
	return siaga.Errorf(siaga.EInvalid, field, id, en, args...)
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func checkHeader(e *siaga.Election) error {
	switch {
	case blank(e.ID):
		return invalid("id", "id wajib diisi", "id is required")
	case blank(e.Name):
		return invalid("name", "nama wajib diisi", "name is required")
	case !validDate(e.Date):
		return invalid("date", "tanggal %q harus berbentuk TTTT-BB-HH", "date %q must be YYYY-MM-DD", e.Date)
	case len(e.Province) != 2 || !digits(e.Province):
		return invalid("province", "kode provinsi %q harus dua angka", "province code %q must be two digits", e.Province)
	}
	return nil
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func checkTickets(e *siaga.Election) error {
	numbers, sirekap := map[string]bool{}, map[string]bool{}
	for i, t := range e.Tickets {
		f := fmt.Sprintf("tickets[%d]", i)
		switch {
		case len(t.Number) != 2 || !digits(t.Number):
			return invalid(f+".number", "nomor paslon %q harus dua angka (mis. \"01\")", "ticket number %q must be two digits (e.g. \"01\")", t.Number)
		case numbers[t.Number]:
			return invalid(f+".number", "nomor paslon %s dipakai dua kali", "ticket number %s is used twice", t.Number)
		case t.SirekapID != "" && !digits(t.SirekapID):
			return invalid(f+".sirekap_id", "id Sirekap %q harus angka", "Sirekap id %q must be digits", t.SirekapID)
		case t.SirekapID != "" && sirekap[t.SirekapID]:
			return invalid(f+".sirekap_id", "id Sirekap %s dipakai dua kali", "Sirekap id %s is used twice", t.SirekapID)
		case blank(t.President):
			return invalid(f+".president", "nama calon presiden wajib diisi", "the presidential candidate's name is required")
		case blank(t.Vice):
			return invalid(f+".vice_president", "nama calon wakil presiden wajib diisi", "the vice-presidential candidate's name is required")
		}
		numbers[t.Number] = true
		sirekap[t.SirekapID] = t.SirekapID != ""
	}
	return nil
}

func checkParties(e *siaga.Election) error {
	numbers, shorts, colors := map[int]bool{}, map[string]bool{}, map[string]bool{}
	for i, p := range e.Parties {
		f := fmt.Sprintf("parties[%d]", i)
		switch {
		case p.Number < 1 || p.Number > 99:
			return invalid(f+".number", "nomor partai %d harus 1–99", "party number %d must be 1–99", p.Number)
		case numbers[p.Number]:
			return invalid(f+".number", "nomor partai %d dipakai dua kali", "party number %d is used twice", p.Number)
		case blank(p.Short):
			return invalid(f+".short", "singkatan partai wajib diisi", "the party's short name is required")
		case shorts[p.Short]:
			return invalid(f+".short", "singkatan partai %q dipakai dua kali", "party short name %q is used twice", p.Short)
		case blank(p.Name):
			return invalid(f+".name", "nama partai wajib diisi", "the party's name is required")
		case p.Color != "" && !hexColor(p.Color):
			return invalid(f+".color", "warna partai %q harus berbentuk #rrggbb", "party colour %q must be #rrggbb", p.Color)
		case p.Color != "" && colors[strings.ToLower(p.Color)]:
			// Two parties in one colour make a chart unreadable.
			return invalid(f+".color", "warna partai %q dipakai dua kali", "party colour %q is used twice", p.Color)
		}
		numbers[p.Number], shorts[p.Short], colors[strings.ToLower(p.Color)] = true, true, p.Color != ""
	}
	return nil
}

func checkSynthetic(e *siaga.Election) error {
	for i, s := range e.Synthetic {
		if blank(s) {
			return invalid(fmt.Sprintf("synthetic[%d]", i), "keterangan kosong", "empty note")
		}
	}
	return nil
}

func hexColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for _, c := range strings.ToLower(s[1:]) {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// checkThresholds allows a seat threshold only on a legislative contest,
// as a share below one.
func checkThresholds(e *siaga.Election) error {
	for c, v := range e.SeatThresholds {
		f := "seat_thresholds." + string(c)
		switch {
		case !c.Legislative():
			return invalid(f, "ambang batas hanya untuk DPR atau DPRD, bukan %q", "a seat threshold applies to DPR or DPRD only, not %q", c)
		case v < 0 || v >= 1:
			return invalid(f, "ambang batas %v harus antara 0 dan 1 (0,04 = 4%%)", "seat threshold %v must be between 0 and 1 (0.04 = 4%%)", v)
		}
	}
	return nil
}
