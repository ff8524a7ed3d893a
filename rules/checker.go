package rules

import (
	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
)

// Registry finds a TPS of the registry (registry.Index).
type Registry interface {
	TPS(code string) (siaga.TPS, bool)
}

// Checker checks submissions against one registry and one election: it
// finds each submission's context once and shares the lookup indexes
// built here, so a form costs map lookups rather than list scans.
type Checker struct {
	reg      Registry
	election *siaga.Election
	dapils   *election.Index
	// ballots holds the index of every dapil's ballot, and of the
	// presidential one under nil.
	ballots map[*siaga.Dapil]*Ballot
}

// NewChecker returns a checker for the TPS of reg and the election e,
// which must not change while the checker is in use.
func NewChecker(reg Registry, e *siaga.Election) *Checker {
	c := &Checker{reg: reg, election: e, dapils: election.NewIndex(e),
		ballots: make(map[*siaga.Dapil]*Ballot, len(e.Dapil)+1)}
	c.ballots[nil] = NewBallot(e, nil)
	for i := range e.Dapil {
		c.ballots[&e.Dapil[i]] = NewBallot(e, &e.Dapil[i])
	}
	return c
}

// Context is what the rules need to know about sub: its TPS and, for a
// contest other than ppwp, the dapil that covers the TPS. A TPS the
// registry lacks or a contest no dapil covers there is refused, naming
// the field.
func (c *Checker) Context(sub *siaga.Submission) (Context, error) {
	t, ok := c.reg.TPS(sub.TPS)
	if !ok {
		return Context{}, siaga.Errorf(siaga.EInvalid, "tps", "TPS %s tidak terdaftar", "TPS %s is not in the registry", sub.TPS)
	}
	ctx := Context{Election: c.election, TPS: t, Ballot: c.ballots[nil]}
	if sub.Contest != siaga.PPWP && sub.Contest.Valid() {
		d, ok := c.dapils.Dapil(sub.Contest, sub.TPS)
		if !ok {
			return Context{}, siaga.Errorf(siaga.EInvalid, "contest", "Tidak ada dapil %s untuk TPS %s",
				"no %s dapil covers TPS %s", sub.Contest, sub.TPS)
		}
		ctx.Dapil, ctx.Ballot = d, c.ballots[d]
	}
	return ctx, nil
}

// Validate refuses a malformed submission (Validate in its context).
func (c *Checker) Validate(sub *siaga.Submission) error {
	ctx, err := c.Context(sub)
	if err != nil {
		return err
	}
	return Validate(sub, ctx)
}

// Inspect validates sub and returns the rules its form breaks (Check),
// both in the one context it finds: what every submission goes through
// before it is stored.
func (c *Checker) Inspect(sub *siaga.Submission) ([]string, error) {
	ctx, err := c.Context(sub)
	if err != nil {
		return nil, err
	}
	if err := Validate(sub, ctx); err != nil {
		return nil, err
	}
	return Check(&sub.Form, ctx), nil
}
