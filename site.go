package siaga

import (
	"context"
	"time"
)

// Kinds of place a site is. Schools, mosques and village offices are where
// a TPS moves to; towers and rooftops are where a booster or a mobile BTS
// can stand.
var SiteKinds = []string{"sekolah", "masjid", "kantor_desa", "balai", "gedung", "lapangan", "menara", "atap", "lainnya"}

// Kinds of intervention that bring signal to a TPS (connectivity.go).
const (
	InterventionBooster = "booster" // amplifies a weak signal; useless where there is none
	InterventionVSAT    = "vsat"    // a satellite terminal: serves its own TPS only
	InterventionCOW     = "cow"     // a mobile BTS (cell on wheels): coverage of its own
	InterventionWalk    = "titik"   // "walk to point X": the nearest spot with signal
)

// Site is a candidate place, imported (siaga import sites) or drawn on the
// map: somewhere a TPS can move to, or an intervention can stand.
type Site struct {
	Code string  `json:"code"` // unique, the importer's own
	Name string  `json:"name"`
	Kind string  `json:"kind"` // one of SiteKinds
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
	Desa string  `json:"desa,omitempty"` // the desa it lies in, found from its point
	// Intervention, when set, makes the site a candidate for that kind of
	// intervention, covering the TPS within RadiusM at Cost rupiah.
	Intervention string    `json:"intervention,omitempty"`
	RadiusM      float64   `json:"radius_m,omitempty"`
	Cost         int64     `json:"cost,omitempty"`
	Capacity     int       `json:"capacity,omitempty"` // voters it can hold as a TPS; 0 unknown
	Source       string    `json:"source,omitempty"`   // where the list came from
	UpdatedAt    time.Time `json:"updated_at"`
}

// SiteFilter selects sites; the zero value selects every site.
type SiteFilter struct {
	Region       string // a code prefix of the site's desa
	Intervention string // only candidates of this intervention kind
}

// SiteStore keeps the candidate sites.
type SiteStore interface {
	// SaveSites stores ss in one transaction, replacing a site of the same
	// code: a re-import updates its list.
	SaveSites(ctx context.Context, ss []Site, audit ...AuditEvent) error
	// Sites returns the sites f selects, ordered by code.
	Sites(ctx context.Context, f SiteFilter) ([]Site, error)
}
