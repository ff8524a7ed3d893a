package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/deskpemilu/siaga"
)

// Validate refuses a submission that is malformed: an error of code
// siaga.EInvalid names the field at fault by its JSON path. Errors of any
// other kind mean c does not fit the submission, a fault of the caller.
//
// Validate allocates nothing for a well-formed submission: it runs for
// every form that arrives.
func Validate(sub *siaga.Submission, c Context) error {
	if sub == nil {
		return siaga.Errorf(siaga.EInvalid, "", "Kiriman kosong", "empty submission")
	}
	if c.Election == nil {
		return fmt.Errorf("rules: validating %s: context has no election", sub.TPS)
	}
	if err := validateHeader(sub); err != nil {
		return err
	}
	if c.TPS.Code != "" && c.TPS.Code != sub.TPS {
		return fmt.Errorf("rules: validating %s: context is of TPS %s", sub.TPS, c.TPS.Code)
	}
	if sub.Contest != siaga.PPWP && (c.Dapil == nil || c.Dapil.Contest != sub.Contest) {
		return fmt.Errorf("rules: validating %s: context has no %s dapil", sub.TPS, sub.Contest)
	}
	if err := validateAdmin(sub.Form.Admin); err != nil {
		return err
	}
	return validateVotes(sub.Form.Votes, sub.Contest, &c)
}

func validateHeader(sub *siaga.Submission) error {
	if !isUUID(sub.ID) {
		return siaga.Errorf(siaga.EInvalid, "id", "ID kiriman harus berupa UUID", "submission id must be a UUID")
	}
	if !sub.Contest.Valid() {
		return siaga.Errorf(siaga.EInvalid, "contest", "Jenis pemilihan %q tidak dikenal", "unknown contest %q", sub.Contest)
	}
	if !sub.Source.Valid() {
		return siaga.Errorf(siaga.EInvalid, "source", "Sumber %q tidak dikenal", "unknown source %q", sub.Source)
	}
	if !siaga.IsTPSCode(sub.TPS) {
		return siaga.Errorf(siaga.EInvalid, "tps", "Kode TPS harus 13 angka", "TPS code must be 13 digits")
	}
	if sub.Replaces < 0 || sub.Replaces > MaxVersion {
		return siaga.Errorf(siaga.EInvalid, "replaces", "Nomor versi harus antara 0 dan %d", "version number must be between 0 and %d", MaxVersion)
	}
	if utf8.RuneCountInString(sub.Reason) > MaxReason {
		return siaga.Errorf(siaga.EInvalid, "reason", "Alasan paling panjang %d karakter", "reason must be at most %d characters", MaxReason)
	}
	if sub.Reason != "" && strings.TrimSpace(sub.Reason) == "" {
		return siaga.Errorf(siaga.EInvalid, "reason", "Alasan tidak boleh hanya spasi", "reason must not be blank")
	}
	return nil
}

func validateAdmin(a siaga.Admin) error {
	known := 0
	for _, name := range siaga.AdminFields {
		v, ok := a[name]
		if !ok {
			continue
		}
		known++
		if bad(v) {
			return countError("form.administrasi."+name, v)
		}
	}
	if known == len(a) {
		return nil
	}
	// Report the first unknown key in sorted order so that the same input
	// always gets the same answer.
	first := ""
	for k := range a {
		if !siaga.IsAdminField(k) && (first == "" || k < first) {
			first = k
		}
	}
	return siaga.Errorf(siaga.EInvalid, "form.administrasi."+first,
		"Isian administrasi %q tidak dikenal", "unknown administrative field %q", first)
}

func validateVotes(v *siaga.Votes, contest siaga.Contest, c *Context) error {
	if v == nil {
		return nil
	}
	if contest.Legislative() {
		if len(v.Options) > 0 {
			return siaga.Errorf(siaga.EInvalid, "form.suara.pilihan",
				"Pemilu legislatif dihitung per partai dan caleg, bukan per pilihan",
				"legislative contests are counted per party and candidate, not per option")
		}
		return validateParties(v.Parties, c)
	}
	if len(v.Parties) > 0 {
		return siaga.Errorf(siaga.EInvalid, "form.suara.partai",
			"Suara partai hanya ada pada pemilu legislatif", "party votes exist only in legislative contests")
	}
	// Map order is random: keep the error of the smallest key so that the
	// same input always gets the same answer.
	var first string
	var err error
	for k, n := range v.Options {
		if (err == nil || k < first) && (!c.hasOption(contest, k) || bad(n)) {
			first, err = k, optionError(contest, k, n, c)
		}
	}
	return err
}

func (c *Context) hasOption(contest siaga.Contest, key string) bool {
	if contest == siaga.DPD {
		_, ok := c.candidateParty(key)
		return ok
	}
	return c.hasTicket(key)
}

func optionError(contest siaga.Contest, key string, n int, c *Context) error {
	field := "form.suara.pilihan." + key
	switch {
	case c.hasOption(contest, key):
		return countError(field, n)
	case contest == siaga.DPD:
		return siaga.Errorf(siaga.EInvalid, field, "Calon DPD %s tidak ada pada daftar dapil %s",
			"DPD candidate %s is not on the list of dapil %s", key, c.Dapil.Name)
	}
	return siaga.Errorf(siaga.EInvalid, field, "Nomor urut paslon %s tidak ada pada pemilu ini",
		"ticket number %s is not on this election's ballot", key)
}

func validateParties(parties map[string]siaga.PartyVotes, c *Context) error {
	var first string
	var err error
	for k, p := range parties {
		if err != nil && k > first {
			continue
		}
		if e := validateParty(k, p, c); e != nil {
			first, err = k, e
		}
	}
	return err
}

func validateParty(key string, p siaga.PartyVotes, c *Context) error {
	// Field paths are built only on failure: this runs for every party of
	// every legislative form.
	field := func(rest string) string { return "form.suara.partai." + key + rest }
	if !c.hasParty(key) {
		return siaga.Errorf(siaga.EInvalid, field(""), "Partai nomor %s tidak ada pada pemilu ini",
			"party number %s is not on this election's ballot", key)
	}
	if bad(p.Party) {
		return countError(field(".suara_partai"), p.Party)
	}
	if p.Total != nil && bad(*p.Total) {
		return countError(field(".jumlah"), *p.Total)
	}
	number, _ := partyNumber(key)
	var first string
	var err error
	for id, n := range p.Candidates {
		if err != nil && id > first {
			continue
		}
		party, ok := c.candidateParty(id)
		switch {
		case !ok || party != number:
			first, err = id, siaga.Errorf(siaga.EInvalid, field(".caleg."+id),
				"Caleg %s tidak ada pada daftar partai %s di dapil %s",
				"candidate %s is not on party %s's list in dapil %s", id, key, c.Dapil.Name)
		case bad(n):
			first, err = id, countError(field(".caleg."+id), n)
		}
	}
	return err
}

func bad(n int) bool { return n < 0 || n > MaxCount }

func countError(field string, n int) error {
	if n < 0 {
		return siaga.Errorf(siaga.EInvalid, field, "Angka tidak boleh negatif (%d)", "count must not be negative (%d)", n)
	}
	return siaga.Errorf(siaga.EInvalid, field, "Angka %d terlalu besar untuk satu TPS (paling banyak %d)",
		"count %d is too large for one TPS (at most %d)", n, MaxCount)
}

// isUUID accepts the textual form 8-4-4-4-12 of any version; clients make
// their own ids and only uniqueness matters to the server.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

func isHex(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
}
