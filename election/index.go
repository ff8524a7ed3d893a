package election

import "github.com/deskpemilu/siaga"

// Index answers the per-submission lookups on an election from maps built
// once. Pointers it returns point into the indexed election, which must not
// change while the index is in use.
type Index struct {
	e          *siaga.Election
	dapil      map[siaga.Contest]map[string]int // region code → index in e.Dapil
	byName     map[dapilKey]int
	candidates []map[string]int // per dapil: candidate id → index
	tickets    map[string]int
	sirekap    map[string]int
	parties    map[int]int
}

// NewIndex indexes e, which should have passed Validate: where regions
// overlap, the later dapil wins.
func NewIndex(e *siaga.Election) *Index {
	x := &Index{
		e:          e,
		dapil:      map[siaga.Contest]map[string]int{},
		byName:     make(map[dapilKey]int, len(e.Dapil)),
		candidates: make([]map[string]int, len(e.Dapil)),
		tickets:    make(map[string]int, len(e.Tickets)),
		sirekap:    make(map[string]int, len(e.Tickets)),
		parties:    make(map[int]int, len(e.Parties)),
	}
	for i, d := range e.Dapil {
		if x.dapil[d.Contest] == nil {
			x.dapil[d.Contest] = map[string]int{}
		}
		for _, r := range d.Regions {
			x.dapil[d.Contest][r] = i
		}
		x.byName[dapilKey{d.Contest, d.Name}] = i
		x.candidates[i] = make(map[string]int, len(d.Candidates))
		for j, c := range d.Candidates {
			x.candidates[i][c.ID] = j
		}
	}
	for i, t := range e.Tickets {
		x.tickets[t.Number] = i
		if t.SirekapID != "" {
			x.sirekap[t.SirekapID] = i
		}
	}
	for i, p := range e.Parties {
		x.parties[p.Number] = i
	}
	return x
}

// Dapil returns the dapil of contest that holds a TPS or region: the one
// listing the longest prefix of code. The presidential contest has none.
func (x *Index) Dapil(contest siaga.Contest, tpsOrRegionCode string) (*siaga.Dapil, bool) {
	m := x.dapil[contest]
	if m == nil {
		return nil, false
	}
	for c := tpsOrRegionCode; c != ""; c = siaga.ParentCode(c) {
		if i, ok := m[c]; ok {
			return &x.e.Dapil[i], true
		}
	}
	return nil, false
}

// Candidate returns the candidate with that id on d's list. d is found by
// contest and name, so a copy of the dapil works too.
func (x *Index) Candidate(d *siaga.Dapil, id string) (siaga.Candidate, bool) {
	if d == nil {
		return siaga.Candidate{}, false
	}
	i, ok := x.byName[dapilKey{d.Contest, d.Name}]
	if !ok {
		return siaga.Candidate{}, false
	}
	j, ok := x.candidates[i][id]
	if !ok {
		return siaga.Candidate{}, false
	}
	return x.e.Dapil[i].Candidates[j], true
}

// Ticket returns the presidential ticket with that number ("01").
func (x *Index) Ticket(number string) (siaga.Ticket, bool) {
	i, ok := x.tickets[number]
	if !ok {
		return siaga.Ticket{}, false
	}
	return x.e.Tickets[i], true
}

// TicketBySirekapID returns the ticket KPU's Sirekap JSON calls id ("100025").
func (x *Index) TicketBySirekapID(id string) (siaga.Ticket, bool) {
	i, ok := x.sirekap[id]
	if !ok {
		return siaga.Ticket{}, false
	}
	return x.e.Tickets[i], true
}

// Party returns the party with that ballot number.
func (x *Index) Party(number int) (siaga.Party, bool) {
	i, ok := x.parties[number]
	if !ok {
		return siaga.Party{}, false
	}
	return x.e.Parties[i], true
}
