// Package auth decides who is speaking to Siaga: operators with passwords,
// sessions and API tokens, and field devices that sign every submission
// with the Ed25519 key they enrolled with.
package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/deskpemilu/siaga"
)

// DefaultSessionTTL covers a long election-night shift.
const DefaultSessionTTL = 12 * time.Hour

// DefaultMaxHashes is how many password hashes are computed at once unless
// configured: each holds Argon.Memory (19 MiB) and a core for tens of
// milliseconds, so a burst of anonymous logins cannot take the memory and
// CPU that forms need. Two keep up with dozens of logins a second.
const DefaultMaxHashes = 2

// DefaultHashWait is how long a login waits for its turn before it is
// answered 503: long enough to ride out a burst, short enough that a flood
// of attempts does not pile up goroutines.
const DefaultHashWait = 2 * time.Second

// Service authenticates users and devices against an AccountStore.
type Service struct {
	Store      siaga.AccountStore
	Now        func() time.Time
	SessionTTL time.Duration
	Argon      Params    // cost of new password hashes; tests lower it
	Rand       io.Reader // source of salts, tokens and codes
	// Key is the server key, kept outside the database (SIAGA_SECRET_KEY
	// or the data folder's secret.key). Device SMS secrets are derived
	// from it and enrolment codes are hashed with it, so a copied database
	// alone forges neither. Without it no device can enrol.
	Key []byte
	// MaxHashes bounds the password hashes computed at once and HashWait
	// how long a login waits for one (zero: the defaults). MaxHashes is
	// read once, at the first hash.
	MaxHashes int
	HashWait  time.Duration
	// Throttle limits failed logins per account and per client address;
	// nil means none.
	Throttle *Throttle
	Logger   *slog.Logger

	// devices caches enrolled devices by id: a device never changes once
	// enrolled, and every submission needs its key.
	devices sync.Map // string → *siaga.Device

	hashOnce  sync.Once
	hashSlots chan struct{}
	// hashWaiting counts the callers waiting for a slot.
	hashWaiting atomic.Int32
	// idKey is argon2.IDKey; tests count the calls running at once.
	idKey idKeyFunc

	dummyOnce sync.Once
	dummyHash string
}

// New returns a Service with production defaults. A nil now means time.Now.
func New(store siaga.AccountStore, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{
		Store:      store,
		Now:        now,
		SessionTTL: DefaultSessionTTL,
		Argon:      DefaultParams(),
		Rand:       rand.Reader,
		Throttle:   NewThrottle(DefaultThrottle()),
		Logger:     slog.New(slog.DiscardHandler),
	}
}

// randomToken returns n random bytes, base64url without padding so that it
// travels unescaped in cookies, headers and URLs.
func (s *Service) randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.Rand, b); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// hashSecret is how session and API tokens are stored: a leaked database
// must not hand out working credentials. They carry 256 random bits, so an
// unsalted fast hash cannot be reversed by guessing. Enrolment codes are
// short and are hashed with the server key instead (keyedHash).
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// keyedHash is HMAC-SHA256 under the server key with a purpose label:
// deterministic, so that lookups stay indexed, but useless to whoever has
// the database without the key.
func (s *Service) keyedHash(purpose, secret string) ([]byte, error) {
	if len(s.Key) == 0 {
		return nil, fmt.Errorf("auth: no server key configured (SIAGA_SECRET_KEY or secret.key)")
	}
	mac := hmac.New(sha256.New, s.Key)
	mac.Write([]byte(purpose))
	mac.Write([]byte{'\n'})
	mac.Write([]byte(secret))
	return mac.Sum(nil), nil
}

// KeyCheck is what a database remembers of the server key it was used
// with: a node started with another key (or none) would issue secrets the
// enrolled devices do not hold, so it refuses to start instead. It reveals
// nothing of the key.
func KeyCheck(key []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("siaga-key-check-1"))
	return hex.EncodeToString(mac.Sum(nil))
}

// withHashSlot runs fn, which computes a password hash, once fewer than
// MaxHashes others run. A caller that waits longer than HashWait, or whose
// context ends, gets EUnavailable.
func (s *Service) withHashSlot(ctx context.Context, fn func(idKeyFunc)) error {
	s.hashOnce.Do(func() {
		n := s.MaxHashes
		if n <= 0 {
			n = DefaultMaxHashes
		}
		s.hashSlots = make(chan struct{}, n)
		if s.idKey == nil {
			s.idKey = argon2.IDKey
		}
	})
	select {
	case s.hashSlots <- struct{}{}:
	default:
		wait := s.HashWait
		if wait <= 0 {
			wait = DefaultHashWait
		}
		t := time.NewTimer(wait)
		defer t.Stop()
		s.hashWaiting.Add(1)
		defer s.hashWaiting.Add(-1)
		select {
		case s.hashSlots <- struct{}{}:
		case <-t.C:
			return errBusy()
		case <-ctx.Done():
			return errBusy()
		}
	}
	defer func() { <-s.hashSlots }()
	fn(s.idKey)
	return nil
}

func errBusy() error {
	e := siaga.Errorf(siaga.EUnavailable, "",
		"Server sedang sibuk memeriksa kata sandi; coba lagi sebentar lagi",
		"The server is busy checking passwords; try again in a moment")
	e.RetryAfter = 5 * time.Second
	return e
}

// hash hashes a new password under the bound on concurrent hashes.
func (s *Service) hash(ctx context.Context, pw, username string) (string, error) {
	if err := checkPasswordPolicy(pw, username); err != nil {
		return "", err
	}
	var h string
	var herr error
	err := s.withHashSlot(ctx, func(idKey idKeyFunc) { h, herr = hashPassword(idKey, s.Argon, s.Rand, pw, username) })
	if err != nil {
		return "", err
	}
	return h, herr
}

// check compares pw with a stored hash under the bound on concurrent
// hashes.
func (s *Service) check(ctx context.Context, encoded, pw string) (bool, error) {
	var ok bool
	var cerr error
	err := s.withHashSlot(ctx, func(idKey idKeyFunc) { ok, cerr = checkPassword(idKey, encoded, pw) })
	if err != nil {
		return false, err
	}
	return ok, cerr
}

// dummy is a valid hash of no real password, checked when the username is
// unknown so that a login costs the same either way.
func (s *Service) dummy() string {
	s.dummyOnce.Do(func() {
		h, err := hashPassword(argon2.IDKey, s.Argon, s.Rand, "tidak-ada-pengguna-ini", "")
		if err == nil {
			s.dummyHash = h
		}
	})
	return s.dummyHash
}

func errUnauthorized(field, id, en string, args ...any) error {
	return siaga.Errorf(siaga.EUnauthorized, field, id, en, args...)
}
