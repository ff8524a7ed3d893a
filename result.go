package siaga

import "time"

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
	Seq        uint64          `json:"seq"`
}

// MissingTPS is a TPS whose counting source has not reported a contest yet:
// a line of the desk's dispatch list. Contests are the contests of which
// nothing arrived; Incomplete those whose form arrived without its vote
// section ("received, incomplete": the desk needs the vote page, not a
// runner for the whole form).
type MissingTPS struct {
	TPS          string       `json:"tps"`
	Contests     []Contest    `json:"contests"`
	Incomplete   []Contest    `json:"incomplete,omitempty"`
	Connectivity Connectivity `json:"connectivity,omitempty"`
	LastContact  time.Time    `json:"last_contact,omitzero"`
}

// Anomaly is a latest version that breaks at least one rule.
type Anomaly struct {
	TPS     string   `json:"tps"`
	Contest Contest  `json:"contest"`
	Source  Source   `json:"source"`
	Rules   []string `json:"rules"`
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
