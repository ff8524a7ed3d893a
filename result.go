package siaga

import (
	"context"
	"time"
)

// Tally is the running total of one contest over one region, summed from
// the latest version of the counting source of every TPS below it.
type Tally struct {
	Region   string  `json:"region"`
	Contest  Contest `json:"contest"`
	TPSTotal int     `json:"tps_total"`
	// TPSReported counts the TPS whose counting source's latest form has
	// a vote section: their votes are in the tally.
	TPSReported int `json:"tps_reported"`
	// TPSIncomplete counts the TPS whose counting source sent a form
	// without a vote section: received, adding nothing, not missing.
	TPSIncomplete int              `json:"tps_incomplete"`
	Votes         map[string]int64 `json:"votes"`
	SuaraSah      int64            `json:"suara_sah"`
	SuaraTidakSah int64            `json:"suara_tidak_sah"`
	Voters        int64            `json:"pengguna_total"`
	// VotersDPT is the DPT of the counted TPS whose form gives
	// pengguna_total: turnout is Voters / VotersDPT, not Voters / DPT,
	// which would fall with every TPS not yet counted.
	VotersDPT int64 `json:"dpt_pengguna"`
	DPT       int64 `json:"dpt"`
	// Flagged counts TPS per rule id they break (any source's latest version).
	Flagged map[string]int `json:"flagged"`
	// Seq changes whenever the tally changes; it makes the HTTP ETag.
	Seq uint64 `json:"seq"`
}

// Progress is how many TPS of a region have reported, per contest.
type Progress struct {
	Region   string          `json:"region"`
	TPSTotal int             `json:"tps_total"`
	Reported map[Contest]int `json:"reported"`
	// Incomplete counts, per contest, the TPS received without a vote
	// section (see Tally.TPSIncomplete).
	Incomplete map[Contest]int `json:"incomplete"`
	// Postponed counts, per contest, the TPS whose voting is postponed
	// (postponement.go) and from which nothing of the contest arrived: not
	// missing, "ditunda". Reported + Incomplete + Postponed + the missing
	// make TPSTotal.
	Postponed map[Contest]int `json:"postponed"`
	Seq       uint64          `json:"seq"`
}

// MissingTPS is a TPS whose counting source has not reported a contest yet:
// a line of the desk's dispatch list. Contests are the contests of which
// nothing arrived; Incomplete those whose form arrived without its vote
// section ("received, incomplete": the desk needs the vote page, not a
// runner for the whole form).
type MissingTPS struct {
	TPS          string       `json:"tps"`
	Kind         MissingKind  `json:"kind"`
	Contests     []Contest    `json:"contests"`
	Incomplete   []Contest    `json:"incomplete,omitempty"`
	Connectivity Connectivity `json:"connectivity,omitempty"`
	LastContact  time.Time    `json:"last_contact,omitzero"`
	// Postponement is the TPS's active postponement when Kind is
	// MissingPostponed: its kind, stage, status and new date.
	Postponement *Postponement `json:"postponement,omitempty"`
}

// Anomaly is a latest version that breaks at least one rule.
type Anomaly struct {
	TPS     string   `json:"tps"`
	Contest Contest  `json:"contest"`
	Source  Source   `json:"source"`
	Rules   []string `json:"rules"`
	// Version is the number of the latest version, which the review is of.
	Version int `json:"version"`
	// Status is the desk's review of this version: AnomalyNew until
	// someone looks at it, and again when a newer version arrives.
	Status AnomalyStatus `json:"status"`
	// Review is who set Status, when and why; nil while AnomalyNew. It
	// names staff and carries their notes, so public answers leave it out.
	Review *AnomalyReview `json:"-"`
}

// AnomalyStatus is where the desk stands with an anomaly. The names are
// part of the API and the exports.
type AnomalyStatus string

const (
	AnomalyNew AnomalyStatus = "baru" // nobody has looked at it yet
	// AnomalyChecked: checked against the C1 photo, the numbers stand as
	// written (a slip on the paper form itself is not corrected here).
	AnomalyChecked AnomalyStatus = "diperiksa"
	// AnomalyNeedsCorrection: the form was misread or mistyped; a
	// correction was requested from the source.
	AnomalyNeedsCorrection AnomalyStatus = "perlu_koreksi"
)

// AnomalyStatuses lists every status in the order the filter shows them.
var AnomalyStatuses = []AnomalyStatus{AnomalyNew, AnomalyChecked, AnomalyNeedsCorrection}

// Valid reports whether s is a known status.
func (s AnomalyStatus) Valid() bool {
	for _, v := range AnomalyStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// AnomalyReview is the desk's status of one version of one history
// (TPS, contest, source). A newer version has no review until someone
// sets one: the desk looks at the new numbers again.
type AnomalyReview struct {
	TPS     string        `json:"tps"`
	Contest Contest       `json:"contest"`
	Source  Source        `json:"source"`
	Version int           `json:"version"`
	Status  AnomalyStatus `json:"status"`
	Note    string        `json:"note,omitempty"`
	Actor   string        `json:"actor"` // "user:NAME", as in the audit log
	At      time.Time     `json:"at"`
}

// AnomalyQuery selects anomalies. Zero fields select everything; Limit
// ≤ 0 means every match.
type AnomalyQuery struct {
	Region  string // a region code or a TPS code; "" is everywhere
	Contest Contest
	Rule    string // "R1" … "R12"
	Source  Source
	Status  AnomalyStatus
	// After is the Next of the previous page: the list is in registry
	// order of TPS, then contest, then source, so a cursor stays valid
	// while versions arrive.
	After string
	Limit int
}

// AnomalyPage is one page of the anomalies a query selects, with the
// number of all of them (ignoring After and Limit) and the cursor of the
// next page ("" on the last).
type AnomalyPage struct {
	Items []Anomaly `json:"items"`
	Total int       `json:"total"`
	Next  string    `json:"next"`
}

// AnomalyReviewStore keeps the desk's reviews of anomalies.
type AnomalyReviewStore interface {
	// SetAnomalyReview stores r, replacing the review of the same TPS,
	// contest, source and version, and appends audit in the same
	// transaction.
	SetAnomalyReview(ctx context.Context, r *AnomalyReview, audit ...AuditEvent) error
	// AnomalyReviews returns every stored review, of every version.
	AnomalyReviews(ctx context.Context) ([]AnomalyReview, error)
}

// MissingKind says what the desk lacks of a TPS.
type MissingKind string

const (
	// MissingNothing: nothing arrived for at least one contest ("belum
	// ada kiriman"): a runner may be needed.
	MissingNothing MissingKind = "missing"
	// MissingIncomplete: every contest arrived, at least one without its
	// vote section ("diterima, tidak lengkap", R12): the phone works, the
	// desk asks for the vote page.
	MissingIncomplete MissingKind = "incomplete"
	// MissingPostponed: nothing arrived for at least one contest, and the
	// TPS's voting is postponed ("ditunda", postponement.go): no runner
	// goes; its forms are due after the new date.
	MissingPostponed MissingKind = "postponed"
)

// MissingQuery selects the TPS of the dispatch list. Zero fields select
// everything; Limit ≤ 0 means every match.
type MissingQuery struct {
	Region  string
	Contest Contest // "" looks at every contest
	Kind    MissingKind
	// After is the Next of the previous page. The list puts blank spots
	// first, then weak signal, then the rest, each in registry order, and
	// the postponed TPS last.
	After string
	Limit int
}

// MissingPage is one page of the dispatch list with the number of TPS the
// query selects (Total) and, ignoring Kind, how many of them lack
// something (Missing), only a vote section (Incomplete), or are postponed
// (Postponed).
type MissingPage struct {
	Items      []MissingTPS `json:"items"`
	Total      int          `json:"total"`
	Missing    int          `json:"missing"`
	Incomplete int          `json:"incomplete"`
	Postponed  int          `json:"postponed"`
	Next       string       `json:"next"`
}

// ProgressPoint is one sample of reported TPS over time, for the chart.
type ProgressPoint struct {
	At       time.Time `json:"at"`
	Reported int       `json:"reported"`
}

// Change tells live views that the tallies of a TPS changed: a new version
// was stored. Seq increases by one with every change.
type Change struct {
	Seq     uint64    `json:"seq"`
	TPS     string    `json:"tps"`
	Contest Contest   `json:"contest"`
	Source  Source    `json:"source"`
	Version int       `json:"version"`
	Rules   []string  `json:"rules,omitempty"`
	At      time.Time `json:"at"`
}
