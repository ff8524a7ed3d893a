package search

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/deskpemilu/siaga"
)

// counter counts, per name, the trigrams it shares with a query, and
// marks the names already found. One is taken from the index's pool per
// search and cleared after.
type counter struct {
	counts  []uint8
	touched []int32 // names counted
	found   []bool
	marked  []int32 // names found
}

func (x *Index) counter() *counter { return x.scratch.Get().(*counter) }

// release returns c to the pool: typoCandidates cleared its counts and
// byName its marks, each as soon as it was done with them.
func (x *Index) release(c *counter) { x.scratch.Put(c) }

// found is a name matched by one reading of the query.
type found struct {
	name  int32
	class class
	dist  uint8
	hint  kind
	place []string // words the region's kecamatan, kab/kota or province must hold
}

// reading is one way to understand the query's words: all of them a name,
// or the first a name and the rest where it lies ("sukamaju labuan", to
// pick one of the 65 Sukamaju).
type reading struct {
	key   string
	hint  kind
	place []string
}

// maxPlaceWords bounds the words read as a place, so that a long query
// costs a few readings, not one per word.
const maxPlaceWords = 3

func (p query) readings() []reading {
	var rs []reading
	for _, v := range p.variants {
		if len(v.key) == 0 || len(v.key) > maxSearchKey {
			continue
		}
		rs = append(rs, reading{key: v.key, hint: v.hint})
		for k := len(v.words) - 1; k >= 1 && len(v.words)-k <= maxPlaceWords; k-- {
			place := v.words[k:]
			if name := strings.Join(v.words[:k], ""); len(name) >= minWord && allLonger(place, minWord-1) {
				rs = append(rs, reading{key: name, hint: v.hint, place: place})
			}
		}
	}
	return rs
}

func allLonger(ws []string, n int) bool {
	for _, w := range ws {
		if len(w) <= n {
			return false
		}
	}
	return true
}

// inPlace reports whether every word of place is in the name of a region
// enclosing at (a mistake forgiven in words of five letters or more).
func (x *Index) inPlace(at int32, place []string) bool {
	anc := siaga.Ancestors(x.regions[at].code)
	for _, w := range place {
		ok := false
		for _, code := range anc {
			i, found := x.regionAt(code)
			if !found {
				continue
			}
			k := x.names[x.regions[i].key].key
			if strings.Contains(k, w) || len(w) >= minTypoPrefix && Distance(w, k, 1) <= 1 {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// byName ranks every region whose name matches a reading of the query:
// exact names, then prefixes, then typing mistakes by distance, then later
// words, then prefixes with a mistake; within each, the kind of region the
// query named first, then fewer mistakes, larger regions, and code order.
func (x *Index) byName(p query, end int) ([]hit, int) {
	var fs []found
	c := x.counter()
	rs := p.readings()
	for _, r := range rs {
		fs = x.matchKey(c, fs, r)
		// Each reading finds its names afresh; a region found by both
		// is kept once, below, at its better rank.
		for _, id := range c.marked {
			c.found[id] = false
		}
		c.marked = c.marked[:0]
	}
	x.release(c)
	var hits []hit
	for _, f := range fs {
		n := x.names[f.name]
		for _, at := range x.members[n.lo:n.hi] {
			if len(f.place) > 0 && !x.inPlace(at, f.place) {
				continue
			}
			miss := f.hint != kindNone && !f.hint.matches(x.regions[at].kind)
			hits = append(hits, hit{at: at, tps: -1, class: f.class, dist: f.dist, miss: miss})
		}
	}
	if len(rs) > 1 {
		// A region found by both readings counts once, at its best rank.
		slices.SortFunc(hits, func(a, b hit) int {
			if a.at != b.at {
				return int(a.at - b.at)
			}
			return x.rank(a, b)
		})
		hits = slices.CompactFunc(hits, func(a, b hit) bool { return a.at == b.at })
	}
	return top(hits, end, x.rank), len(hits)
}

// top returns the first end hits in rank order. A one-letter query
// matches thousands of names and a page shows ten: sorting them all
// would be most of the search's work, so they are selected first.
func top(hits []hit, end int, rank func(a, b hit) int) []hit {
	if end >= len(hits)/8 {
		slices.SortFunc(hits, rank)
		return hits[:min(end, len(hits))]
	}
	// A max-heap of the best end so far: its root is the worst of them.
	h := slices.Clone(hits[:end])
	less := func(i, j int) bool { return rank(h[i], h[j]) > 0 }
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			if r := l + 1; r < len(h) && less(r, l) {
				l = r
			}
			if !less(l, i) {
				return
			}
			h[i], h[l] = h[l], h[i]
			i = l
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		down(i)
	}
	for _, x := range hits[end:] {
		if rank(x, h[0]) < 0 {
			h[0] = x
			down(0)
		}
	}
	slices.SortFunc(h, rank)
	return h
}

// rank orders two hits of regions.
func (x *Index) rank(a, b hit) int {
	if a.class != b.class {
		return int(a.class) - int(b.class)
	}
	if a.miss != b.miss {
		if a.miss {
			return 1
		}
		return -1
	}
	if a.dist != b.dist {
		return int(a.dist) - int(b.dist)
	}
	ra, rb := &x.regions[a.at], &x.regions[b.at]
	if ra.level != rb.level {
		return int(ra.level) - int(rb.level)
	}
	return strings.Compare(ra.code, rb.code)
}

// matchKey appends the names that a reading's key matches, each once at
// its best class. A name read with a place must be whole, give or take
// typing mistakes: the start of a name somewhere is not what was meant.
func (x *Index) matchKey(c *counter, fs []found, r reading) []found {
	key, whole := r.key, len(r.place) > 0
	add := func(id int32, cl class, d int) {
		if whole && cl != className && cl != classTypo {
			return
		}
		if !c.found[id] {
			c.found[id] = true
			c.marked = append(c.marked, id)
			fs = append(fs, found{name: id, class: cl, dist: uint8(d), hint: r.hint, place: r.place})
		}
	}
	// Exact and prefix: the run of sorted keys that begin with key.
	lo, _ := slices.BinarySearchFunc(x.names, key, func(n name, k string) int { return strings.Compare(n.key, k) })
	for i := lo; i < len(x.names) && strings.HasPrefix(x.names[i].key, key); i++ {
		if x.names[i].key == key {
			add(int32(i), className, 0)
		} else {
			add(int32(i), classPrefix, 0)
		}
	}
	typos := maxTypos(len(key))
	var typoPrefix []int32
	if typos > 0 || len(key) >= minTypoPrefix {
		typoPrefix = x.typoCandidates(c, key, typos, func(id int32, d int) { add(id, classTypo, d) })
	}
	if len(key) >= minWord {
		w, _ := slices.BinarySearchFunc(x.words, key, func(w word, k string) int { return strings.Compare(w.key, k) })
		for ; w < len(x.words) && strings.HasPrefix(x.words[w].key, key); w++ {
			add(x.words[w].name, classWord, 0)
		}
	}
	for _, id := range typoPrefix {
		add(id, classTypoPrefix, 1)
	}
	return fs
}

// typoCandidates calls typo for every name within typos mistakes of key,
// and returns the names whose start is within one mistake of it (for
// classTypoPrefix, which ranks after words). Candidates are the names that
// share enough of the key's trigrams: one mistake changes at most four
// (a swap), so a name within d mistakes shares all but 4·d.
func (x *Index) typoCandidates(c *counter, key string, typos int, typo func(id int32, d int)) []int32 {
	defer func() {
		for _, id := range c.touched {
			c.counts[id] = 0
		}
		c.touched = c.touched[:0]
	}()
	// Only the trigrams of the key typed so far: a prefix has no end.
	ts := uniq(trigrams(nil, key, false))
	for _, t := range ts {
		for _, id := range x.grams[t] {
			if c.counts[id] == 0 {
				c.touched = append(c.touched, id)
			}
			c.counts[id]++
		}
	}
	prefixTypos := 0
	if len(key) >= minTypoPrefix {
		prefixTypos = 1
	}
	need := len(ts) - 4*max(typos, prefixTypos)
	letters := letterSet(key)
	var prefixes []int32
	for _, id := range c.touched {
		if int(c.counts[id]) < need {
			continue
		}
		k := x.names[id].key
		nl := x.names[id].letters
		if typos > 0 && int(c.counts[id]) >= len(ts)-4*typos &&
			bits.OnesCount64(letters&^nl) <= typos && bits.OnesCount64(nl&^letters) <= typos {
			if d := Distance(key, k, typos); d > 0 && d <= typos {
				typo(id, d)
				continue
			}
		}
		if prefixTypos > 0 && len(k) > len(key) && bits.OnesCount64(letters&^letterSet(k[:min(len(k), len(key)+1)])) <= prefixTypos &&
			prefixDistance(key, k, prefixTypos) <= prefixTypos {
			prefixes = append(prefixes, id)
		}
	}
	slices.Sort(prefixes)
	return prefixes
}
