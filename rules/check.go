package rules

import "github.com/deskpemilu/siaga"

// Indices of the administrative fields, in the order of siaga.AdminFields.
const (
	pemilihDPTL = iota
	pemilihDPTP
	pemilihDPTJ
	penggunaDPTL
	penggunaDPTP
	penggunaDPTJ
	penggunaDPTbL
	penggunaDPTbP
	penggunaDPTbJ
	penggunaNonDPTL
	penggunaNonDPTP
	penggunaNonDPTJ
	penggunaTotalL
	penggunaTotalP
	penggunaTotalJ
	suaraSah
	suaraTidakSah
	suaraTotal
	suratDiterima
	suratDigunakan
	suratRusak
	suratSisa
	nFields
)

// fields names the administrative fields by index, as an array so that
// the rules index it without bounds checks; a test keeps the indices
// above naming the right fields.
var fields = [nFields]string(siaga.AdminFields)

// triples are the first (_l) index of every _l/_p/_j triple (rule R4).
var triples = [...]int{pemilihDPTL, penggunaDPTL, penggunaDPTbL, penggunaNonDPTL, penggunaTotalL}

// ids are the rule ids by number; R11 compares sources and is not checked
// on one form.
var ids = [...]string{"", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12"}

// Check returns the ids of the rules f breaks, in numeric order, or nil.
// A rule is evaluated only when the form carries every field it names
// (R12, the missing-section rule, is always evaluated). Check does not
// need a validated form but only gives meaningful answers on one.
func Check(f *siaga.Form, c Context) []string {
	s := newState(f, &c)
	var out []string
	for r := 1; r < len(ids); r++ {
		if r != 11 && s.breaks(r) {
			out = append(out, ids[r])
		}
	}
	return out
}

// state is a form read once into fixed slots, so that each rule is a few
// comparisons rather than map lookups.
type state struct {
	f        *siaga.Form
	c        *Context
	v        [nFields]int
	has      uint32
	votes    int // every vote of the form
	hasVotes bool
}

// newState returns the state by value: filling a *state would make the
// escape analysis move f and c to the heap on every call.
func newState(f *siaga.Form, c *Context) state {
	if f == nil {
		f = &siaga.Form{}
	}
	s := state{f: f, c: c}
	if len(f.Admin) > 0 {
		for i, name := range fields {
			if v, ok := f.Admin[name]; ok {
				s.v[i] = v
				s.has |= 1 << i
			}
		}
	}
	if v := f.Votes; v != nil && len(v.Options)+len(v.Parties) > 0 {
		s.hasVotes = true
		for _, n := range v.Options {
			s.votes += n
		}
		// The tally counts a party as its marks plus its candidates', not
		// the total written on the paper: R1 checks what gets tallied and
		// R10 checks the written total.
		for _, p := range v.Parties {
			s.votes += p.Sum()
		}
	}
	return s
}

// present reports whether every field in set (a bit mask) is on the form.
func (s *state) present(set uint32) bool { return s.has&set == set }

func bit(i int) uint32 { return 1 << i }

func (s *state) breaks(rule int) bool {
	v := &s.v
	switch rule {
	case 1:
		return s.hasVotes && s.present(bit(suaraSah)) && s.votes != v[suaraSah]
	case 2:
		return s.present(bit(suaraSah)|bit(suaraTidakSah)|bit(suaraTotal)) &&
			v[suaraSah]+v[suaraTidakSah] != v[suaraTotal]
	case 3:
		return s.present(bit(penggunaTotalJ)|bit(penggunaDPTJ)|bit(penggunaDPTbJ)|bit(penggunaNonDPTJ)) &&
			v[penggunaTotalJ] != v[penggunaDPTJ]+v[penggunaDPTbJ]+v[penggunaNonDPTJ]
	case 4:
		for _, l := range triples {
			if s.tripleBroken(l) {
				return true
			}
		}
		return false
	case 5:
		return s.present(bit(suaraTotal)|bit(penggunaTotalJ)) && v[suaraTotal] > v[penggunaTotalJ]
	case 6:
		return s.present(bit(penggunaDPTJ)|bit(pemilihDPTJ)) && v[penggunaDPTJ] > v[pemilihDPTJ]
	case 7:
		limit, ok := s.voteLimit()
		return ok && s.votes > limit
	case 8:
		return s.stockBroken() || s.stockOverLimit()
	case 9:
		return s.c.TPS.DPTImported && s.present(bit(pemilihDPTJ)) && v[pemilihDPTJ] != s.c.TPS.DPT
	case 10:
		if s.f.Votes == nil {
			return false
		}
		for _, p := range s.f.Votes.Parties {
			if p.Total != nil && p.Sum() != *p.Total {
				return true
			}
		}
		return false
	case 12:
		// An empty section is as good as none: nothing on it was read.
		return !s.hasVotes || len(s.f.Admin) == 0
	}
	return false
}

func (s *state) tripleBroken(l int) bool {
	return s.present(bit(l)|bit(l+1)|bit(l+2)) && s.v[l+2] != s.v[l]+s.v[l+1]
}

// voteLimit is R7's bound: DPT × 1.02 + DPTb + DPK. The 2% is floored: for
// a whole number of votes, votes ≤ DPT × 1.02 holds exactly when
// votes ≤ DPT + ⌊DPT × 2 / 100⌋, so integer arithmetic loses nothing.
func (s *state) voteLimit() (int, bool) {
	if !s.hasVotes || !s.present(bit(pemilihDPTJ)|bit(penggunaDPTbJ)|bit(penggunaNonDPTJ)) {
		return 0, false
	}
	dpt := s.v[pemilihDPTJ]
	return dpt + dpt*2/100 + s.v[penggunaDPTbJ] + s.v[penggunaNonDPTJ], true
}

func (s *state) stockBroken() bool {
	return s.present(bit(suratDiterima)|bit(suratDigunakan)|bit(suratRusak)|bit(suratSisa)) &&
		s.v[suratDiterima] != s.v[suratDigunakan]+s.v[suratRusak]+s.v[suratSisa]
}

// stockLimit is the most ballots a TPS may receive: its DPT plus the 2%
// reserve, rounded up as KPU allocates whole ballots, plus the DPTb voters
// (0 when the form does not say). DPT comes from the form, else from the
// registry; with neither the limit is unknown.
func (s *state) stockLimit() (limit, dpt, reserve int, ok bool) {
	switch {
	case s.present(bit(pemilihDPTJ)):
		dpt = s.v[pemilihDPTJ]
	case s.c.TPS.DPT > 0:
		dpt = s.c.TPS.DPT
	default:
		return 0, 0, 0, false
	}
	reserve = (dpt*2 + 99) / 100
	return dpt + reserve + s.v[penggunaDPTbJ], dpt, reserve, true
}

func (s *state) stockOverLimit() bool {
	if !s.present(bit(suratDiterima)) {
		return false
	}
	limit, _, _, ok := s.stockLimit()
	return ok && s.v[suratDiterima] > limit
}
