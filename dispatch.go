package siaga

import (
	"context"
	"time"
)

// How a relayed submission reached the server.
const (
	ViaQR     = "qr"     // scanned off the officer's screen by another phone
	ViaFile   = "file"   // carried as a relay file
	ViaDirect = "direct" // another phone's outbox sent it as its own request
)

// Outcomes of a relayed submission.
const (
	RelayStored  = "stored"  // a new version
	RelayReplay  = "replay"  // already stored: a harmless duplicate
	RelayRefused = "refused" // authentic but refused (Reason says why)
)

// RelaySighting records that a phone with signal carried a submission
// signed by another device: the desk sees which blank-spot TPS have forms
// on the move, and who carried them. Only submissions whose signature
// verified are recorded, so a sighting is evidence the form exists.
type RelaySighting struct {
	ID         int64     `json:"id"`
	Submission string    `json:"submission"`
	TPS        string    `json:"tps"`
	Contest    Contest   `json:"contest"`
	Source     Source    `json:"source"`
	Device     string    `json:"device"` // the device that signed it
	Relay      string    `json:"relay"`  // the device that carried it, as it says (X-Siaga-Relay); "" unknown
	Via        string    `json:"via"`
	Outcome    string    `json:"outcome"`
	Reason     string    `json:"reason,omitempty"`
	At         time.Time `json:"at"`
}

// RunnerDispatch records that the desk sent a runner (kurir) to a TPS to
// fetch its count on foot or by motorbike.
type RunnerDispatch struct {
	ID       int64     `json:"id"`
	TPS      string    `json:"tps"`
	UserID   int64     `json:"user_id"`
	Username string    `json:"username"`
	Note     string    `json:"note,omitempty"`
	At       time.Time `json:"at"`
}

// RelayStat sums the sightings of one TPS.
type RelayStat struct {
	TPS   string        `json:"tps"`
	Count int           `json:"count"`
	Last  RelaySighting `json:"last"`
}

// DispatchStore keeps what the election-night dispatch board shows beside
// the missing TPS. Region arguments are code prefixes: "36" is Banten, a
// TPS code is the TPS alone, "" is everything.
type DispatchStore interface {
	// AddRelaySighting stores s and sets s.ID.
	AddRelaySighting(ctx context.Context, s *RelaySighting) error
	// RelaySightings returns the newest sightings in region first.
	RelaySightings(ctx context.Context, region string, limit int) ([]RelaySighting, error)
	// RelayStats returns, per TPS of region with sightings, their number
	// and the newest one, ordered by TPS.
	RelayStats(ctx context.Context, region string) ([]RelayStat, error)
	// AddRunner stores d and sets d.ID.
	AddRunner(ctx context.Context, d *RunnerDispatch) error
	// Runners returns the newest runner dispatches in region first.
	Runners(ctx context.Context, region string, limit int) ([]RunnerDispatch, error)
	// LatestRunners returns, per TPS of region a runner was sent to, the
	// newest dispatch, ordered by TPS: what the board shows, complete
	// however long the night.
	LatestRunners(ctx context.Context, region string) ([]RunnerDispatch, error)
}
