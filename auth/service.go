// Package auth decides who is speaking to Siaga: operators with passwords,
// sessions and API tokens, and field devices that sign every submission
// with the Ed25519 key they enrolled with.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
)

// DefaultSessionTTL covers a long election-night shift.
const DefaultSessionTTL = 12 * time.Hour

// Service authenticates users and devices against an AccountStore.
type Service struct {
	Store      siaga.AccountStore
	Now        func() time.Time
	SessionTTL time.Duration
	Argon      Params    // cost of new password hashes; tests lower it
	Rand       io.Reader // source of salts, tokens and codes

	// devices caches enrolled devices by id: a device never changes once
	// enrolled, and every submission needs its key.
	devices sync.Map // string → *siaga.Device

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

// hashSecret is how tokens and codes are stored: a leaked database must not
// hand out working credentials. The secrets carry enough entropy that an
// unsalted fast hash is sufficient.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// dummy is a valid hash of no real password, checked when the username is
// unknown so that a login costs the same either way.
func (s *Service) dummy() string {
	s.dummyOnce.Do(func() {
		h, err := hashPassword(s.Argon, s.Rand, "tidak-ada-pengguna-ini")
		if err == nil {
			s.dummyHash = h
		}
	})
	return s.dummyHash
}

func errUnauthorized(field, id, en string, args ...any) error {
	return siaga.Errorf(siaga.EUnauthorized, field, id, en, args...)
}
