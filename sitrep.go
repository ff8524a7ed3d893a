package siaga

import (
	"context"
	"time"
)

// Sitrep is the desk's situation report (laporan situasi): a snapshot of
// one region at one moment, built from every module the server runs
// (package sitrep) and printed for the morning coordination meeting. A
// section is nil when its module does not run on this server: the page
// and the PDF then say "belum tersedia / not available" rather than
// showing zeros that would read as "nothing happened".
type Sitrep struct {
	Region Region    `json:"region"`
	At     time.Time `json:"at"`
	// Period is how far back the incidents reach: those that occurred in
	// [At−Period, At). The morning report covers the last 24 hours.
	Period time.Duration `json:"period"`

	Readiness      *SitrepReadiness `json:"readiness,omitempty"`
	Logistics      *SitrepLogistics `json:"logistics,omitempty"`
	Incidents      *SitrepIncidents `json:"incidents,omitempty"`
	Alerts         *SitrepItems     `json:"alerts,omitempty"`          // open early-warning alerts
	OverdueCases   *SitrepItems     `json:"overdue_cases,omitempty"`   // Gakkumdu cases past a statutory clock
	OverdueActions *SitrepItems     `json:"overdue_actions,omitempty"` // meeting action items past their due date
	// Results is filled only from voting day (H) on: before it there is
	// nothing to count.
	Results *SitrepResults `json:"results,omitempty"`
	// Points are what the map shows: incidents and alerts with a place,
	// and the TPS at risk (rawan, ditunda). Box frames them: the region's
	// TPS, nil when none has a point.
	Points []SitrepPoint `json:"points"`
	Box    *SitrepBox    `json:"box,omitempty"`
}

// SitrepBox is a box of longitudes and latitudes.
type SitrepBox struct {
	MinLon float64 `json:"min_lon"`
	MinLat float64 `json:"min_lat"`
	MaxLon float64 `json:"max_lon"`
	MaxLat float64 `json:"max_lat"`
}

// From is the start of the report's period.
func (s *Sitrep) From() time.Time { return s.At.Add(-s.Period) }

// SitrepCount is one bar of a chart or one row of a table: a key (a
// category, a region code, a status), its words and a number.
type SitrepCount struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// SitrepReadiness is the readiness of the region's TPS (package readiness).
type SitrepReadiness struct {
	TPS        int `json:"tps"`
	Ready      int `json:"siap"`
	Watch      int `json:"waspada"`
	AtRisk     int `json:"rawan"`
	Postponed  int `json:"ditunda"`
	BlankSpots int `json:"blank_spots"` // TPS without a usable signal
	Weak       int `json:"weak"`
	// HazardProne are the TPS inside a high or medium hazard zone.
	HazardProne int `json:"hazard_prone"`
	Relocated   int `json:"relocated"`
	// Children are the child regions' TPS at risk (rawan or ditunda).
	Children []SitrepCount `json:"children"`
}

// SitrepLogistics is the state of the TPS kits and the legs on their way
// (the logistics board).
type SitrepLogistics struct {
	TPS  int           `json:"tps"`
	Kits []SitrepCount `json:"kits"` // TPS by kit status
	// Held and Stalled are legs bound into the region held on their way or
	// silent for longer than their leg should take; Legs the first of them.
	Held    int         `json:"held"`
	Stalled int         `json:"stalled"`
	Legs    []SitrepLeg `json:"legs"`
}

// SitrepLeg is one held or stalled shipment leg.
type SitrepLeg struct {
	Shipment string    `json:"shipment"`
	Waybill  string    `json:"waybill"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	Status   string    `json:"status"`
	Reason   string    `json:"reason"`
	LastSeen time.Time `json:"last_seen"`
}

// SitrepIncidents counts the incidents of the period. A group of likely
// duplicates counts once (by its first report); rejected reports count
// only in ByStatus.
type SitrepIncidents struct {
	Total      int           `json:"total"` // groups, rejected ones excluded
	ByCategory []SitrepCount `json:"by_category"`
	ByRegion   []SitrepCount `json:"by_region"` // per child region
	ByStatus   []SitrepCount `json:"by_status"`
	// Severe are the newest high and critical ones, at most
	// SitrepSevereLimit.
	Severe []Incident `json:"severe"`
}

// SitrepSevereLimit is how many severe incidents a report lists.
const SitrepSevereLimit = 10

// SitrepItems is a list another module keeps (alerts, overdue cases,
// overdue actions): its total and its first items.
type SitrepItems struct {
	Total int          `json:"total"`
	Items []SitrepItem `json:"items"`
}

// SitrepItem is one line of such a list, as its module words it.
type SitrepItem struct {
	ID     int64     `json:"id"`
	Region string    `json:"region"`
	Title  string    `json:"title"`
	Detail string    `json:"detail,omitempty"` // category, agency, stage
	At     time.Time `json:"at"`               // raised, or due
	URL    string    `json:"url,omitempty"`    // its page
	Lat    float64   `json:"lat,omitempty"`
	Lon    float64   `json:"lon,omitempty"`
}

// SitrepResults is the count's progress on election night.
type SitrepResults struct {
	TPS      int           `json:"tps"`
	Progress []SitrepCount `json:"progress"` // TPS reported per contest
	Missing  int           `json:"missing"`  // TPS from which nothing of some contest came
	// MissingTPS are the first of them (the dispatch list's order).
	MissingTPS []string `json:"missing_tps"`
}

// SitrepPoint is one dot on the report's map.
type SitrepPoint struct {
	Kind     string  `json:"kind"` // insiden, peringatan, tps
	Label    string  `json:"label"`
	Category string  `json:"category,omitempty"`
	Severity string  `json:"severity,omitempty"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	URL      string  `json:"url,omitempty"`
}

// SitrepReport is a stored morning report: the PDF as it was printed and
// the snapshot it was printed from, one per region and day.
type SitrepReport struct {
	Region    string    `json:"region"`
	Date      string    `json:"date"` // YYYY-MM-DD, in WIB
	At        time.Time `json:"at"`   // the moment the report describes
	CreatedAt time.Time `json:"created_at"`
	PDF       []byte    `json:"-"`
	Snapshot  []byte    `json:"-"` // the Sitrep's JSON
	Size      int       `json:"size"`
}

// SitrepFilter selects one region's stored reports, newest first.
type SitrepFilter struct {
	Region string
	Before string // a Date: only older reports (the next page)
	Limit  int    // 0 means 30
}

// SitrepPage is a page of stored reports (without their PDF and
// snapshot) and how many the region has.
type SitrepPage struct {
	Items []SitrepReport `json:"items"`
	Total int            `json:"total"`
	Next  string         `json:"next"` // Before of the next page, "" at the end
}

// SitrepStore keeps the morning reports.
type SitrepStore interface {
	// SaveSitrep stores r; a report of the same region and date already
	// stored gives EConflict and changes nothing (the schedule is
	// idempotent).
	SaveSitrep(ctx context.Context, r *SitrepReport) error
	// SitrepReport returns one report with its PDF and snapshot, or
	// ENotFound.
	SitrepReport(ctx context.Context, region, date string) (*SitrepReport, error)
	SitrepReports(ctx context.Context, f SitrepFilter) (SitrepPage, error)
}
