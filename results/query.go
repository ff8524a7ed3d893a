package results

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
)

// Tally returns the tally of contest over a region, or over one TPS when
// region is a TPS code.
func (e *Engine) Tally(contest siaga.Contest, region string) (siaga.Tally, bool) {
	c := contestIndex(contest)
	if c < 0 {
		return siaga.Tally{}, false
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	if rt, ok := e.st.regions[region]; ok {
		return e.st.tallyOf(rt, c), true
	}
	if t := e.st.tpsIndex(region); t >= 0 {
		return e.st.tpsTally(t, c), true
	}
	return siaga.Tally{}, false
}

func (s *state) tallyOf(rt *regionTally, c int) siaga.Tally {
	ct := &rt.c[c]
	t := siaga.Tally{
		Region: rt.code, Contest: siaga.Contests[c], TPSTotal: int(rt.tpsTotal),
		TPSReported: int(ct.reported), TPSIncomplete: int(ct.incomplete), Votes: map[string]int64{}, SuaraSah: ct.sah,
		SuaraTidakSah: ct.tidak, Voters: ct.voters, VotersDPT: ct.votersDPT, DPT: rt.dpt, Flagged: map[string]int{}, Seq: ct.seq,
	}
	set := s.options[c]
	set.mu.RLock()
	for i, key := range set.keys {
		if i < len(ct.opts) {
			t.Votes[key] = ct.opts[i]
		} else {
			t.Votes[key] = 0
		}
	}
	set.mu.RUnlock()
	for n := 1; n < nRules; n++ {
		if ct.flagged[n] > 0 {
			t.Flagged["R"+strconv.Itoa(n)] = int(ct.flagged[n])
		}
	}
	return t
}

func (s *state) tpsTally(t int32, c int) siaga.Tally {
	var rt regionTally
	rt.code = s.tps[t].Code
	rt.tpsTotal = 1
	rt.dpt = int64(s.tps[t].DPT)
	if sl := s.tpsState[t].slots[c]; sl != nil {
		rt.c[c].move(sl.contrib, 1)
		if sl.incomplete {
			rt.c[c].incomplete = 1
		}
		for n := 1; n < nRules; n++ {
			if sl.flags&(1<<n) != 0 {
				rt.c[c].flagged[n] = 1
			}
		}
		rt.c[c].seq = s.seq
	}
	return s.tallyOf(&rt, c)
}

// Progress returns how many TPS of a region have reported each contest.
func (e *Engine) Progress(region string) (siaga.Progress, bool) {
	postponed := e.postponedIn(region)
	e.mu.RLock()
	defer e.mu.RUnlock()
	rt, ok := e.st.regions[region]
	if !ok {
		return siaga.Progress{}, false
	}
	p := siaga.Progress{Region: region, TPSTotal: int(rt.tpsTotal), Reported: map[siaga.Contest]int{},
		Incomplete: map[siaga.Contest]int{}, Postponed: map[siaga.Contest]int{}}
	for i, c := range siaga.Contests {
		p.Reported[c] = int(rt.c[i].reported)
		p.Incomplete[c] = int(rt.c[i].incomplete)
		p.Postponed[c] = 0
		p.Seq = max(p.Seq, rt.c[i].seq)
	}
	// The postponed TPS are few: each is looked at, not every TPS.
	for _, pp := range postponed {
		t := e.st.tpsIndex(pp.TPS)
		if t < 0 {
			continue
		}
		for c, sl := range e.st.tpsState[t].slots {
			if sl == nil || (sl.contrib == nil && !sl.incomplete) {
				p.Postponed[siaga.Contests[c]]++
			}
		}
	}
	return p, true
}

// connRank puts the TPS a runner must reach first: blank spots, then weak
// signal.
func connRank(c siaga.Connectivity) int {
	switch c {
	case siaga.BlankSpot:
		return 0
	case siaga.SignalWeak:
		return 1
	}
	return 2
}

// Series returns the progress over time of a contest in a region (TPS
// reported): every contest down to kab/kota, the presidential one down to
// kecamatan; nil where none is kept.
func (e *Engine) Series(contest siaga.Contest, region string) []siaga.ProgressPoint {
	c := contestIndex(contest)
	if c < 0 {
		return nil
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	return slices.Clone(e.st.series.points[seriesKey{region, uint8(c)}])
}

// History returns every version of one TPS from the store, oldest first.
func (e *Engine) History(ctx context.Context, tps string) ([]siaga.Version, error) {
	vs, err := e.cfg.Store.VersionsOfTPS(ctx, tps)
	if err != nil {
		return nil, fmt.Errorf("results: history of %s: %w", tps, err)
	}
	return vs, nil
}

// Latest returns the latest version of every contest and source of a TPS.
func (e *Engine) Latest(tps string) []siaga.Version {
	vs, err := e.History(context.Background(), tps)
	if err != nil {
		e.cfg.Logger.Error("reading TPS history", "tps", tps, "err", err)
		return nil
	}
	latest := map[siaga.Key]int{}
	var out []siaga.Version
	for _, v := range vs {
		if i, ok := latest[v.Key]; ok {
			out[i] = v
			continue
		}
		latest[v.Key] = len(out)
		out = append(out, v)
	}
	return out
}

// Seq is the number of versions applied so far.
func (e *Engine) Seq() uint64 {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.st.seq
}

// LatestVersion is the number of the latest version of a history, 0 when
// there is none.
func (e *Engine) LatestVersion(k siaga.Key) int {
	t, c, src := e.st.tpsIndex(k.TPS), contestIndex(k.Contest), sourceIndex(k.Source)
	if t < 0 || c < 0 || src < 0 {
		return 0
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	if r := e.st.latest(slotKey{tps: t, contest: uint8(c), source: uint8(src)}); r != nil {
		return int(r.version)
	}
	return 0
}

// SubmissionTPS returns the TPS code of a stored submission.
func (e *Engine) SubmissionTPS(id string) (string, bool) {
	u, err := uuid.Parse(id)
	if err != nil {
		return "", false
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	ref, ok := e.st.ids[u]
	if !ok {
		return "", false
	}
	return e.st.tps[ref.tps].Code, true
}

// Received counts, per source, the TPS of a region that hold a version of
// contest from that source, whether it counts or not. It scans the
// region's TPS: for one-shot commands, not for every request.
func (e *Engine) Received(region string, contest siaga.Contest) map[siaga.Source]int {
	c := contestIndex(contest)
	out := map[siaga.Source]int{}
	if c < 0 {
		return out
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	lo, hi := e.st.tpsRange(region)
	for i := lo; i < hi; i++ {
		sl := e.st.tpsState[i].slots[c]
		if sl == nil {
			continue
		}
		for src, r := range sl.recs {
			if r != nil {
				out[siaga.Sources[src]]++
			}
		}
	}
	return out
}

// Counting is the source whose forms make the official tally.
func (e *Engine) Counting() siaga.Source { return siaga.Sources[e.st.counting] }
