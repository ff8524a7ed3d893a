package auth

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/deskpemilu/siaga"
)

// VerifySubmission checks that sub is signed by its enrolled device and
// that the device may report it. The returned device is shared and must not
// be modified.
func (s *Service) VerifySubmission(ctx context.Context, sub *siaga.Submission) (*siaga.Device, error) {
	return s.VerifyCanonical(ctx, sub, sub.CanonicalBytes())
}

// VerifyCanonical is VerifySubmission for a caller that already holds
// sub.CanonicalBytes(), so the form is not encoded twice.
func (s *Service) VerifyCanonical(ctx context.Context, sub *siaga.Submission, canonical []byte) (*siaga.Device, error) {
	if sub.Device == "" {
		return nil, errUnauthorized("device", "Perangkat tidak disebutkan", "Device missing")
	}
	d, err := s.device(ctx, sub.Device)
	if err != nil {
		return nil, err
	}
	sig, err := base64.StdEncoding.DecodeString(sub.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize || len(d.PublicKey) != ed25519.PublicKeySize {
		return nil, errSignature()
	}
	if !ed25519.Verify(d.PublicKey, canonical, sig) {
		return nil, errSignature()
	}
	// Authorisation only after authentication, so that an unsigned request
	// learns nothing about which TPS a device belongs to.
	if err := CanDeviceSubmit(d, sub); err != nil {
		return nil, err
	}
	return d, nil
}

func errSignature() error {
	return errUnauthorized("signature", "Tanda tangan tidak sah", "Invalid signature")
}

// device returns an enrolled device that is not revoked, from the cache
// when it can: the hot path asks no database. Unknown ids are not cached
// (the device may enrol a moment later); revoked devices are, so that a
// revoked phone retrying all night costs no query either.
func (s *Service) device(ctx context.Context, id string) (*siaga.Device, error) {
	v, ok := s.devices.Load(id)
	if !ok {
		d, err := s.Store.DeviceByID(ctx, id)
		switch {
		case siaga.ErrorCode(err) == siaga.ENotFound:
			return nil, errUnauthorized("device", "Perangkat tidak terdaftar", "Device not enrolled")
		case err != nil:
			return nil, fmt.Errorf("looking up device %s: %w", id, err)
		}
		// A revocation that arrived while the row was read has stored its
		// mark in the meantime, and that mark wins.
		v, _ = s.devices.LoadOrStore(id, d)
	}
	d := v.(*siaga.Device)
	if !d.RevokedAt.IsZero() {
		return nil, errUnauthorized("device", "Perangkat ini sudah dicabut", "This device has been revoked")
	}
	return d, nil
}

// WarmDevices loads every enrolled device into the cache, revoked ones
// included. On election night the first form from each of tens of
// thousands of phones would otherwise cost a database lookup as large as
// its signature check (measured in BENCHMARKS.md), and a restarted server
// would be slowest when most needed.
func (s *Service) WarmDevices(ctx context.Context) (int, error) {
	all, err := s.Store.Devices(ctx)
	if err != nil {
		return 0, fmt.Errorf("warming the device cache: %w", err)
	}
	for i := range all {
		s.devices.Store(all[i].ID, &all[i])
	}
	return len(all), nil
}

// AuthorParty is the party whoever wrote a version (its Author, as the
// HTTP layer records it) speaks for: a witness device's or account's
// party, "" for anyone else.
func (s *Service) AuthorParty(ctx context.Context, author string) (siaga.PartyRef, error) {
	if id, ok := strings.CutPrefix(author, "device:"); ok {
		if v, ok := s.devices.Load(id); ok {
			return v.(*siaga.Device).Party, nil
		}
		d, err := s.Store.DeviceByID(ctx, id)
		if err != nil {
			return "", notFoundIsNone(author, err)
		}
		return d.Party, nil
	}
	if name, ok := strings.CutPrefix(author, "user:"); ok {
		u, err := s.Store.UserByUsername(ctx, name)
		if err != nil {
			return "", notFoundIsNone(author, err)
		}
		return u.Party, nil
	}
	return "", nil
}

// notFoundIsNone: an author no longer known speaks for no party.
func notFoundIsNone(author string, err error) error {
	if siaga.ErrorCode(err) == siaga.ENotFound {
		return nil
	}
	return fmt.Errorf("author %s: %w", author, err)
}
