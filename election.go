package siaga

import "strconv"

// Contest is one ballot of the election.
type Contest string

const (
	PPWP     Contest = "ppwp"      // president and vice president
	DPR      Contest = "dpr"       // national parliament
	DPD      Contest = "dpd"       // regional representatives council
	DPRDProv Contest = "dprd_prov" // provincial parliament
	DPRDKab  Contest = "dprd_kab"  // kab/kota parliament
)

// Contests lists every contest in ballot order.
var Contests = []Contest{PPWP, DPR, DPD, DPRDProv, DPRDKab}

// Legislative reports whether votes are cast for parties and their candidates.
func (c Contest) Legislative() bool { return c == DPR || c == DPRDProv || c == DPRDKab }

// Name is the contest as printed on its ballot.
func (c Contest) Name() string {
	switch c {
	case PPWP:
		return "Presiden dan Wakil Presiden"
	case DPR:
		return "DPR RI"
	case DPD:
		return "DPD RI"
	case DPRDProv:
		return "DPRD Provinsi"
	case DPRDKab:
		return "DPRD Kabupaten/Kota"
	}
	return string(c)
}

// Valid reports whether c names a known contest.
func (c Contest) Valid() bool {
	for _, k := range Contests {
		if k == c {
			return true
		}
	}
	return false
}

// Election describes one election: its contests, tickets, parties, dapil and
// candidate lists. The JSON form is documented in docs/election-format.md.
type Election struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Date      string   `json:"date"` // YYYY-MM-DD
	Province  string   `json:"province"`
	Tickets   []Ticket `json:"tickets"`
	Parties   []Party  `json:"parties"`
	Dapil     []Dapil  `json:"dapil"`
	Synthetic []string `json:"synthetic,omitempty"` // what is made up, shown on screen
	// SeatThresholds is the share of the national valid votes a party
	// needs to take part in the seat allocation of a legislative contest
	// (DPR 0.04 in 2024, UU 7/2017 art. 414); a contest not named has none,
	// as DPRD has none.
	SeatThresholds map[Contest]float64 `json:"seat_thresholds,omitempty"`
	// ColorSource says where the parties' colours come from.
	ColorSource string `json:"color_source,omitempty"`
}

// Ticket is a presidential pair (paslon).
type Ticket struct {
	Number    string `json:"number"` // "01"
	SirekapID string `json:"sirekap_id,omitempty"`
	President string `json:"president"`
	Vice      string `json:"vice_president"`
}

// Party is a national party on the legislative ballots.
type Party struct {
	Number int    `json:"number"`
	Short  string `json:"short"`
	Name   string `json:"name"`
	// Color is the party's own colour (#rrggbb) for charts and maps, so
	// that PDIP is red and Golkar yellow; empty takes a palette colour.
	Color string `json:"color,omitempty"`
}

// Dapil is an electoral district of one contest with its candidate lists.
// For DPD the single dapil is the province and candidates have no party.
type Dapil struct {
	Contest    Contest     `json:"contest"`
	Name       string      `json:"name"`
	Seats      int         `json:"seats"`
	Regions    []string    `json:"regions"` // region codes the dapil covers
	Candidates []Candidate `json:"candidates"`
	Synthetic  bool        `json:"synthetic,omitempty"`
}

// Candidate is one name on a dapil's list; ID is unique within the dapil
// ("04-3": party 4, list number 3; "D07" for a DPD candidate).
type Candidate struct {
	ID     string `json:"id"`
	Party  int    `json:"party,omitempty"`
	Number int    `json:"number"`
	Name   string `json:"name"`
}

// OptionNames names the ballot options of contest c as printed on the
// ballot: a ticket "Anies Rasyid Baswedan – Muhaimin Iskandar", a party by
// its short name, a DPD candidate by name. Keys are the vote keys.
func (e *Election) OptionNames(c Contest) map[string]string {
	out := map[string]string{}
	if e == nil {
		return out
	}
	switch {
	case c == PPWP:
		for _, t := range e.Tickets {
			out[t.Number] = t.President + " – " + t.Vice
		}
	case c.Legislative():
		for _, p := range e.Parties {
			out[strconv.Itoa(p.Number)] = p.Short
		}
	default:
		for _, d := range e.Dapil {
			if d.Contest != c {
				continue
			}
			for _, cand := range d.Candidates {
				out[cand.ID] = cand.Name
			}
		}
	}
	return out
}
