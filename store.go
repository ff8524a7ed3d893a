package siaga

import (
	"context"
	"errors"
	"time"
)

// ErrCommitUnknown is in the chain of a store's error when a transaction
// was sent to commit and its answer never came back (the connection
// dropped, the deadline passed): the server may or may not have committed
// it, and only reading it back tells.
var ErrCommitUnknown = errors.New("commit outcome unknown")

// RegistryStore keeps the region tree, the polling stations and the
// election definition of a data folder.
type RegistryStore interface {
	// SaveRegistry replaces the stored registry with reg.
	SaveRegistry(ctx context.Context, reg *Registry) error
	LoadRegistry(ctx context.Context) (*Registry, error)
	// SaveElection replaces the stored election definition.
	SaveElection(ctx context.Context, e *Election) error
	// LoadElection returns an error with code ENotFound when none is stored.
	LoadElection(ctx context.Context) (*Election, error)
}

// VersionStore keeps every acknowledged version of every count form.
type VersionStore interface {
	// AppendVersions stores vs, and the audit entries of the corrections
	// among them, in one transaction and returns only when it is durable. A
	// submission id that is already stored fails the whole call with code
	// EConflict and stores nothing. A store that cannot be reached or
	// written gives EUnavailable; when that happened while committing, the
	// error also wraps ErrCommitUnknown.
	AppendVersions(ctx context.Context, vs []Version, audit ...AuditEvent) error
	// VersionsBySubmission returns the stored versions among the given
	// submission ids, in the order they were stored: how the writer learns
	// what a commit whose answer was lost did.
	VersionsBySubmission(ctx context.Context, ids []string) ([]Version, error)
	// EachVersion calls fn for every stored version in the order they were
	// stored; it stops at fn's first error and returns it.
	EachVersion(ctx context.Context, fn func(*Version) error) error
	// EachVersionJSON is EachVersion for a reader that reads forms itself:
	// Form is left empty and FormJSON holds the form's JSON as stored
	// (not necessarily canonical), valid only until fn returns. A restart
	// replays every version this way (results.Engine.Load): decoding the
	// forms into maps was most of its time.
	EachVersionJSON(ctx context.Context, fn func(*Version) error) error
	// VersionsOfTPS returns every version of every contest and source of one
	// TPS, oldest first.
	VersionsOfTPS(ctx context.Context, tps string) ([]Version, error)
}

// AccountStore keeps users, sessions, tokens and devices. The methods that
// take audit entries append them in the transaction of their change, so
// that no audited change is stored without its entry.
type AccountStore interface {
	// CreateUser sets u.ID. A taken username gives EConflict.
	CreateUser(ctx context.Context, u *User, audit ...AuditEvent) error
	// SetUserRole changes a user's role, scope and party.
	SetUserRole(ctx context.Context, id int64, role Role, scope string, party PartyRef, audit ...AuditEvent) error
	// SetUserAgency changes the agency a user works for ("" for its
	// role's, User.AgencyOf).
	SetUserAgency(ctx context.Context, id int64, agency Agency, audit ...AuditEvent) error
	UserByUsername(ctx context.Context, username string) (*User, error)
	UserByID(ctx context.Context, id int64) (*User, error)
	Users(ctx context.Context) ([]User, error)

	CreateSession(ctx context.Context, s *Session) error
	SessionByTokenHash(ctx context.Context, hash string) (*Session, error)
	DeleteSession(ctx context.Context, hash string) error
	// DeleteExpiredSessions deletes the sessions expired at now and says
	// how many there were.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)

	CreateAPIToken(ctx context.Context, t *APIToken, audit ...AuditEvent) error
	// APITokenByHash returns the token, revoked or not.
	APITokenByHash(ctx context.Context, hash string) (*APIToken, error)
	// APITokens returns the tokens of one user, or of everyone for 0.
	APITokens(ctx context.Context, userID int64) ([]APIToken, error)
	// RevokeAPIToken revokes a token; an unknown one gives ENotFound, a
	// revoked one changes nothing.
	RevokeAPIToken(ctx context.Context, hash string, at time.Time, audit ...AuditEvent) error

	CreateEnrolment(ctx context.Context, e *Enrolment, audit ...AuditEvent) error
	// CreateEnrolments stores many codes in one transaction: an operator
	// prints the codes of a whole kecamatan at once.
	CreateEnrolments(ctx context.Context, es []Enrolment, audit ...AuditEvent) error
	// ReplaceEnrolments is CreateEnrolments for a reprinted sheet: in the
	// same transaction, every code still unused and unexpired at at for the
	// same TPS, role and party as one of es stops working (it expires at
	// at), so only the new sheet enrols. It returns how many were replaced.
	ReplaceEnrolments(ctx context.Context, es []Enrolment, at time.Time, audit ...AuditEvent) (int, error)
	// ClaimEnrolment marks the unused, unexpired code as used and stores d,
	// atomically, with the audit entries audit (when not nil) makes of the
	// claimed enrolment. A used, expired or unknown code gives
	// EUnauthorized.
	ClaimEnrolment(ctx context.Context, codeHash string, d *Device, audit func(*Enrolment) []AuditEvent) (*Enrolment, error)
	// DeviceByID returns a device, revoked or not.
	DeviceByID(ctx context.Context, id string) (*Device, error)
	Devices(ctx context.Context) ([]Device, error)
	// DeviceList is one page of the devices of a region with the TPS that
	// have none working (the operators' /perangkat), filtered and counted
	// in the store.
	DeviceList(ctx context.Context, f DeviceFilter) (DevicePage, error)

	// SecretKeyCheck returns what the database remembers of the server
	// key it is used with (auth.KeyCheck), ENotFound before the first.
	SecretKeyCheck(ctx context.Context) (string, error)
	// InitSecretKeyCheck stores check unless one is stored already, and
	// returns the one stored: of two nodes starting at once, one wins.
	InitSecretKeyCheck(ctx context.Context, check string) (string, error)
	// RevokeDevice revokes a device and returns it as stored; a device
	// revoked before keeps its first RevokedAt and appends nothing. An
	// unknown id gives ENotFound.
	RevokeDevice(ctx context.Context, id string, at time.Time, audit ...AuditEvent) (*Device, error)
	// RevokedDevices returns the devices revoked at or after since: how a
	// node that missed a notice catches up.
	RevokedDevices(ctx context.Context, since time.Time) ([]Device, error)
}

// RevocationFeed is implemented by stores that several nodes share: it
// delivers the id of every device revoked by any of them, as soon as the
// revocation commits. The channel closes when ctx ends. Delivery is best
// effort (a dropped connection loses notices), so a node also asks
// RevokedDevices from time to time.
type RevocationFeed interface {
	Revocations(ctx context.Context) <-chan string
}

// Store is everything a deployment persists. Lookups of missing rows give
// an *Error with code ENotFound.
type Store interface {
	RegistryStore
	VersionStore
	AccountStore
	SMSStore
	PhotoStore
	DispatchStore
	AuditStore
	AnomalyReviewStore
	ConnectivityStore
	SiteStore
	PostponementStore
	BallotStore
	LocationStore
	DisasterStore
	ShipmentStore
	CustodyStore
	MeetingStore
	SitrepStore
	VulnerabilityStore
	IncidentStore
	CaseStore
	WarningStore
	// Ping answers nil when the store answers a query (/readyz), else an
	// error with code EUnavailable.
	Ping(ctx context.Context) error
	Close() error
}
