// Package simulate plays a seeded election night: which TPS reports which
// contest when, and what its count forms say. Forms are built on demand from
// (seed, item) so that a province-sized night never sits in memory at once.
package simulate

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// Kind is what an item of the schedule is.
type Kind int

const (
	Report      Kind = iota // the KPPS's first C.Hasil
	WitnessCopy             // a saksi's C.Salinan of ppwp
	Correction              // the PPK corrects a flagged KPPS form
)

func (k Kind) String() string {
	switch k {
	case Report:
		return "report"
	case WitnessCopy:
		return "witness"
	case Correction:
		return "correction"
	}
	return "unknown"
}

// Config tunes a night. Zero fields take the defaults noted.
type Config struct {
	Seed     int64
	Night    time.Duration   // the whole night compressed; default 10 min
	Contests []siaga.Contest // default all five
	// ErrorRate is the share of KPPS forms with an arithmetic slip that
	// breaks R1 or R2 (default 0.02).
	ErrorRate float64
	// IncompleteRate is the share of KPPS forms missing a section, R12
	// (default 0.005).
	IncompleteRate float64
	// WitnessShare is the share of TPS whose saksi sends a ppwp copy
	// (default 0.3).
	WitnessShare float64
	// DisagreeRate is the share of witness copies that differ from the
	// true count in one number, R11 (default 0.03).
	DisagreeRate float64
	// CorrectionRate is the share of flagged KPPS forms that the PPK later
	// corrects (default 0.5).
	CorrectionRate float64
}

func (c Config) withDefaults() Config {
	if c.Night <= 0 {
		c.Night = 10 * time.Minute
	}
	if len(c.Contests) == 0 {
		c.Contests = siaga.Contests
	}
	def := func(p *float64, v float64) {
		if *p == 0 {
			*p = v
		}
	}
	def(&c.ErrorRate, 0.02)
	def(&c.IncompleteRate, 0.005)
	def(&c.WitnessShare, 0.3)
	def(&c.DisagreeRate, 0.03)
	def(&c.CorrectionRate, 0.5)
	// A negative rate switches a behaviour off; zero already means default.
	for _, p := range []*float64{&c.ErrorRate, &c.IncompleteRate, &c.WitnessShare, &c.DisagreeRate, &c.CorrectionRate} {
		*p = max(*p, 0)
	}
	return c
}

// Item is one submission of the night, small enough to list them all.
type Item struct {
	At      time.Duration // since polls closed, on the compressed clock
	TPS     int           // index into Registry.TPS
	Contest siaga.Contest
	Source  siaga.Source
	Kind    Kind
	Version int // the version this item becomes in its (TPS, contest, source) history
}

// Night is a simulated election night over one registry and election.
type Night struct {
	reg *siaga.Registry
	el  *siaga.Election
	cfg Config
	// dapil[contest][i] is the index into el.Dapil of TPS i's dapil, -1 if none.
	dapil map[siaga.Contest][]int
	plans []dapilPlan // per index into el.Dapil
}

// New prepares a night. reg and el are read, never modified, and must not
// change while the night is in use.
func New(reg *siaga.Registry, el *siaga.Election, cfg Config) *Night {
	n := &Night{reg: reg, el: el, cfg: cfg.withDefaults()}
	n.dapil = dapilIndex(reg, el)
	n.plans = n.planDapil()
	return n
}

// Config returns the configuration with defaults filled in.
func (n *Night) Config() Config { return n.cfg }

// dapilIndex maps every TPS to its dapil per contest: the dapil whose
// Regions holds the longest prefix of the TPS code.
func dapilIndex(reg *siaga.Registry, el *siaga.Election) map[siaga.Contest][]int {
	byCode := map[siaga.Contest]map[string]int{}
	for i, d := range el.Dapil {
		if byCode[d.Contest] == nil {
			byCode[d.Contest] = map[string]int{}
		}
		for _, r := range d.Regions {
			byCode[d.Contest][strings.ReplaceAll(r, ".", "")] = i
		}
	}
	out := make(map[siaga.Contest][]int, len(byCode))
	for c, m := range byCode {
		idx := make([]int, len(reg.TPS))
		for i, t := range reg.TPS {
			idx[i] = longestPrefix(m, t.Code)
		}
		out[c] = idx
	}
	return out
}

func longestPrefix(m map[string]int, code string) int {
	for l := len(code); l > 0; l-- {
		if d, ok := m[code[:l]]; ok {
			return d
		}
	}
	return -1
}

// dapilOf returns the index into el.Dapil of TPS i for contest c, or -1.
func (n *Night) dapilOf(i int, c siaga.Contest) int {
	idx, ok := n.dapil[c]
	if !ok {
		return -1
	}
	return idx[i]
}

// covered reports whether TPS i votes in contest c: ppwp everywhere, the
// others only where a dapil covers the TPS.
func (n *Night) covered(i int, c siaga.Contest) bool {
	return c == siaga.PPWP || n.dapilOf(i, c) >= 0
}

// Schedule lists every submission of the night in order of arrival.
func (n *Night) Schedule() []Item {
	items := make([]Item, 0, len(n.reg.TPS)*len(n.cfg.Contests)*11/10)
	for i := range n.reg.TPS {
		items = n.appendTPS(items, i)
	}
	slices.SortFunc(items, compareItems)
	return items
}

func compareItems(a, b Item) int {
	return cmp.Or(
		cmp.Compare(a.At, b.At),
		cmp.Compare(a.TPS, b.TPS),
		cmp.Compare(contestOrder(a.Contest), contestOrder(b.Contest)),
		cmp.Compare(a.Kind, b.Kind),
		cmp.Compare(a.Version, b.Version),
	)
}

func contestOrder(c siaga.Contest) int { return slices.Index(siaga.Contests, c) }

// appendTPS adds the items of TPS i: a report per contest, then perhaps a
// witness copy and a correction.
func (n *Night) appendTPS(items []Item, i int) []Item {
	tm := n.timing(i)
	for _, c := range n.cfg.Contests {
		if !n.covered(i, c) {
			continue
		}
		at := tm.report(c)
		items = append(items, Item{At: at, TPS: i, Contest: c, Source: siaga.SourceKPPS, Kind: Report, Version: 1})
		f := n.fate(i, c)
		if f.witness {
			items = append(items, Item{At: tm.witnessAt(c), TPS: i, Contest: c, Source: siaga.SourceSaksi, Kind: WitnessCopy, Version: 1})
		}
		if f.corrected {
			items = append(items, Item{At: tm.correctionAt(c), TPS: i, Contest: c, Source: siaga.SourceKPPS, Kind: Correction, Version: 2})
		}
	}
	return items
}
