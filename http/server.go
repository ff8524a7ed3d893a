// Package http serves Siaga over HTTP: the JSON API, the device and
// gateway endpoints, live updates, sessions, and the guard every route
// passes (authorization, limits, CSRF). The server-rendered pages are
// package ui's; every route, the pages' too, is in routes.go.
package http

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/disaster"
	"github.com/deskpemilu/siaga/gakkumdu"
	"github.com/deskpemilu/siaga/incident"
	"github.com/deskpemilu/siaga/intake"
	"github.com/deskpemilu/siaga/logistics"
	kesiapan "github.com/deskpemilu/siaga/readiness"
	"github.com/deskpemilu/siaga/sitrep"
	"github.com/deskpemilu/siaga/ui"
	"github.com/deskpemilu/siaga/vulnerability"
	"github.com/deskpemilu/siaga/warning"
)

// Regions is the read side of the registry the API needs: what the
// pages need (package ui builds them from the same one).
type Regions = ui.Regions

// Results is the e-rekap engine as the HTTP layer uses it: what the pages
// read, and the live feed of changes the event stream relays.
type Results interface {
	ui.Results
	// Subscribe returns a channel of changes; cancel stops it. A slow
	// reader misses changes rather than slowing the writer.
	Subscribe() (changes <-chan siaga.Change, cancel func())
}

// Auth is the part of the account service the HTTP layer uses.
type Auth interface {
	// Login's addr is the client's address (clientAddr), for the throttle.
	Login(ctx context.Context, username, password, addr string) (token string, sess *siaga.Session, u *siaga.User, err error)
	SessionUser(ctx context.Context, token string) (*siaga.User, *siaga.Session, error)
	Logout(ctx context.Context, token string) error
	TokenUser(ctx context.Context, token string) (*siaga.User, error)
	IssueEnrolments(ctx context.Context, operator *siaga.User, tps []string, role siaga.Role, ttl time.Duration) ([]string, error)
	Enrol(ctx context.Context, code string, publicKey []byte) (*siaga.Device, []byte, error)
	RevokeDevice(ctx context.Context, by *siaga.User, id string) (*siaga.Device, error)
	// ReissueEnrolments issues a printed sheet's codes, replacing the
	// unused ones of the same TPS and role (enrol.go).
	ReissueEnrolments(ctx context.Context, operator *siaga.User, tps []string, role siaga.Role, ttl time.Duration) (*siaga.EnrolmentIssue, error)
	// RevokeDeviceFor revokes with the operator's reason (enrol_devices.go).
	RevokeDeviceFor(ctx context.Context, by *siaga.User, id, reason string) (*siaga.Device, error)
	// VerifySurvey checks a device's signed survey of its own TPS
	// (connectivity_survey.go).
	VerifySurvey(ctx context.Context, device, tps string, survey []byte, signature string) (*siaga.Device, error)
	// VerifyLogistics checks a KPPS phone's signed logistics item, read or
	// photo for its own TPS (logistics_field.go).
	VerifyLogistics(ctx context.Context, device, tps string, signed []byte, signature string) (*siaga.Device, error)
	// VerifyIncident checks a KPPS or PTPS phone's signed incident report,
	// photo or read (incident_field.go).
	VerifyIncident(ctx context.Context, device, tps string, signed []byte, signature string) (*siaga.Device, error)
}

// Devices is the store's device list (siaga.AccountStore.DeviceList).
type Devices interface {
	DeviceList(ctx context.Context, f siaga.DeviceFilter) (siaga.DevicePage, error)
	DeviceByID(ctx context.Context, id string) (*siaga.Device, error)
}

// Intake is the one way a count form enters (package intake) as the API
// and the relay use it: they pass the body, which is decoded on the
// intake's threads.
type Intake interface {
	SubmitBytes(ctx context.Context, body []byte, decode intake.Decoder, cred siaga.Credential) (siaga.IntakeResult, error)
}

// Server holds what the handlers need. It has no state of its own beyond
// what is passed in, so tests build it from real parts.
type Server struct {
	Regions  Regions
	Results  Results
	Intake   Intake // takes in the API's and the relay's submissions
	Auth     Auth
	Photos   Photos // nil: photo storage off (no data folder)
	Election *siaga.Election
	Province string       // the deployment's province code, the dashboard's root
	Metrics  http.Handler // serves /metrics
	// MetricsToken, when set, lets GET /metrics on this address answer a
	// caller with "Authorization: Bearer <token>"; unset, /metrics is
	// served only on the separate metrics address (node.Config.MetricsAddr).
	MetricsToken string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (proxy.go).
	TrustedProxies []netip.Prefix
	// MaxStreams bounds the live-update streams open at once (0: 1,000);
	// MaxStreamsPerClient those of one client address (0: 32).
	MaxStreams, MaxStreamsPerClient int
	// Timeouts of the routes' time classes (guard.go).
	Timeouts    Timeouts
	Instruments *Instruments
	Logger      *slog.Logger
	Now         func() time.Time
	// SMS is the SMS fallback (sms.go); nil turns it off.
	SMS *SMSGateway
	// Dispatch keeps relay sightings and runners (relay.go, dispatch.go);
	// nil turns both off.
	Dispatch siaga.DispatchStore
	// Postponements records TPS whose voting is postponed on the day
	// (postponement.go); nil turns its API off.
	Postponements Postponements
	// Meetings keeps the desk's coordination meetings and their action
	// items (meeting.go); nil turns their pages and API off.
	Meetings Meetings
	// Needs counts what the TPS need and Ballots keeps the ballot lots
	// (logistics_ballot.go); nil turns their pages and API off.
	Needs   *logistics.NeedsService
	Ballots *logistics.Ballots
	// Audit is the audit log that Bawaslu and admin read (audit.go); nil
	// turns its pages off.
	Audit siaga.AuditStore
	// Devices lists the devices of a region for the operators who enrol
	// them (enrol_devices.go); nil turns /perangkat off.
	Devices Devices
	// PublicURL is the address phones reach this server at
	// ("https://pemilu.example"), printed in enrolment QR codes; empty:
	// the address of the request that prints them.
	PublicURL string
	// Search finds regions and TPS by code or name (search.go); nil turns
	// the search box's answers off.
	Search Search
	// Rules finds the context a stored form was checked in, so that the
	// TPS page spells out each flag with the form's numbers (rules.Checker);
	// nil shows each flag's general text only.
	Rules ui.Rules
	// Connectivity is the signal picture of the TPS (connectivity.go); nil
	// answers its routes 404.
	Connectivity Connectivity
	// Surveys records signal surveys sent by phones and staff
	// (connectivity_survey.go); nil answers POST /api/v1/surveys 404.
	Surveys Surveys
	// Disaster is the hazard and relocation module (disaster.go); nil
	// answers its routes 503. Sites lists the candidate relocation sites;
	// nil: none yet.
	Disaster *disaster.Service
	Sites    SiteLister
	// Custody follows the sealed boxes back after voting
	// (logistics_custody.go); nil answers its routes 404. HandoverPhotos
	// stores the photos of its web form; nil: the form takes none.
	Custody        *logistics.Custody
	HandoverPhotos ui.HandoverPhotos
	// Gakkumdu follows the suspected election crimes (gakkumdu.go); nil
	// answers its routes 404.
	Gakkumdu *gakkumdu.Service
	// Shipments moves the election logistics (logistics_shipment.go);
	// nil answers its routes 404.
	Shipments *logistics.Shipments
	// Readiness composes the modules into the readiness map (readiness.go);
	// nil answers its routes 404.
	Readiness *kesiapan.Service
	// Board is the logistics readiness board (ui/logistics_board.go); nil
	// answers its routes 404.
	LogisticsBoard *logistics.Board
	// LogisticsPhotos reads the BTTBs' photos for the shipment pages
	// (ui/logistics_shipment.go), which Shipments turns on.
	LogisticsPhotos ui.LogisticsPhotos
	// Sitrep builds the situation report and keeps the morning ones
	// (ui/sitrep.go); nil answers its routes 404.
	Sitrep *sitrep.Service
	// Vulnerability classifies the TPS and works out their guard
	// (vulnerability.go); nil answers its routes 404.
	Vulnerability *vulnerability.Service
	// Incidents is the workflow of reports of trouble (incident.go); nil
	// answers its routes 404.
	Incidents *incident.Service
	// IncidentStore is the incidents' store: the incident pages read their
	// filtered lists from it (ui/incident*.go; nil turns them off) and the
	// field app what a phone reads of its own reports (incident_field.go);
	// the reports themselves go through Incidents.
	IncidentStore siaga.IncidentStore
	// Warning is the early warning (warning.go); nil answers 404.
	Warning *warning.Service
	// Warnings reads the alerts for the readiness map's layer.
	Warnings ui.WarningAlerts
	// Notices are the accounts' early-warning notices, shown in the app.
	Notices ui.WarningNotices
	// Ping asks the store a trivial query: /readyz fails and /healthz says
	// "degraded" while it fails, and an unexpected error is answered 503
	// rather than 500 (ops.go). Nil: always ready.
	Ping func(ctx context.Context) error

	// pages serve the server-rendered pages (package ui), built by Init
	// from the fields above.
	pages *ui.Pages
	// closing is closed by Close so that long-lived event streams end and
	// a graceful shutdown does not wait for them.
	closing   chan struct{}
	closeOnce sync.Once
	// rates holds the per-client token buckets of rate-limited routes.
	rates *rateLimiter
	// streams holds a slot per open live-update stream.
	streams *streamSlots
	// ready caches the answer to Ping; its zero value is ready to use.
	ready readiness
	// surveying serialises the surveys' retry check and store, so that a
	// phone's retry racing its first try is still stored once.
	surveying sync.Mutex
}

// Init builds the parts of the server that are loaded once: the pages,
// with their embedded templates and assets, from the server's fields.
func (s *Server) Init() error {
	c := ui.Config{Regions: s.Regions, Results: s.Results, Auth: s.Auth, Devices: s.Devices, Dispatch: s.Dispatch,
		Audit: s.Audit, Photos: s.Photos, Readiness: s.Readiness, LogisticsBoard: s.LogisticsBoard, Search: s.Search, Rules: s.Rules, Election: s.Election, Province: s.Province,
		PublicURL: s.PublicURL, Now: s.Now, Logger: s.Logger,
		Roles: ui.Roles{Enrol: enrolRoles, Revoke: revokeRoles, Desk: deskRoles, SMS: smsRoles, Review: reviewRoles,
			Hazards: hazardRoles, RelocationView: relocationViewRoles, Relocate: relocateRoles,
			Report: reportRoles, Recommend: []siaga.Role{siaga.RoleBawaslu}, Decide: decideRoles, Close: closeRoles,
			Conn: connRoles, ConnRead: connReadRoles, Log: logRoles, LogRead: logReadRoles, Situation: situationRoles,
			Incident: incRegionRoles, IncidentTriage: incTriageRoles, Gakkumdu: gakkumduRoles,
			WarnRead: incRegionRoles, WarnTriage: incTriageRoles},
		Disaster: s.Disaster, Postponements: s.Postponements, Needs: s.Needs, Ballots: s.Ballots,
		Custody: s.Custody, HandoverPhotos: s.HandoverPhotos, Gakkumdu: s.Gakkumdu, Warnings: s.Warnings, Notices: s.Notices,
		SessionUser: s.sessionUser, Account: s.account, ViaTLS: s.viaTLS, WriteError: s.writeError, ClientAddr: s.clientAddr}
	if s.SMS != nil {
		c.SMS = s.SMS.Service
	}
	if s.Sites != nil {
		c.Sites = s.Sites
	}
	if s.Meetings != nil {
		c.Meetings = s.Meetings
	}
	if s.Warning != nil {
		c.WarningSteps = s.Warning
	}
	if s.Connectivity != nil {
		c.Connectivity = s.Connectivity
	}
	if s.Shipments != nil {
		c.Shipments, c.LogisticsPhotos = s.Shipments, s.LogisticsPhotos
	}
	if s.Incidents != nil && s.IncidentStore != nil {
		c.Incidents = incidentPages{store: s.IncidentStore, svc: s.Incidents}
	}
	c.Sitrep = s.Sitrep
	c.Vulnerability, c.Roles.VulnRead, c.Roles.VulnWrite = s.Vulnerability, vulnReadRoles, vulnWriteRoles
	p, err := ui.New(c)
	if err != nil {
		return err
	}
	s.pages = p
	return nil
}

// dashLog is the server's logger, the default one when none is set.
func (s *Server) dashLog() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// now is the server's clock.
func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Close ends the live event streams; call it when the server shuts down.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
}
