// Package search finds regions and TPS by code or by name, forgiving
// typing mistakes: an official looks for "Sukamaju" among the 65 desa of
// that name, or types "pandeglan" for Pandeglang. The index is built once
// from the registry when a node starts and never changes after, so any
// number of searches run at once without locks.
//
// Names are compared as keys (lower case, no punctuation nor spaces, the
// "desa"/"kel."/"kec."/"kab." words dropped). Exact names and prefixes come
// from the sorted keys; typing mistakes from trigram candidates checked
// with a bounded Damerau-Levenshtein distance; codes from code-sorted
// arrays by prefix.
package search

import (
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/deskpemilu/siaga"
)

// Index answers searches over one registry.
type Index struct {
	regions []region           // every region, sorted by code
	byLevel [5][]int32         // regions of each level (province..desa), code order
	tps     []siaga.TPS        // the registry's TPS, sorted by code; shared, not copied
	names   []name             // distinct keys, sorted
	members []int32            // regions by name: names[i].members indexes here
	grams   map[uint32][]int32 // trigram → names holding it, ascending
	words   []word             // later words of many-word names, sorted
	scratch sync.Pool          // *counter, one per concurrent search
	_       [0]func()          // not comparable
}

type region struct {
	code  string
	name  string
	level siaga.Level
	kind  kind
	key   int32 // in names
}

// name is one distinct key and the regions that bear it.
type name struct {
	key        string
	letters    uint64 // letterSet of key
	lo, hi     int32  // in members
	firstWords int32  // length of the key's first word, for word matches
}

// word is a word after the first of a name of several words: "nabara" of
// "N-1 Aek Nabara", found when someone types only the part they remember.
type word struct {
	key  string
	name int32
}

// New indexes reg. reg.TPS is kept, not copied: it must not change while
// the index is in use (the node never changes it).
func New(reg *siaga.Registry) *Index {
	x := &Index{tps: reg.TPS, grams: map[uint32][]int32{}}
	byCode := func(a, b siaga.TPS) int { return strings.Compare(a.Code, b.Code) }
	if !slices.IsSortedFunc(x.tps, byCode) {
		x.tps = slices.Clone(x.tps)
		slices.SortFunc(x.tps, byCode)
	}
	x.regions = make([]region, 0, len(reg.Regions))
	for _, r := range reg.Regions {
		if r.Level >= siaga.LevelProvince && r.Level <= siaga.LevelDesa {
			x.regions = append(x.regions, region{code: r.Code, name: r.Name, level: r.Level, kind: kindOf(r)})
		}
	}
	slices.SortFunc(x.regions, func(a, b region) int { return strings.Compare(a.code, b.code) })
	for i, r := range x.regions {
		x.byLevel[r.level] = append(x.byLevel[r.level], int32(i))
	}
	x.indexNames()
	x.scratch.New = func() any { return &counter{counts: make([]uint8, len(x.names)), found: make([]bool, len(x.names))} }
	return x
}

// kindOf reads a region's kind from its level, its name (kabupaten or
// kota) and its code (a desa code's seventh digit is 1 for a kelurahan).
func kindOf(r siaga.Region) kind {
	switch r.Level {
	case siaga.LevelProvince:
		return kindProv
	case siaga.LevelKabKota:
		if strings.HasPrefix(strings.ToLower(r.Name), "kota") {
			return kindKota
		}
		return kindKab
	case siaga.LevelKecamatan:
		return kindKec
	case siaga.LevelDesa:
		if len(r.Code) == 10 && r.Code[6] == '1' {
			return kindKel
		}
		return kindDesa
	}
	return kindNone
}

// indexNames groups the regions by key and indexes the keys' trigrams and
// later words.
func (x *Index) indexNames() {
	type keyed struct {
		key   string
		first int
		at    int32
	}
	all := make([]keyed, len(x.regions))
	for i, r := range x.regions {
		ws := nameWords(r.name, r.kind)
		first := 0
		if len(ws) > 0 {
			first = len(ws[0])
		}
		all[i] = keyed{key: strings.Join(ws, ""), first: first, at: int32(i)}
	}
	slices.SortStableFunc(all, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	x.members = make([]int32, len(all))
	for i, k := range all {
		x.members[i] = k.at
		if i == 0 || all[i-1].key != k.key {
			x.names = append(x.names, name{key: k.key, letters: letterSet(k.key), lo: int32(i), firstWords: int32(k.first)})
		}
		x.names[len(x.names)-1].hi = int32(i + 1)
		x.regions[k.at].key = int32(len(x.names) - 1)
	}
	var ts []uint32
	for id, n := range x.names {
		ts = trigrams(ts[:0], n.key, true)
		for _, t := range uniq(ts) {
			x.grams[t] = append(x.grams[t], int32(id))
		}
	}
	for id, n := range x.names {
		r := x.regions[x.members[n.lo]]
		ws := nameWords(r.name, r.kind)
		for _, w := range ws[min(1, len(ws)):] {
			if len(w) >= 3 {
				x.words = append(x.words, word{key: w, name: int32(id)})
			}
		}
	}
	slices.SortFunc(x.words, func(a, b word) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return int(a.name - b.name)
	})
	x.words = slices.CompactFunc(x.words, func(a, b word) bool { return a == b })
}

// Sizes says what the index holds, for the node's log and the benchmark.
type Sizes struct {
	Regions, Names, Trigrams, Words, TPS int
}

// Sizes counts what the index holds.
func (x *Index) Sizes() Sizes {
	return Sizes{Regions: len(x.regions), Names: len(x.names), Trigrams: len(x.grams), Words: len(x.words), TPS: len(x.tps)}
}

// Bytes estimates the memory the index holds of its own (the registry's
// codes and names are shared, not copied), for the node's log.
func (x *Index) Bytes() int {
	n := len(x.regions)*int(unsafe.Sizeof(region{})) + len(x.members)*4 + len(x.names)*int(unsafe.Sizeof(name{})) +
		len(x.words)*int(unsafe.Sizeof(word{}))
	for _, l := range x.byLevel {
		n += len(l) * 4
	}
	for _, nm := range x.names {
		n += len(nm.key)
	}
	for _, w := range x.words {
		n += len(w.key)
	}
	for _, ids := range x.grams {
		n += cap(ids)*4 + 48 // a map entry: key, slice header, overhead
	}
	return n + 2*len(x.names) // the counter of one search at a time
}

// letterSet is the set of letters and digits in key, one bit each (other
// bytes share one): one typing mistake adds at most one letter to the set
// and removes at most one, so a name whose set differs from the query's
// by more than d letters either way cannot be within d mistakes. Two
// instructions drop most of the candidates that trigrams let through.
func letterSet(key string) uint64 {
	var s uint64
	for i := 0; i < len(key); i++ {
		switch c := key[i]; {
		case c >= 'a' && c <= 'z':
			s |= 1 << (c - 'a')
		case c >= '0' && c <= '9':
			s |= 1 << (26 + c - '0')
		default:
			s |= 1 << 63
		}
	}
	return s
}

// Padding around a key so that its first and last letters have trigrams of
// their own: a mistake at either end then costs fewer shared trigrams.
const (
	padStart = 0x01
	padEnd   = 0x02
)

// trigrams appends the trigrams of key, padded at the start, and at the
// end when whole (a prefix being typed has no end yet).
func trigrams(dst []uint32, key string, whole bool) []uint32 {
	b := make([]byte, 0, len(key)+3)
	b = append(b, padStart, padStart)
	b = append(b, key...)
	if whole {
		b = append(b, padEnd)
	}
	for i := 0; i+3 <= len(b); i++ {
		dst = append(dst, uint32(b[i])<<16|uint32(b[i+1])<<8|uint32(b[i+2]))
	}
	return dst
}

func uniq(ts []uint32) []uint32 {
	slices.Sort(ts)
	return slices.Compact(ts)
}
