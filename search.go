package siaga

// Search finds regions and TPS by code or name (package search builds the
// index; http serves it at /cari and /api/v1/search).

// MaxSearchQuery bounds a search query in bytes: the longest desa name with
// its kecamatan fits in a quarter of it, and the work of a search grows
// with the query.
const MaxSearchQuery = 120

// MaxSearchLimit bounds the hits of one page of a search.
const MaxSearchLimit = 100

// Match says why a hit was found, best first: the ranking's classes.
type Match string

const (
	MatchCode       Match = "code"        // the code itself
	MatchCodePrefix Match = "code_prefix" // a region or TPS under the code typed
	MatchName       Match = "name"        // the name, ignoring case, punctuation and "desa"/"kel." prefixes
	MatchPrefix     Match = "prefix"      // the name begins with the query
	MatchTypo       Match = "typo"        // the name within a few typing mistakes (Distance)
	MatchWord       Match = "word"        // a later word of the name begins with the query
	MatchTypoPrefix Match = "typo_prefix" // the name begins with the query give or take a mistake
)

// SearchHit is one region or TPS found.
type SearchHit struct {
	Code  string `json:"code"`
	Level Level  `json:"level"`
	// Name is the region's name, or "TPS 003".
	Name string `json:"name"`
	// Path names what encloses it, nearest first, to tell apart the many
	// desa of one name: "Kec. Cibeber, Kab. Lebak, Banten".
	Path     string `json:"path"`
	Match    Match  `json:"match"`
	Distance int    `json:"distance,omitempty"`
}

// SearchResults is one page of the hits of a query, in rank order.
type SearchResults struct {
	Query string      `json:"query"`
	Hits  []SearchHit `json:"hits"`
	// Total is how many regions and TPS match in all: a page shows Hits
	// of Total.
	Total int `json:"total"`
	// Next is the cursor of the next page, empty on the last. The index
	// does not change while a node runs, so a cursor stays valid.
	Next string `json:"next,omitempty"`
}
