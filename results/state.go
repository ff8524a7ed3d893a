package results

import (
	"fmt"
	"sort"
	"sync"

	"github.com/deskpemilu/siaga"
	"github.com/google/uuid"
)

const (
	nContests = 5
	nSources  = 4
	nRules    = 13 // bit i is rule Ri; bit 0 unused
	ruleR11   = 11
	ruleR12   = 12
)

// state is everything the engine knows, derived from the stored versions.
// The writer changes it under Engine.mu; readers hold the read lock.
type state struct {
	counting int
	tps      []siaga.TPS // the registry's, ordered by code
	tpsIdx   map[string]int32
	tpsState []tpsState
	regions  map[string]*regionTally
	// above[i] are the tallies of the regions enclosing TPS i.
	above   [][]*regionTally
	ids     map[uuid.UUID]idRef
	options [nContests]*optionSet
	seq     uint64
	series  seriesStore
}

type tpsState struct {
	slots       [nContests]*slot
	lastContact int64 // unix nanoseconds
}

// slot is one contest of one TPS: the latest version of every source and
// what it currently adds to the tallies above it.
type slot struct {
	recs  [nSources]*rec
	flags uint16
	// incomplete: the counting source's latest version has no vote
	// section, so the TPS is received but adds nothing (SPEC §6).
	incomplete bool
	contrib    *contrib
}

// rec is the compact, in-memory summary of a latest version. Full forms
// stay in the store: a night of legislative forms would not fit in memory.
type rec struct {
	tps         int32
	contest     uint8
	source      uint8
	version     int32
	id          uuid.UUID
	hash        string
	contentHash string
	formDigest  uint64
	votesDigest uint64
	hasVotes    bool
	// votesRead: the vote section holds at least one count. An empty
	// section is as good as none (rule R12), so only then do the votes
	// count.
	votesRead  bool
	receivedAt int64
	rules      uint16 // form rules, without R11
	adminMask  uint32
	admin      [22]int32
	opts       []optVal
}

type optVal struct {
	idx int32
	n   int32
}

// idRef is what a replay needs to answer with the original receipt.
type idRef struct {
	tps         int32
	contest     uint8
	source      uint8
	version     int32
	rules       uint16
	receivedAt  int64
	hash        string
	contentHash string
}

type contrib struct {
	opts   []optVal
	sah    int64
	tidak  int64
	voters int64
	dpt    int64 // DPT of the TPS, when the form says how many voted
}

type regionTally struct {
	code     string
	tpsTotal int32
	dpt      int64
	c        [nContests]contestTally
}

type contestTally struct {
	reported int32
	// incomplete counts the TPS whose counting source sent a form
	// without a vote section: received, not counted, not missing.
	incomplete int32
	opts       []int64
	sah        int64
	tidak      int64
	voters     int64
	votersDPT  int64 // DPT of the TPS in voters, for turnout
	flagged    [nRules]int32
	seq        uint64
}

// optionSet numbers the ballot options of one contest.
type optionSet struct {
	mu   sync.RWMutex
	idx  map[string]int32
	keys []string
}

// indexBytes is index for a key read in place from a stored form: a
// known key, nearly every one, costs no string.
func (o *optionSet) indexBytes(key []byte) int32 {
	o.mu.RLock()
	i, ok := o.idx[string(key)]
	o.mu.RUnlock()
	if ok {
		return i
	}
	return o.index(string(key))
}

func (o *optionSet) index(key string) int32 {
	o.mu.RLock()
	i, ok := o.idx[key]
	o.mu.RUnlock()
	if ok {
		return i
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if i, ok := o.idx[key]; ok {
		return i
	}
	i = int32(len(o.keys))
	o.idx[key] = i
	o.keys = append(o.keys, key)
	return i
}

func newState(reg *siaga.Registry, el *siaga.Election, counting siaga.Source) (*state, error) {
	s := &state{
		counting: sourceIndex(counting),
		tps:      reg.TPS,
		tpsIdx:   make(map[string]int32, len(reg.TPS)),
		tpsState: make([]tpsState, len(reg.TPS)),
		regions:  make(map[string]*regionTally, len(reg.Regions)),
		above:    make([][]*regionTally, len(reg.TPS)),
		ids:      make(map[uuid.UUID]idRef),
	}
	if s.counting < 0 {
		return nil, fmt.Errorf("results: unknown counting source %q", counting)
	}
	for i := range s.options {
		s.options[i] = &optionSet{idx: map[string]int32{}}
	}
	seedOptions(s.options, el)
	for _, r := range reg.Regions {
		rt := &regionTally{code: r.Code}
		s.regions[r.Code] = rt
		if siaga.LevelOf(r.Code) <= siaga.LevelKecamatan {
			s.series.tracked = append(s.series.tracked, rt)
		}
	}
	for i, t := range reg.TPS {
		s.tpsIdx[t.Code] = int32(i)
		for _, code := range siaga.Ancestors(t.Code) {
			rt, ok := s.regions[code]
			if !ok {
				return nil, fmt.Errorf("results: TPS %s lies in region %s, which is not in the registry", t.Code, code)
			}
			rt.tpsTotal++
			rt.dpt += int64(t.DPT)
			s.above[i] = append(s.above[i], rt)
		}
	}
	return s, nil
}

// seedOptions numbers the options in ballot order so tallies list them so.
func seedOptions(opts [nContests]*optionSet, el *siaga.Election) {
	if el == nil {
		return
	}
	for _, t := range el.Tickets {
		opts[contestIndex(siaga.PPWP)].index(t.Number)
	}
	for _, p := range el.Parties {
		for _, c := range siaga.Contests {
			if c.Legislative() {
				opts[contestIndex(c)].index(fmt.Sprint(p.Number))
			}
		}
	}
	for _, d := range el.Dapil {
		if d.Contest == siaga.DPD {
			for _, c := range d.Candidates {
				opts[contestIndex(siaga.DPD)].index(c.ID)
			}
		}
	}
}

func contestIndex(c siaga.Contest) int {
	for i, k := range siaga.Contests {
		if k == c {
			return i
		}
	}
	return -1
}

func sourceIndex(s siaga.Source) int {
	for i, k := range siaga.Sources {
		if k == s {
			return i
		}
	}
	return -1
}

func (s *state) tpsIndex(code string) int32 {
	i, ok := s.tpsIdx[code]
	if !ok {
		return -1
	}
	return i
}

// tpsRange returns the indexes [lo, hi) of the TPS whose code starts with
// prefix; TPS are ordered by code, so a region is one contiguous run.
func (s *state) tpsRange(prefix string) (int, int) {
	lo := sort.Search(len(s.tps), func(i int) bool { return s.tps[i].Code >= prefix })
	hi := sort.Search(len(s.tps), func(i int) bool {
		c := s.tps[i].Code
		return c >= prefix && !hasPrefix(c, prefix)
	})
	return lo, hi
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
