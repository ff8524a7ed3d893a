package results

import (
	"time"

	"github.com/deskpemilu/siaga"
)

func unixTime(ns int64) time.Time { return time.Unix(0, ns).UTC() }

// apply makes r the latest version of its source and moves the tallies of
// every enclosing region by the difference it makes.
func (s *state) apply(r *rec) siaga.Change {
	ts := &s.tpsState[r.tps]
	sl := ts.slots[r.contest]
	if sl == nil {
		sl = &slot{}
		ts.slots[r.contest] = sl
	}
	sl.recs[r.source] = r
	ts.lastContact = max(ts.lastContact, r.receivedAt)
	flags := r.rules | s.slotR11(sl)
	s.ids[r.id] = idRef{
		tps: r.tps, contest: r.contest, source: r.source, version: r.version,
		rules: flags, receivedAt: r.receivedAt, hash: r.hash, contentHash: r.contentHash,
	}

	newFlags := s.slotFlags(sl)
	newContrib := s.contribution(sl)
	newIncomplete := s.incomplete(sl)
	s.seq++
	for _, rt := range s.above[r.tps] {
		ct := &rt.c[r.contest]
		ct.move(sl.contrib, -1)
		ct.move(newContrib, +1)
		ct.incomplete += boolDelta(sl.incomplete, newIncomplete)
		for n := 1; n < nRules; n++ {
			bit := uint16(1) << n
			switch {
			case sl.flags&bit != 0 && newFlags&bit == 0:
				ct.flagged[n]--
			case sl.flags&bit == 0 && newFlags&bit != 0:
				ct.flagged[n]++
			}
		}
		ct.seq = s.seq
	}
	sl.flags, sl.contrib, sl.incomplete = newFlags, newContrib, newIncomplete
	return siaga.Change{
		Seq: s.seq, TPS: s.tps[r.tps].Code, Contest: siaga.Contests[r.contest],
		Source: siaga.Sources[r.source], Version: int(r.version),
		Rules: ruleIDs(flags), At: unixTime(r.receivedAt),
	}
}

// slotR11 is the R11 bit when any two sources of the slot disagree.
func (s *state) slotR11(sl *slot) uint16 {
	for i := 0; i < nSources; i++ {
		for j := i + 1; j < nSources; j++ {
			if sl.recs[i] != nil && sl.recs[j] != nil && disagree(sl.recs[i], sl.recs[j]) {
				return 1 << ruleR11
			}
		}
	}
	return 0
}

// slotFlags is the union of the rules every source's latest version breaks.
func (s *state) slotFlags(sl *slot) uint16 {
	m := s.slotR11(sl)
	for _, r := range sl.recs {
		if r != nil {
			m |= r.rules
		}
	}
	return m
}

// contribution is what the counting source's latest version adds to the
// tallies. Its votes count whenever its vote section was read, even when
// another section is missing (R12 still flags it): that is how KPU's own
// Sirekap aggregates and KawalPemilu count a TPS whose administrative page
// was not read (SPEC §6). The admin numbers (suara_sah, voters) add what
// the form carries, nothing for a missing field. Without a vote section
// the version adds nothing.
func (s *state) contribution(sl *slot) *contrib {
	r := sl.recs[s.counting]
	if r == nil || !r.votesRead {
		return nil
	}
	c := &contrib{opts: r.opts}
	c.sah = int64(r.adminValue("suara_sah"))
	c.tidak = int64(r.adminValue("suara_tidak_sah"))
	c.voters = int64(r.adminValue("pengguna_total_j"))
	if r.hasAdmin("pengguna_total_j") {
		// Turnout compares voters with the voter list of the TPS that
		// said how many voted, so a form without the field does not
		// lower it.
		c.dpt = int64(s.tps[r.tps].DPT)
	}
	return c
}

func (r *rec) hasAdmin(field string) bool {
	return r.adminMask&(1<<adminSlot[field]) != 0
}

// incomplete reports whether the counting source sent a version without
// a vote section: the TPS is received, but neither counted nor missing.
func (s *state) incomplete(sl *slot) bool {
	r := sl.recs[s.counting]
	return r != nil && !r.votesRead
}

// boolDelta is how a counter of true values moves when was becomes is.
func boolDelta(was, is bool) int32 {
	switch {
	case was && !is:
		return -1
	case !was && is:
		return 1
	}
	return 0
}

func (r *rec) adminValue(field string) int32 {
	i := adminSlot[field]
	if r.adminMask&(1<<i) == 0 {
		return 0
	}
	return r.admin[i]
}

// move adds (sign +1) or removes (sign -1) a contribution.
func (ct *contestTally) move(c *contrib, sign int64) {
	if c == nil {
		return
	}
	ct.reported += int32(sign)
	ct.sah += sign * c.sah
	ct.tidak += sign * c.tidak
	ct.voters += sign * c.voters
	ct.votersDPT += sign * c.dpt
	for _, o := range c.opts {
		for int(o.idx) >= len(ct.opts) {
			ct.opts = append(ct.opts, 0)
		}
		ct.opts[o.idx] += sign * int64(o.n)
	}
}
