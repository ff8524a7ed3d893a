// Package rules checks count forms: Validate refuses malformed submissions
// and Check lists the arithmetic rules R1–R12 of SPEC section 5 that an
// accepted form breaks. Breaking a rule never refuses a form: a desk needs
// to see what the TPS wrote, mistakes included.
package rules

import (
	"strconv"

	"github.com/deskpemilu/siaga"
)

// MaxCount is the largest number one field of a form may hold. No TPS has
// more than a few hundred voters; anything above this is a typo or an attack.
const MaxCount = 100000

// MaxReason is the longest correction reason, in characters.
const MaxReason = 500

// MaxVersion is the highest version number a correction may name: the
// engine numbers versions in 32 bits, and no history comes near.
const MaxVersion = 1<<31 - 1

// Context is what Validate and Check need besides the form: the election,
// the registry's TPS and the TPS's dapil for the submission's contest (nil
// for ppwp).
type Context struct {
	Election *siaga.Election
	TPS      siaga.TPS
	Dapil    *siaga.Dapil
	// Ballot is optional: NewBallot(Election, Dapil), built once per dapil
	// and shared, turns the list scans of Validate into map lookups.
	Ballot *Ballot
}

// Ballot indexes the options a form may carry in one dapil.
type Ballot struct {
	tickets    map[string]struct{}
	parties    map[string]struct{}
	candidates map[string]int // candidate id → party number, 0 for DPD
}

// NewBallot indexes the tickets and parties of e and the candidates of d
// (which may be nil, for ppwp).
func NewBallot(e *siaga.Election, d *siaga.Dapil) *Ballot {
	b := &Ballot{
		tickets:    make(map[string]struct{}, len(e.Tickets)),
		parties:    make(map[string]struct{}, len(e.Parties)),
		candidates: make(map[string]int),
	}
	for _, t := range e.Tickets {
		b.tickets[t.Number] = struct{}{}
	}
	for _, p := range e.Parties {
		b.parties[strconv.Itoa(p.Number)] = struct{}{}
	}
	if d != nil {
		for _, c := range d.Candidates {
			b.candidates[c.ID] = c.Party
		}
	}
	return b
}

func (c *Context) hasTicket(number string) bool {
	if c.Ballot != nil {
		_, ok := c.Ballot.tickets[number]
		return ok
	}
	for _, t := range c.Election.Tickets {
		if t.Number == number {
			return true
		}
	}
	return false
}

// hasParty reports whether key is the canonical decimal number ("4", not
// "04") of a party of the election.
func (c *Context) hasParty(key string) bool {
	if c.Ballot != nil {
		_, ok := c.Ballot.parties[key]
		return ok
	}
	n, ok := partyNumber(key)
	if !ok {
		return false
	}
	for _, p := range c.Election.Parties {
		if p.Number == n {
			return true
		}
	}
	return false
}

// candidateParty returns the party of candidate id on the dapil's list.
func (c *Context) candidateParty(id string) (int, bool) {
	if c.Ballot != nil {
		p, ok := c.Ballot.candidates[id]
		return p, ok
	}
	if c.Dapil == nil {
		return 0, false
	}
	for _, k := range c.Dapil.Candidates {
		if k.ID == id {
			return k.Party, true
		}
	}
	return 0, false
}

// partyNumber parses a party key without allocating; only canonical
// decimals are accepted so that one party has exactly one key.
func partyNumber(key string) (int, bool) {
	if key == "" || len(key) > 3 || key[0] == '0' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(key); i++ {
		if key[i] < '0' || key[i] > '9' {
			return 0, false
		}
		n = n*10 + int(key[i]-'0')
	}
	return n, true
}
