package siaga

import (
	"context"
	"encoding/json"
	"slices"
	"time"
)

// HazardTypes are the kinds of hazard a zone can be, as BNPB's risk maps
// (InaRISK) name them.
var HazardTypes = []string{"banjir", "longsor", "tsunami", "gempa", "erupsi", "abrasi",
	"kebakaran_hutan", "cuaca_ekstrem", "kekeringan"}

// Hazard classes, as BNPB's risk maps grade them, lowest first.
const (
	HazardLow    = "rendah"
	HazardMedium = "sedang"
	HazardHigh   = "tinggi"
)

// HazardClasses lists the classes, lowest first.
var HazardClasses = []string{HazardLow, HazardMedium, HazardHigh}

// HazardRank orders the classes: 1 rendah, 2 sedang, 3 tinggi, 0 for
// anything else.
func HazardRank(class string) int { return slices.Index(HazardClasses, class) + 1 }

// ValidHazardType reports whether t is one of HazardTypes.
func ValidHazardType(t string) bool { return slices.Contains(HazardTypes, t) }

// Audited actions of the disaster module.
const (
	AuditHazardImport = "hazard.import" // a hazard layer was imported
	AuditHazardDelete = "hazard.delete" // a hazard layer was deleted
	AuditLocations    = "tps.location"  // TPS locations were imported
	AuditRelocation   = "tps.relocate"  // a TPS was moved by a decision
)

// HazardLayer is one imported GeoJSON file of hazard zones.
type HazardLayer struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Source string `json:"source"` // who drew it: "BNPB InaRISK", "BPBD Kota Tangerang Selatan"
	// Date is the date of the data, as its source gives it; zero unknown.
	Date       time.Time `json:"date,omitzero"`
	ImportedAt time.Time `json:"imported_at"`
	ImportedBy string    `json:"imported_by"`
	// Synthetic marks a layer made up for a demo or a benchmark: never a
	// real hazard.
	Synthetic bool `json:"synthetic"`
	Features  int  `json:"features"`
}

// HazardZone is one feature of a layer: an area of one hazard type and
// class. The geometry is kept as GeoJSON (a Polygon or MultiPolygon) so
// that this package needs no geometry library; package geo reads it.
type HazardZone struct {
	Layer    int64           `json:"layer"`
	Feature  int             `json:"feature"` // its index in the imported file, from 0
	Type     string          `json:"type"`    // one of HazardTypes
	Class    string          `json:"class"`   // one of HazardClasses
	Source   string          `json:"source,omitempty"`
	Date     time.Time       `json:"date,omitzero"`
	Geometry json.RawMessage `json:"geometry"`
}

// Relocation is the decision that moves a TPS to another place. The TPS
// keeps its code; its old location stays in its history.
type Relocation struct {
	ID          int64   `json:"id"`
	TPS         string  `json:"tps"`
	FromLat     float64 `json:"from_lat"`
	FromLon     float64 `json:"from_lon"`
	FromAddress string  `json:"from_address,omitempty"`
	// Site is the candidate site's code when the new place is one.
	Site      string  `json:"site,omitempty"`
	ToLat     float64 `json:"to_lat"`
	ToLon     float64 `json:"to_lon"`
	ToAddress string  `json:"to_address"`
	Reason    string  `json:"reason"`
	// Decider is who signed the decision and DeciderOffice the office
	// ("KPU Kota Tangerang Selatan").
	Decider       string    `json:"decider"`
	DeciderOffice string    `json:"decider_office"`
	Decided       time.Time `json:"decided"` // the decision's date
	Letter        string    `json:"letter"`  // the KPU letter number
	By            string    `json:"by"`      // who recorded it: "user:NAME", "cli"
	At            time.Time `json:"at"`      // when it was recorded
}

// Location is the TPSLocation the relocation gives its TPS.
func (r Relocation) Location() TPSLocation {
	return TPSLocation{TPS: r.TPS, Lat: r.ToLat, Lon: r.ToLon, Address: r.ToAddress, Source: LocationRelocation, At: r.At, By: r.By}
}

// DisasterStore keeps hazard layers and relocation decisions.
type DisasterStore interface {
	// ImportHazardLayer stores l and its zones in one transaction and sets
	// l.ID and each zone's Layer: a file goes in whole or not at all. An
	// audit entry without a Subject gets the new layer's id.
	ImportHazardLayer(ctx context.Context, l *HazardLayer, zones []HazardZone, audit ...AuditEvent) error
	// HazardLayers returns every layer, oldest first.
	HazardLayers(ctx context.Context) ([]HazardLayer, error)
	// HazardZones returns the zones of every layer, by layer and feature:
	// what the exposure index is built from.
	HazardZones(ctx context.Context) ([]HazardZone, error)
	// DeleteHazardLayer removes a layer and its zones; an unknown id gives
	// ENotFound.
	DeleteHazardLayer(ctx context.Context, id int64, audit ...AuditEvent) error
	// AddRelocation stores r and the TPS's new location (r.Location()) in
	// one transaction, and sets r.ID.
	AddRelocation(ctx context.Context, r *Relocation, audit ...AuditEvent) error
	// Relocations returns the relocations of the TPS in region (a code
	// prefix, "" for all), by TPS then oldest first.
	Relocations(ctx context.Context, region string) ([]Relocation, error)
}
