package siaga

import (
	"context"
	"time"
)

// Where a TPS location came from.
const (
	LocationImported   = "impor"    // a CSV from the KPU office (siaga import tps-locations)
	LocationSynthetic  = "sintetis" // generated inside its desa for a demo: not a real place
	LocationRelocation = "relokasi" // moved by a relocation decision (disaster.go)
	LocationField      = "lapangan" // taken by a surveyor's phone
)

// TPSLocation is where a TPS stands from At on. A TPS keeps its code when
// it moves; every location it had is kept, the newest is where it is.
type TPSLocation struct {
	TPS     string    `json:"tps"`
	Lat     float64   `json:"lat"`
	Lon     float64   `json:"lon"`
	Address string    `json:"address,omitempty"`
	Source  string    `json:"source"` // one of the Location* constants
	At      time.Time `json:"at"`
	By      string    `json:"by,omitempty"` // "user:NAME", "cli", "demo"
}

// Synthetic reports whether the location is made up.
func (l TPSLocation) Synthetic() bool { return l.Source == LocationSynthetic }

// LocationStore keeps the locations of the TPS. A TPS without a stored
// location stands at its registry coordinates (synthetic for Banten).
type LocationStore interface {
	// AddTPSLocations appends ls in one transaction: an import stores all
	// of its rows or none.
	AddTPSLocations(ctx context.Context, ls []TPSLocation, audit ...AuditEvent) error
	// TPSLocations returns the newest location of every TPS that has one,
	// ordered by TPS.
	TPSLocations(ctx context.Context) ([]TPSLocation, error)
	// TPSLocationHistory returns every location of one TPS, oldest first.
	TPSLocationHistory(ctx context.Context, tps string) ([]TPSLocation, error)
}
