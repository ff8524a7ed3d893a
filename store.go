package siaga

import (
	"context"
	"time"
)

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
	// AppendVersions stores vs in one transaction and returns only when it
	// is durable. A submission id that is already stored fails the whole
	// call with code EConflict and stores nothing.
	AppendVersions(ctx context.Context, vs []Version) error
	// EachVersion calls fn for every stored version in the order they were
	// stored; it stops at fn's first error and returns it.
	EachVersion(ctx context.Context, fn func(*Version) error) error
	// VersionsOfTPS returns every version of every contest and source of one
	// TPS, oldest first.
	VersionsOfTPS(ctx context.Context, tps string) ([]Version, error)
}

// AccountStore keeps users, sessions, tokens and devices.
type AccountStore interface {
	// CreateUser sets u.ID. A taken username gives EConflict.
	CreateUser(ctx context.Context, u *User) error
	UserByUsername(ctx context.Context, username string) (*User, error)
	UserByID(ctx context.Context, id int64) (*User, error)
	Users(ctx context.Context) ([]User, error)

	CreateSession(ctx context.Context, s *Session) error
	SessionByTokenHash(ctx context.Context, hash string) (*Session, error)
	DeleteSession(ctx context.Context, hash string) error
	// DeleteExpiredSessions deletes the sessions expired at now and says
	// how many there were.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)

	CreateAPIToken(ctx context.Context, t *APIToken) error
	APITokenByHash(ctx context.Context, hash string) (*APIToken, error)

	CreateEnrolment(ctx context.Context, e *Enrolment) error
	// CreateEnrolments stores many codes in one transaction: an operator
	// prints the codes of a whole kecamatan at once.
	CreateEnrolments(ctx context.Context, es []Enrolment) error
	// ClaimEnrolment marks the unused, unexpired code as used and stores d,
	// atomically. A used, expired or unknown code gives EUnauthorized.
	ClaimEnrolment(ctx context.Context, codeHash string, d *Device) (*Enrolment, error)
	DeviceByID(ctx context.Context, id string) (*Device, error)
	Devices(ctx context.Context) ([]Device, error)

	// SecretKeyCheck returns what the database remembers of the server
	// key it is used with (auth.KeyCheck), ENotFound before the first.
	SecretKeyCheck(ctx context.Context) (string, error)
	// InitSecretKeyCheck stores check unless one is stored already, and
	// returns the one stored: of two nodes starting at once, one wins.
	InitSecretKeyCheck(ctx context.Context, check string) (string, error)
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
	Close() error
}
