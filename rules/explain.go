package rules

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/deskpemilu/siaga"
)

// Finding is one broken rule with the numbers that break it, for people.
// A rule may give several findings: one per triple (R4), per check (R8) or
// per party (R10).
type Finding struct {
	Rule      string   `json:"rule"`
	Fields    []string `json:"fields"` // JSON paths, as in Validate's errors
	Message   string   `json:"message"`
	MessageEN string   `json:"message_en"`
}

// Explain returns what Check finds, spelled out with the form's numbers,
// in rule order. It formats strings, so it stays off the intake path.
func Explain(f *siaga.Form, c Context) []Finding {
	s := newState(f, &c)
	var out []Finding
	for r := 1; r < len(ids); r++ {
		if r != 11 && s.breaks(r) {
			out = append(out, s.explain(r)...)
		}
	}
	return out
}

func admin(i int) string { return "form.administrasi." + fields[i] }

func paths(is ...int) []string {
	out := make([]string, len(is))
	for k, i := range is {
		out[k] = admin(i)
	}
	return out
}

// finding formats both messages with the same arguments.
func finding(rule string, fields []string, id, en string, args ...any) Finding {
	return Finding{Rule: rule, Fields: fields, Message: fmt.Sprintf(id, args...), MessageEN: fmt.Sprintf(en, args...)}
}

func (s *state) explain(rule int) []Finding {
	v := &s.v
	id := ids[rule]
	switch rule {
	case 1:
		return []Finding{s.explainR1()}
	case 2:
		return []Finding{finding(id, paths(suaraSah, suaraTidakSah, suaraTotal),
			"Suara sah %d + suara tidak sah %d = %d, tetapi jumlah suara %d",
			"valid votes %d + invalid votes %d = %d, but total votes %d",
			v[suaraSah], v[suaraTidakSah], v[suaraSah]+v[suaraTidakSah], v[suaraTotal])}
	case 3:
		return []Finding{finding(id, paths(penggunaTotalJ, penggunaDPTJ, penggunaDPTbJ, penggunaNonDPTJ),
			"Pengguna hak pilih DPT %d + DPTb %d + DPK %d = %d, tetapi jumlah pengguna hak pilih %d",
			"voters from the DPT %d + DPTb %d + DPK %d = %d, but total voters %d",
			v[penggunaDPTJ], v[penggunaDPTbJ], v[penggunaNonDPTJ],
			v[penggunaDPTJ]+v[penggunaDPTbJ]+v[penggunaNonDPTJ], v[penggunaTotalJ])}
	case 4:
		return s.explainR4()
	case 5:
		return []Finding{finding(id, paths(suaraTotal, penggunaTotalJ),
			"Jumlah suara %d lebih banyak dari pengguna hak pilih %d",
			"%d ballots counted but only %d voters voted", v[suaraTotal], v[penggunaTotalJ])}
	case 6:
		return []Finding{finding(id, paths(penggunaDPTJ, pemilihDPTJ),
			"Pengguna hak pilih DPT %d lebih banyak dari pemilih DPT %d",
			"%d voters from the DPT voted but the DPT has only %d", v[penggunaDPTJ], v[pemilihDPTJ])}
	case 7:
		limit, _ := s.voteLimit()
		return []Finding{finding(id, append(paths(pemilihDPTJ, penggunaDPTbJ, penggunaNonDPTJ), "form.suara"),
			"Jumlah suara %d melebihi batas %d (DPT %d + 2%% + DPTb %d + DPK %d)",
			"%d votes exceed the limit of %d (DPT %d + 2%% + DPTb %d + DPK %d)",
			s.votes, limit, v[pemilihDPTJ], v[penggunaDPTbJ], v[penggunaNonDPTJ])}
	case 8:
		return s.explainR8()
	case 9:
		return []Finding{finding(id, paths(pemilihDPTJ),
			"DPT pada formulir %d, tetapi DPT TPS ini menurut daftar pemilih %d",
			"the form's DPT is %d, but the voter list of this TPS has %d", v[pemilihDPTJ], s.c.TPS.DPT)}
	case 10:
		return s.explainR10()
	case 12:
		return []Finding{s.explainR12()}
	}
	return nil
}

func (s *state) explainR1() Finding {
	noun, nounEN := "paslon", "tickets' votes"
	switch {
	case s.f.Votes != nil && len(s.f.Votes.Parties) > 0:
		noun, nounEN = "partai dan caleg", "party and candidate votes"
	case s.c.Dapil != nil && s.c.Dapil.Contest == siaga.DPD:
		noun, nounEN = "calon DPD", "DPD candidates' votes"
	}
	return Finding{
		Rule:      "R1",
		Fields:    []string{admin(suaraSah), "form.suara"},
		Message:   fmt.Sprintf("Suara sah %d, tetapi jumlah suara %s %d", s.v[suaraSah], noun, s.votes),
		MessageEN: fmt.Sprintf("valid votes %d, but the %s add up to %d", s.v[suaraSah], nounEN, s.votes),
	}
}

// tripleNames names the triples of R4, in the order of triples.
var tripleNames = [len(triples)][2]string{
	{"Pemilih DPT", "voters on the DPT"},
	{"Pengguna hak pilih DPT", "voters from the DPT"},
	{"Pengguna hak pilih DPTb", "voters from the DPTb"},
	{"Pengguna hak pilih DPK", "voters not on any list (DPK)"},
	{"Jumlah pengguna hak pilih", "total voters"},
}

func (s *state) explainR4() []Finding {
	var out []Finding
	for k, l := range triples {
		if !s.tripleBroken(l) {
			continue
		}
		name := tripleNames[k]
		out = append(out, Finding{
			Rule:   "R4",
			Fields: paths(l, l+1, l+2),
			Message: fmt.Sprintf("%s: laki-laki %d + perempuan %d = %d, tetapi jumlahnya tertulis %d",
				name[0], s.v[l], s.v[l+1], s.v[l]+s.v[l+1], s.v[l+2]),
			MessageEN: fmt.Sprintf("%s: men %d + women %d = %d, but the total reads %d",
				name[1], s.v[l], s.v[l+1], s.v[l]+s.v[l+1], s.v[l+2]),
		})
	}
	return out
}

func (s *state) explainR8() []Finding {
	var out []Finding
	v := &s.v
	if s.stockBroken() {
		out = append(out, finding("R8", paths(suratDiterima, suratDigunakan, suratRusak, suratSisa),
			"Surat suara diterima %d, tetapi digunakan %d + rusak %d + sisa %d = %d",
			"%d ballot papers received, but used %d + damaged %d + unused %d = %d",
			v[suratDiterima], v[suratDigunakan], v[suratRusak], v[suratSisa],
			v[suratDigunakan]+v[suratRusak]+v[suratSisa]))
	}
	if s.stockOverLimit() {
		limit, dpt, reserve, _ := s.stockLimit()
		out = append(out, finding("R8", paths(suratDiterima, pemilihDPTJ, penggunaDPTbJ),
			"Surat suara diterima %d melebihi DPT %d + cadangan 2%% %d + DPTb %d = %d",
			"%d ballot papers received, more than DPT %d + 2%% reserve %d + DPTb %d = %d",
			v[suratDiterima], dpt, reserve, v[penggunaDPTbJ], limit))
	}
	return out
}

func (s *state) explainR10() []Finding {
	parties := s.f.Votes.Parties
	keys := make([]string, 0, len(parties))
	for k, p := range parties {
		if p.Total != nil && p.Sum() != *p.Total {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return partyLess(keys[i], keys[j]) })
	out := make([]Finding, 0, len(keys))
	for _, k := range keys {
		p := parties[k]
		field := "form.suara.partai." + k
		out = append(out, finding("R10", []string{field + ".suara_partai", field + ".caleg", field + ".jumlah"},
			"Partai %s: suara partai %d + suara caleg %d = %d, tetapi jumlah tertulis %d",
			"party %s: party votes %d + candidate votes %d = %d, but the written total is %d",
			k, p.Party, p.Sum()-p.Party, p.Sum(), *p.Total))
	}
	return out
}

// partyLess orders party keys by number, then anything else as text.
func partyLess(a, b string) bool {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(b)
	if errA == nil && errB == nil && x != y {
		return x < y
	}
	return a < b
}

func (s *state) explainR12() Finding {
	var f Finding
	f.Rule = "R12"
	if !s.hasVotes {
		f.Fields = append(f.Fields, "form.suara")
		f.Message, f.MessageEN = "Bagian perolehan suara belum diisi", "the vote section is missing"
	}
	if len(s.f.Admin) == 0 {
		f.Fields = append(f.Fields, "form.administrasi")
		if f.Message != "" {
			f.Message, f.MessageEN = "Bagian perolehan suara dan bagian administrasi belum diisi",
				"the vote and administrative sections are missing"
		} else {
			f.Message, f.MessageEN = "Bagian administrasi belum diisi", "the administrative section is missing"
		}
	}
	return f
}

// Describe explains a rule in plain words, in Bahasa Indonesia and English,
// for screens that list rule ids. An unknown id gives empty strings.
func Describe(rule string) (id, en string) {
	switch rule {
	case "R1":
		return "Jumlah suara semua paslon, partai atau calon harus sama dengan jumlah suara sah",
			"The votes of all tickets, parties or candidates must add up to the valid votes"
	case "R2":
		return "Suara sah ditambah suara tidak sah harus sama dengan jumlah suara",
			"Valid plus invalid votes must equal the total votes"
	case "R3":
		return "Jumlah pengguna hak pilih harus sama dengan pengguna DPT + DPTb + DPK",
			"Total voters must equal voters from the DPT, the DPTb and the DPK"
	case "R4":
		return "Untuk setiap baris, laki-laki ditambah perempuan harus sama dengan jumlahnya",
			"On every line, men plus women must equal the total"
	case "R5":
		return "Jumlah suara tidak boleh lebih banyak dari pengguna hak pilih",
			"There cannot be more ballots counted than voters who voted"
	case "R6":
		return "Pengguna hak pilih DPT tidak boleh lebih banyak dari pemilih DPT",
			"More voters from the DPT cannot vote than the DPT holds"
	case "R7":
		return "Jumlah suara tidak boleh melebihi DPT + 2% + DPTb + DPK",
			"Votes cannot exceed the DPT plus 2%, the DPTb and the DPK"
	case "R8":
		return "Surat suara diterima harus sama dengan digunakan + rusak + sisa, dan tidak melebihi DPT + cadangan 2% + DPTb",
			"Ballot papers received must equal used plus damaged plus unused, and not exceed the DPT plus the 2% reserve plus the DPTb"
	case "R9":
		return "DPT pada formulir harus sama dengan DPT TPS menurut daftar pemilih",
			"The form's DPT must match the TPS's voter list"
	case "R10":
		return "Suara partai ditambah suara calegnya harus sama dengan jumlah suara partai",
			"A party's own votes plus its candidates' votes must equal the party's total"
	case "R11":
		return "Angka dari sumber yang berbeda (KPPS, saksi, PTPS, Sirekap) tidak sama",
			"Different sources (KPPS, witnesses, PTPS, Sirekap) report different numbers"
	case "R12":
		return "Formulir belum lengkap: bagian perolehan suara atau administrasi belum ada",
			"The form is incomplete: the vote or administrative section is missing"
	}
	return "", ""
}
