package search

import (
	"slices"
	"strings"
)

// counter counts, per name, the trigrams it shares with a query. One is
// taken from the index's pool per search and cleared after.
type counter struct {
	counts  []uint8
	touched []int32
}

// found is a name matched by one reading of the query.
type found struct {
	name  int32
	class class
	dist  uint8
	hint  kind
}

// byName ranks every region whose name matches a reading of the query:
// exact names, then prefixes, then typing mistakes by distance, then later
// words, then prefixes with a mistake; within each, the kind of region the
// query named first, then fewer mistakes, larger regions, and code order.
func (x *Index) byName(p query) []hit {
	var fs []found
	for _, v := range p.variants {
		if len(v.key) == 0 || len(v.key) > maxSearchKey {
			continue
		}
		fs = x.matchKey(fs, v.key, v.hint)
	}
	var hits []hit
	for _, f := range fs {
		n := x.names[f.name]
		for _, at := range x.members[n.lo:n.hi] {
			miss := f.hint != kindNone && !f.hint.matches(x.regions[at].kind)
			hits = append(hits, hit{at: at, tps: -1, class: f.class, dist: f.dist, miss: miss})
		}
	}
	// A region found by both readings counts once, at its best rank.
	slices.SortFunc(hits, func(a, b hit) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return x.rank(a, b)
	})
	hits = slices.CompactFunc(hits, func(a, b hit) bool { return a.at == b.at })
	slices.SortFunc(hits, x.rank)
	return hits
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

// matchKey appends the names that key matches, each once at its best class.
func (x *Index) matchKey(fs []found, key string, hint kind) []found {
	seen := map[int32]bool{}
	add := func(id int32, c class, d int) {
		if !seen[id] {
			seen[id] = true
			fs = append(fs, found{name: id, class: c, dist: uint8(d), hint: hint})
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
		typoPrefix = x.typoCandidates(key, typos, func(id int32, d int) { add(id, classTypo, d) })
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
func (x *Index) typoCandidates(key string, typos int, typo func(id int32, d int)) []int32 {
	c := x.scratch.Get().(*counter)
	defer func() {
		for _, id := range c.touched {
			c.counts[id] = 0
		}
		c.touched = c.touched[:0]
		x.scratch.Put(c)
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
	var prefixes []int32
	for _, id := range c.touched {
		if int(c.counts[id]) < need {
			continue
		}
		k := x.names[id].key
		if typos > 0 && int(c.counts[id]) >= len(ts)-4*typos {
			if d := distance(key, k, typos); d > 0 && d <= typos {
				typo(id, d)
				continue
			}
		}
		if prefixTypos > 0 && len(k) > len(key) && prefixDistance(key, k) <= prefixTypos {
			prefixes = append(prefixes, id)
		}
	}
	slices.Sort(prefixes)
	return prefixes
}

// prefixDistance is the fewest mistakes (at most 1; 2 means more) that
// make key the start of name: name cut to the key's length give or take
// a letter.
func prefixDistance(key, name string) int {
	best := 2
	for n := len(key) - 1; n <= len(key)+1 && n <= len(name); n++ {
		best = min(best, distance(key, name[:n], 1))
	}
	return best
}
