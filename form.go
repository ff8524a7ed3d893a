package siaga

// Source is who filled a count form.
type Source string

const (
	SourceKPPS    Source = "kpps"    // the TPS committee: the counting source
	SourceSaksi   Source = "saksi"   // a party or candidate witness (C.Salinan)
	SourcePTPS    Source = "ptps"    // Bawaslu's TPS supervisor
	SourceSirekap Source = "sirekap" // imported from KPU's public Sirekap data
)

// Sources lists every source.
var Sources = []Source{SourceKPPS, SourceSaksi, SourcePTPS, SourceSirekap}

// Valid reports whether s names a known source.
func (s Source) Valid() bool {
	for _, k := range Sources {
		if k == s {
			return true
		}
	}
	return false
}

// AdminFields are the keys of the administrative section of C.Hasil, named
// as in KPU's public Sirekap JSON so real records import without mapping.
var AdminFields = []string{
	"pemilih_dpt_l", "pemilih_dpt_p", "pemilih_dpt_j",
	"pengguna_dpt_l", "pengguna_dpt_p", "pengguna_dpt_j",
	"pengguna_dptb_l", "pengguna_dptb_p", "pengguna_dptb_j",
	"pengguna_non_dpt_l", "pengguna_non_dpt_p", "pengguna_non_dpt_j",
	"pengguna_total_l", "pengguna_total_p", "pengguna_total_j",
	"suara_sah", "suara_tidak_sah", "suara_total",
	"surat_suara_diterima", "surat_suara_digunakan", "surat_suara_rusak", "surat_suara_sisa",
}

// IsAdminField reports whether name is one of AdminFields.
func IsAdminField(name string) bool {
	for _, f := range AdminFields {
		if f == name {
			return true
		}
	}
	return false
}

// Admin is the administrative section: voters, ballots and the stock of
// ballot papers. A key that is absent was not on the form (or not read);
// rules only check what is present.
type Admin map[string]int

// Get returns the value of field and whether the form carries it.
func (a Admin) Get(field string) (int, bool) {
	v, ok := a[field]
	return v, ok
}

// Form is one C.Hasil: the count of one TPS for one contest. A nil Admin or
// Votes means that section is missing (rule R12).
//
// Field order is alphabetical by JSON name so that encoding/json produces
// the canonical bytes that devices sign (see CanonicalBytes).
type Form struct {
	Admin Admin  `json:"administrasi,omitempty"`
	Votes *Votes `json:"suara,omitempty"`
}

// Votes is the vote section. For ppwp Options maps the ticket number ("01")
// to votes and for dpd the candidate id; for legislative contests Parties
// maps the party number ("4") to its part of the form.
type Votes struct {
	Parties map[string]PartyVotes `json:"partai,omitempty"`
	Options map[string]int        `json:"pilihan,omitempty"`
}

// PartyVotes is one party's block on a legislative form: marks for the party
// only, marks per candidate, and the total written on the paper.
type PartyVotes struct {
	Candidates map[string]int `json:"caleg,omitempty"`
	Total      *int           `json:"jumlah,omitempty"`
	Party      int            `json:"suara_partai"`
}

// Sum is the party's votes: party-only marks plus every candidate's.
func (p PartyVotes) Sum() int {
	n := p.Party
	for _, v := range p.Candidates {
		n += v
	}
	return n
}

// OptionTotals returns the votes per ballot option as tallied: tickets or
// DPD candidates as they are, legislative parties with their candidates.
func (v *Votes) OptionTotals() map[string]int {
	if v == nil {
		return nil
	}
	out := make(map[string]int, len(v.Options)+len(v.Parties))
	for k, n := range v.Options {
		out[k] = n
	}
	for k, p := range v.Parties {
		out[k] += p.Sum()
	}
	return out
}

// Total is the sum of every vote in the section.
func (v *Votes) Total() int {
	n := 0
	for _, c := range v.OptionTotals() {
		n += c
	}
	return n
}
