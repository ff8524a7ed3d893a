// Package ui serves Siaga's server-rendered pages: the dashboard, the
// officials' pages (dispatch board, enrolment, devices, SMS and audit
// logs), the CSV and XLSX downloads of their tables, and the embedded
// templates and static assets.
//
// Package http routes to these handlers from its one route table and keeps
// what is about the protocol rather than the page: sessions and CSRF,
// proxies, limits, the JSON API. ui never imports http; what it needs from
// it comes in Config as small functions.
package ui

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/disaster"
	"github.com/deskpemilu/siaga/gakkumdu"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/photos"
	"github.com/deskpemilu/siaga/readiness"
	"github.com/deskpemilu/siaga/sitrep"
	"github.com/deskpemilu/siaga/vulnerability"
)

// Regions is the read side of the registry the pages need.
type Regions interface {
	Region(code string) (siaga.Region, bool)
	Children(code string) []siaga.Region
	TPS(code string) (siaga.TPS, bool)
	TPSOf(code string) []siaga.TPS
	Path(code string) []siaga.Region
	Provinces() []siaga.Region
}

// Results is the e-rekap engine as the pages use it.
type Results interface {
	Tally(contest siaga.Contest, region string) (siaga.Tally, bool)
	Progress(region string) (siaga.Progress, bool)
	// MissingPage is the dispatch list q selects, counted and paged.
	MissingPage(q siaga.MissingQuery) (siaga.MissingPage, error)
	Series(contest siaga.Contest, region string) []siaga.ProgressPoint
	// AnomalyPage is the anomaly list q selects, counted and paged.
	AnomalyPage(q siaga.AnomalyQuery) (siaga.AnomalyPage, error)
	// ReviewAnomaly records the desk's review of the latest version of a
	// history, with its audit entries.
	ReviewAnomaly(ctx context.Context, rv siaga.AnomalyReview, audit ...siaga.AuditEvent) error
	// Counting is the source whose forms make the official tally.
	Counting() siaga.Source
	// Latest returns the latest version of every source of every contest of
	// one TPS.
	Latest(tps string) []siaga.Version
	History(ctx context.Context, tps string) ([]siaga.Version, error)
}

// Auth is the part of the account service the pages use.
type Auth interface {
	// ReissueEnrolments issues a printed sheet's codes, replacing the
	// unused ones of the same TPS and role (enrol.go).
	ReissueEnrolments(ctx context.Context, operator *siaga.User, tps []string, role siaga.Role, ttl time.Duration) (*siaga.EnrolmentIssue, error)
	// RevokeDeviceFor revokes with the operator's reason (enrol_devices.go).
	RevokeDeviceFor(ctx context.Context, by *siaga.User, id, reason string) (*siaga.Device, error)
}

// Devices is the store's device list (siaga.AccountStore.DeviceList).
type Devices interface {
	DeviceList(ctx context.Context, f siaga.DeviceFilter) (siaga.DevicePage, error)
	DeviceByID(ctx context.Context, id string) (*siaga.Device, error)
}

// Photos is what the TPS page shows of the photo service (photos.Service).
type Photos interface {
	Summary(ctx context.Context, submission string) (photos.Summary, error)
}

// SMSLog is the SMS fallback's log as the operators read it (sms.Service).
type SMSLog interface {
	Log(ctx context.Context, f siaga.SMSFilter) ([]siaga.SMSMessage, error)
	LogCount(ctx context.Context, f siaga.SMSFilter) (int, error)
}

// Roles are the route table's role lists (http/routes.go) that the pages
// need too, to offer a link or a form only to who may use it.
type Roles struct {
	Enrol  []siaga.Role // issue enrolment codes (/pendaftaran)
	Revoke []siaga.Role // list and revoke devices (/perangkat)
	Desk   []siaga.Role // work the dispatch board
	SMS    []siaga.Role // read the SMS log
	Review []siaga.Role // set the review status of anomalies
	// The disaster pages (disaster*.go): import and delete hazard layers
	// and TPS locations, see relocation candidates, decide a relocation.
	Hazards, RelocationView, Relocate []siaga.Role
	// The postponement chain (postponement*.go), a role list per step.
	Report, Recommend, Decide, Close []siaga.Role
	// Conn record surveys and interventions and plan them; ConnRead also
	// read the surveys (surveyors' names) and the interventions.
	Conn, ConnRead []siaga.Role
	// Log record logistics (shipments and their BTTB, ballot lots, custody
	// handovers); LogRead read them and the logistics alerts (aparat among
	// them, who also record events on the legs they escort).
	Log, LogRead []siaga.Role
	// Situation read the coordination meetings and their action items
	// (meeting*.go); the desk writes them.
	Situation []siaga.Role
	// Incident report and read incidents in scope; IncidentTriage verify,
	// reject, assign, group and moderate (incident*.go).
	Incident, IncidentTriage []siaga.Role
	// VulnRead read the TPS vulnerability and staffing pages; VulnWrite
	// also set Bawaslu's indicators and a Polres's pattern.
	VulnRead, VulnWrite []siaga.Role
	// Gakkumdu read the Gakkumdu cases in scope (gakkumdu*.go); who writes
	// is gakkumdu.CanWrite's.
	Gakkumdu []siaga.Role
	// WarnRead read the early-warning alerts; WarnTriage acknowledge and
	// close them (warning.go).
	WarnRead, WarnTriage []siaga.Role
}

// Config is what the pages need. The optional parts turn their pages off
// when nil, as the fields of http.Server say.
type Config struct {
	Regions  Regions
	Results  Results
	Auth     Auth
	Devices  Devices             // nil: /perangkat off
	Photos   Photos              // nil: no photo lines on the TPS page
	SMS      SMSLog              // nil: the SMS log off
	Dispatch siaga.DispatchStore // nil: no sightings or runners
	Audit    siaga.AuditStore    // nil: the audit log off
	Search   Search              // nil: search off
	Rules    Rules               // nil: each flag's general text only
	// Disaster is the hazard and relocation module; nil turns its pages
	// off. Sites are the candidate relocation sites; nil: none yet.
	Disaster *disaster.Service
	Sites    Sites
	// Postponements records the chain of a postponed TPS; nil turns its
	// pages off.
	Postponements Postponements
	// Connectivity is the signal picture of the TPS (connectivity.go);
	// nil turns its pages off.
	Connectivity Connectivity
	// Needs counts what the TPS need and Ballots keeps the ballot lots
	// (logistics_needs.go, logistics_ballot.go); nil turns their pages off.
	Needs   *logistics.NeedsService
	Ballots *logistics.Ballots

	// Custody follows the sealed boxes back after voting
	// (logistics_custody*.go); nil turns its pages off. HandoverPhotos
	// stores the photos of its form; nil: the form takes none.
	Custody        *logistics.Custody
	HandoverPhotos HandoverPhotos

	// Meetings keeps the coordination meetings and their action items
	// (meeting*.go); nil turns their pages off.
	Meetings Meetings
	// Gakkumdu follows the suspected election crimes (gakkumdu*.go); nil
	// turns its pages off.
	Gakkumdu *gakkumdu.Service

	Election *siaga.Election
	Province string // the deployment's province code, the dashboard's root
	// PublicURL is the address phones reach this server at, printed in
	// enrolment QR codes; empty: the address of the request.
	PublicURL string
	Roles     Roles
	Now       func() time.Time
	Logger    *slog.Logger
	// Readiness composes the readiness modules for the readiness map
	// (readiness.go); nil turns /kesiapan off.
	Readiness *readiness.Service
	// Warnings reads the early-warning alerts (warning_map.go); nil: the
	// map's alert layer answers 404.
	Warnings WarningAlerts
	// WarningSteps acknowledges and closes alerts; nil: read only.
	WarningSteps WarningSteps
	// Notices are the accounts' early-warning notices (warning_notices.go);
	// nil: no count in the nav, no list on the alerts page.
	Notices WarningNotices
	// Board is the logistics readiness board (logistics_board.go); nil
	// turns /logistik/{code} off.
	LogisticsBoard *logistics.Board
	// Shipments is the logistics shipments service (logistics_shipment*.go,
	// logistics_alerts.go); nil turns their pages off. LogisticsPhotos
	// reads the photos of the BTTBs.
	Shipments       Shipments
	LogisticsPhotos LogisticsPhotos
	// Incidents is the incident service (incident*.go); nil turns its
	// pages and the public report form off.
	Incidents Incidents
	// Sitrep builds the situation report and keeps the morning ones
	// (sitrep.go); nil turns its pages off.
	Sitrep *sitrep.Service
	// Vulnerability classifies the TPS (kerawanan) and works out their
	// guard (vulnerability*.go); nil turns its pages off.
	Vulnerability *vulnerability.Service

	// What package http knows of a request, since it keeps the cookies,
	// the tokens and the proxies:
	// SessionUser is the session cookie's account, or nil.
	SessionUser func(r *http.Request) (*siaga.User, *siaga.Session)
	// Account is who is asking: the account the guard admitted on a staff
	// route, elsewhere the session's or API token's, or nil.
	Account func(r *http.Request) *siaga.User
	// ClientAddr is the address a request comes from (behind trusted
	// proxies), the sender of a public report.
	ClientAddr func(r *http.Request) string
	// ViaTLS reports whether the client reached the server over HTTPS.
	ViaTLS func(r *http.Request) bool
	// WriteError answers an error as the JSON API does, for downloads.
	WriteError func(w http.ResponseWriter, r *http.Request, err error)
}

// Pages serves the pages; its handlers are named in http/routes.go.
type Pages struct {
	Config
	assets *assets
	pages  *pages
	// exports holds a slot per export being built (export.go);
	// exportWait, when set, replaces how long a download waits for one.
	exports    chan struct{}
	exportWait time.Duration
}

// New loads the embedded assets and templates once.
func New(c Config) (*Pages, error) {
	a, err := newAssets()
	if err != nil {
		return nil, fmt.Errorf("loading static assets: %w", err)
	}
	p, err := newPages(a, c.Roles)
	if err != nil {
		return nil, fmt.Errorf("loading templates: %w", err)
	}
	return &Pages{Config: c, assets: a, pages: p, exports: make(chan struct{}, maxExports)}, nil
}

// Static serves GET /static/{hash}/{name...} (assets.go).
func (h *Pages) Static(w http.ResponseWriter, r *http.Request) { h.assets.ServeHTTP(w, r) }

func (h *Pages) account(r *http.Request) *siaga.User {
	if h.Account == nil {
		return nil
	}
	return h.Account(r)
}

func (h *Pages) sessionUser(r *http.Request) (*siaga.User, *siaga.Session) {
	if h.SessionUser == nil {
		return nil, nil
	}
	return h.SessionUser(r)
}

func (h *Pages) viaTLS(r *http.Request) bool { return h.ViaTLS != nil && h.ViaTLS(r) }

func (h *Pages) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if h.WriteError == nil {
		code := siaga.HTTPStatus(siaga.ErrorCode(err))
		http.Error(w, http.StatusText(code), code)
		return
	}
	h.WriteError(w, r, err)
}
