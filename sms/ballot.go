package sms

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

// AdminOrder is the administrative block of every report, in the order of
// the paper form. A "-" stands for a number not on the form.
var AdminOrder = []string{
	"pemilih_dpt_j", "pengguna_dpt_j", "pengguna_dptb_j", "pengguna_non_dpt_j",
	"pengguna_total_j", "suara_sah", "suara_tidak_sah", "suara_total",
}

// adminNames are the names an officer knows, for errors.
var adminNames = []string{"DPT", "pengguna DPT", "DPTb", "DPK", "total pengguna", "suara sah", "suara tidak sah", "total suara"}

// Ballot is what a TPS's ballot of one contest looks like: the order in
// which an SMS lists its numbers.
type Ballot struct {
	// Options are the ppwp ticket numbers or the DPD candidate ids, in
	// ballot order.
	Options []string `json:"options,omitempty"`
	// Lists maps a legislative party's number to its candidate ids in list
	// order.
	Lists map[int][]string `json:"lists,omitempty"`
}

// NewBallot is the ballot of contest at a TPS: the tickets for ppwp, else
// the lists of the TPS's dapil.
func NewBallot(e *siaga.Election, contest siaga.Contest, d *siaga.Dapil) Ballot {
	var b Ballot
	if contest == siaga.PPWP {
		for _, t := range e.Tickets {
			b.Options = append(b.Options, t.Number)
		}
		return b
	}
	if d == nil {
		return b
	}
	cands := append([]siaga.Candidate(nil), d.Candidates...)
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].Party != cands[j].Party {
			return cands[i].Party < cands[j].Party
		}
		return cands[i].Number < cands[j].Number
	})
	if !contest.Legislative() {
		for _, c := range cands {
			b.Options = append(b.Options, c.ID)
		}
		return b
	}
	b.Lists = map[int][]string{}
	for _, p := range e.Parties {
		b.Lists[p.Number] = nil
	}
	for _, c := range cands {
		b.Lists[c.Party] = append(b.Lists[c.Party], c.ID)
	}
	return b
}

func bodyError(field, id, en string, args ...any) error {
	return siaga.Errorf(siaga.EInvalid, field, id, en, args...)
}

// Read turns the body tokens of a whole report into a form.
func Read(contest siaga.Contest, body []string, b Ballot) (siaga.Form, error) {
	if len(body) < len(AdminOrder) {
		return siaga.Form{}, bodyError("administrasi",
			"Bagian administrasi harus %d angka (DPT, pengguna DPT, DPTb, DPK, total pengguna, sah, tidak sah, total suara); terbaca %d",
			"the administrative block must be %d numbers; read %d", len(AdminOrder), len(body))
	}
	f := siaga.Form{Admin: siaga.Admin{}, Votes: &siaga.Votes{}}
	for i, name := range AdminOrder {
		if body[i] == "-" {
			continue
		}
		n, err := count(body[i], "administrasi."+name, adminNames[i])
		if err != nil {
			return siaga.Form{}, err
		}
		f.Admin[name] = n
	}
	votes := body[len(AdminOrder):]
	if contest.Legislative() {
		parties, err := readParties(votes, b)
		f.Votes.Parties = parties
		return f, err
	}
	what := "paslon"
	if contest == siaga.DPD {
		what = "calon DPD"
	}
	if len(votes) != len(b.Options) {
		return siaga.Form{}, bodyError("suara",
			"Sesudah %d angka administrasi harus ada %d angka suara %s; terbaca %d",
			"after %d administrative numbers there must be %d %s vote counts; read %d",
			len(AdminOrder), len(b.Options), what, len(votes))
	}
	f.Votes.Options = make(map[string]int, len(votes))
	for i, t := range votes {
		n, err := count(t, "suara.pilihan."+b.Options[i], what+" "+b.Options[i])
		if err != nil {
			return siaga.Form{}, err
		}
		f.Votes.Options[b.Options[i]] = n
	}
	return f, nil
}

// readParties reads blocks "P<party> <party votes> <candidate 1> … [=<total>]".
func readParties(tokens []string, b Ballot) (map[string]siaga.PartyVotes, error) {
	if len(tokens) == 0 {
		return nil, bodyError("suara.partai", "Tidak ada suara partai (P<nomor partai> lalu angka-angkanya)",
			"no party votes (P<party number> then its numbers)")
	}
	out := map[string]siaga.PartyVotes{}
	for len(tokens) > 0 {
		t := tokens[0]
		party, ok := 0, false
		if len(t) > 1 && t[0] == 'P' {
			party, ok = number(t[1:])
		}
		if !ok {
			return nil, bodyError("suara.partai", "Blok partai harus diawali P<nomor partai>, terbaca %q",
				"a party block must start with P<party number>, read %q", t)
		}
		key := strconv.Itoa(party)
		list, known := b.Lists[party]
		if !known {
			return nil, bodyError("suara.partai."+key, "Partai nomor %d tidak ada pada surat suara ini",
				"party %d is not on this ballot", party)
		}
		if _, dup := out[key]; dup {
			return nil, bodyError("suara.partai."+key, "Partai %d ditulis dua kali", "party %d appears twice", party)
		}
		end := 1
		for end < len(tokens) && !strings.HasPrefix(tokens[end], "P") {
			end++
		}
		pv, err := readParty(key, tokens[1:end], list)
		if err != nil {
			return nil, err
		}
		out[key] = pv
		tokens = tokens[end:]
	}
	return out, nil
}

func readParty(key string, tokens []string, list []string) (siaga.PartyVotes, error) {
	var pv siaga.PartyVotes
	if n := len(tokens); n > 0 && strings.HasPrefix(tokens[n-1], "=") {
		total, err := count(tokens[n-1][1:], "suara.partai."+key+".jumlah", "jumlah partai "+key)
		if err != nil {
			return pv, err
		}
		pv.Total = &total
		tokens = tokens[:n-1]
	}
	if len(tokens) == 0 {
		return pv, bodyError("suara.partai."+key, "Partai %s tanpa suara partai", "party %s has no party votes", key)
	}
	if len(tokens)-1 > len(list) {
		return pv, bodyError("suara.partai."+key,
			"Partai %s punya %d caleg di dapil ini; terbaca %d angka caleg",
			"party %s has %d candidates in this dapil; read %d", key, len(list), len(tokens)-1)
	}
	var err error
	if pv.Party, err = count(tokens[0], "suara.partai."+key+".suara_partai", "suara partai "+key); err != nil {
		return pv, err
	}
	for i, t := range tokens[1:] {
		if pv.Candidates == nil {
			pv.Candidates = make(map[string]int, len(tokens)-1)
		}
		n, err := count(t, "suara.partai."+key+".caleg."+list[i], fmt.Sprintf("caleg %d partai %s", i+1, key))
		if err != nil {
			return pv, err
		}
		pv.Candidates[list[i]] = n
	}
	return pv, nil
}

// count reads one number of the body or names it in the error.
func count(t, field, name string) (int, error) {
	n, ok := number(t)
	if !ok {
		return 0, bodyError(field, "Angka %s tidak terbaca: %q", "%s: unreadable number %q", name, t)
	}
	return n, nil
}
