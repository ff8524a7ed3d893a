package siaga

import (
	"context"
	"time"
)

// WarningRule names the test of the early-warning method that raised an
// alert (docs/security-incidents.md "## Early warning").
type WarningRule string

const (
	// WarningSpaceTime: at least N verified reports of a category within
	// R km and T hours, more than the kecamatan's usual rate explains.
	WarningSpaceTime WarningRule = "ruang_waktu"
	// WarningBaseline: a kecamatan's count of a category today above its
	// EWMA mean of the last 28 days plus k standard deviations.
	WarningBaseline WarningRule = "garis_dasar"
)

// Valid says whether r is a known rule.
func (r WarningRule) Valid() bool { return r == WarningSpaceTime || r == WarningBaseline }

// WarningStatus is where an alert stands: baru (raised), diakui (someone
// of the desk has seen it and acts), selesai (closed).
type WarningStatus string

const (
	WarningNew          WarningStatus = "baru"
	WarningAcknowledged WarningStatus = "diakui"
	WarningClosed       WarningStatus = "selesai"
)

// WarningStatuses lists the statuses in workflow order.
var WarningStatuses = []WarningStatus{WarningNew, WarningAcknowledged, WarningClosed}

// Valid says whether s is one of WarningStatuses.
func (s WarningStatus) Valid() bool {
	return s == WarningNew || s == WarningAcknowledged || s == WarningClosed
}

// Open says whether an alert in s still needs attention.
func (s WarningStatus) Open() bool { return s == WarningNew || s == WarningAcknowledged }

// WarningAlert is one early-warning alert: a cluster of verified incidents
// of one category in one kecamatan, with the reports that raised it and a
// plain explanation.
type WarningAlert struct {
	ID       int64            `json:"id"`
	Rule     WarningRule      `json:"rule"`
	Category IncidentCategory `json:"category"`
	// Region is the kecamatan code of the cluster (of its first report
	// when it spans a border): whose staff and subscribers are told.
	Region   string    `json:"region"`
	Lat      float64   `json:"lat"`
	Lon      float64   `json:"lon"`
	RadiusKm float64   `json:"radius_km"`
	From     time.Time `json:"from"` // the earliest report's OccurredAt
	To       time.Time `json:"to"`   // the latest report's OccurredAt
	// Incidents are the ids of the reports (one per duplicate group) that
	// raised the alert, ascending.
	Incidents []int64 `json:"incidents"`
	// Usual is the kecamatan's usual count of the category per day (EWMA
	// mean of the last 28 days); Threshold the count the rule needed.
	Usual     float64 `json:"usual_per_day"`
	Threshold int     `json:"threshold"`
	// Text explains the alert in Bahasa Indonesia, EN in English.
	Text string `json:"text"`
	EN   string `json:"en"`

	Status    WarningStatus `json:"status"`
	RaisedAt  time.Time     `json:"raised_at"`
	UpdatedAt time.Time     `json:"updated_at"`
	By        string        `json:"by,omitempty"`   // who acknowledged or closed it
	Note      string        `json:"note,omitempty"` // staff data: why it was closed
	// Version counts the alert's changes; an update names the version it
	// read (EConflict otherwise).
	Version int `json:"version"`
}

// WarningFilter selects alerts; zero fields match everything.
type WarningFilter struct {
	Scope      string // region code: alerts of kecamatan at or under it
	Categories []IncidentCategory
	Statuses   []WarningStatus
	Rule       WarningRule
	Before     int64 // only smaller IDs: the next page (newest first)
	Limit      int   // 0 means 100
}

// WarningSubscription asks for alerts of some categories (none: all) in a
// region (at or under it) in the app and, when Phone is set, by SMS.
type WarningSubscription struct {
	ID         int64              `json:"id"`
	User       int64              `json:"user"`
	Region     string             `json:"region"`
	Categories []IncidentCategory `json:"categories,omitempty"`
	Phone      string             `json:"phone,omitempty"` // staff data
	CreatedAt  time.Time          `json:"created_at"`
}

// Covers says whether an alert of category in region (a kecamatan code)
// is one s asks for.
func (s WarningSubscription) Covers(region string, category IncidentCategory) bool {
	if len(region) < len(s.Region) || region[:len(s.Region)] != s.Region {
		return false
	}
	if len(s.Categories) == 0 {
		return true
	}
	for _, c := range s.Categories {
		if c == category {
			return true
		}
	}
	return false
}

// WarningNotice is one alert told to one subscriber: in the app (listed on
// the subscriber's page, counted in the nav) and, with Phone, by SMS.
// SentAt stays zero until the SMS gateway took it; Tries counts attempts
// so a gateway outage delays a notice but never loses it.
type WarningNotice struct {
	ID           int64      `json:"id"`
	Alert        int64      `json:"alert"`
	Subscription int64      `json:"subscription"`
	User         int64      `json:"user"`
	Phone        string     `json:"phone,omitempty"`
	Text         string     `json:"text"`
	At           time.Time  `json:"at"`
	SentAt       *time.Time `json:"sent_at,omitempty"`
	Tries        int        `json:"tries"`
	Error        string     `json:"error,omitempty"` // the last failure
	ReadAt       *time.Time `json:"read_at,omitempty"`
}

// WarningStore keeps alerts, subscriptions and notices.
type WarningStore interface {
	// CreateWarningAlert stores a and the notices for it in one
	// transaction, setting their IDs.
	CreateWarningAlert(ctx context.Context, a *WarningAlert, notices []WarningNotice, audit ...AuditEvent) error
	// UpdateWarningAlert stores a if its stored Version is a.Version-1,
	// else EConflict.
	UpdateWarningAlert(ctx context.Context, a *WarningAlert, audit ...AuditEvent) error
	WarningAlertByID(ctx context.Context, id int64) (*WarningAlert, error)
	// WarningAlerts returns what f selects, newest first; CountWarningAlerts
	// counts it all, ignoring Before and Limit.
	WarningAlerts(ctx context.Context, f WarningFilter) ([]WarningAlert, error)
	CountWarningAlerts(ctx context.Context, f WarningFilter) (int, error)

	CreateWarningSubscription(ctx context.Context, s *WarningSubscription) error
	DeleteWarningSubscription(ctx context.Context, user, id int64) error // ENotFound when not the user's
	WarningSubscriptions(ctx context.Context, user int64) ([]WarningSubscription, error)
	// AllWarningSubscriptions returns every subscription: few, read per
	// new alert.
	AllWarningSubscriptions(ctx context.Context) ([]WarningSubscription, error)

	// WarningNotices returns a user's notices, newest first, at most limit.
	WarningNotices(ctx context.Context, user int64, limit int) ([]WarningNotice, error)
	CountUnreadWarningNotices(ctx context.Context, user int64) (int, error)
	MarkWarningNoticesRead(ctx context.Context, user int64, at time.Time) error
	// UnsentWarningNotices returns the notices with a phone not yet sent
	// and tried fewer than maxTries times, oldest first.
	UnsentWarningNotices(ctx context.Context, maxTries, limit int) ([]WarningNotice, error)
	// MarkWarningNotice records one attempt to send n: sent (SentAt set)
	// or failed (Error set, Tries counted).
	MarkWarningNotice(ctx context.Context, n *WarningNotice) error
}

// AuditWarningAcknowledge and AuditWarningClose are the audit actions of
// an alert's steps.
const (
	AuditWarningAcknowledge = "warning.acknowledge"
	AuditWarningClose       = "warning.close"
	AuditWarningRaise       = "warning.raise"
)
