package auth

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
)

// MaxEnrolmentTTL bounds how long an unused code stays a credential.
const MaxEnrolmentTTL = 30 * 24 * time.Hour

// IssueEnrolment creates a one-time code with which one device of tps
// enrols under role. It returns the code grouped for reading.
func (s *Service) IssueEnrolment(ctx context.Context, operator *siaga.User, tps string, role siaga.Role, ttl time.Duration) (string, error) {
	if err := checkIssue(operator, tps, role, ttl); err != nil {
		return "", err
	}
	code, err := newCode(s.Rand)
	if err != nil {
		return "", err
	}
	h, err := s.codeHash(code)
	if err != nil {
		return "", err
	}
	e := &siaga.Enrolment{
		CodeHash: h, TPS: tps, Role: role,
		IssuedBy: operator.ID, ExpiresAt: s.Now().Add(ttl).UTC(),
	}
	if err := s.Store.CreateEnrolment(ctx, e); err != nil {
		return "", fmt.Errorf("storing enrolment for TPS %s: %w", tps, err)
	}
	return FormatCode(code), nil
}

// IssueEnrolments issues one code per TPS in one transaction, in the order
// of tps: the sheet of QR codes an operator prints for a kecamatan.
func (s *Service) IssueEnrolments(ctx context.Context, operator *siaga.User, tps []string, role siaga.Role, ttl time.Duration) ([]string, error) {
	codes := make([]string, len(tps))
	es := make([]siaga.Enrolment, len(tps))
	for i, t := range tps {
		if err := checkIssue(operator, t, role, ttl); err != nil {
			return nil, err
		}
		code, err := newCode(s.Rand)
		if err != nil {
			return nil, err
		}
		h, err := s.codeHash(code)
		if err != nil {
			return nil, err
		}
		codes[i] = FormatCode(code)
		es[i] = siaga.Enrolment{CodeHash: h, TPS: t, Role: role, IssuedBy: operator.ID, ExpiresAt: s.Now().Add(ttl).UTC()}
	}
	if err := s.Store.CreateEnrolments(ctx, es); err != nil {
		return nil, fmt.Errorf("storing %d enrolment codes: %w", len(es), err)
	}
	return codes, nil
}

func checkIssue(operator *siaga.User, tps string, role siaga.Role, ttl time.Duration) error {
	if operator == nil {
		return errUnauthorized("", "Harus masuk terlebih dahulu", "Login required")
	}
	if !operator.Role.Corrects() {
		return siaga.Errorf(siaga.EForbidden, "role",
			"Peran %s tidak boleh mendaftarkan perangkat", "Role %s may not enrol devices", operator.Role)
	}
	if len(tps) != tpsCodeLen || !allDigits(tps) {
		return siaga.Errorf(siaga.EInvalid, "tps", "Kode TPS harus 13 angka", "TPS code must be 13 digits")
	}
	if !siaga.InScope(operator.Scope, tps) {
		return siaga.Errorf(siaga.EForbidden, "tps",
			"TPS %s di luar wilayah Anda", "TPS %s is outside your region", tps)
	}
	if role.SubmitSource() == "" {
		return siaga.Errorf(siaga.EInvalid, "role",
			"Perangkat hanya untuk peran kpps, saksi atau ptps", "Devices are only for roles kpps, saksi or ptps")
	}
	if ttl <= 0 || ttl > MaxEnrolmentTTL {
		return siaga.Errorf(siaga.EInvalid, "ttl",
			"Masa berlaku kode harus antara 1 detik dan 30 hari", "Code lifetime must be between 1 second and 30 days")
	}
	return nil
}

// Enrol claims a code for the device holding the private half of
// publicKey. secret is returned once, for the device to derive SMS
// authentication codes from.
func (s *Service) Enrol(ctx context.Context, code string, publicKey []byte) (*siaga.Device, []byte, error) {
	canon, err := NormalizeCode(code)
	if err != nil {
		return nil, nil, err
	}
	if len(publicKey) != ed25519.PublicKeySize {
		return nil, nil, siaga.Errorf(siaga.EInvalid, "public_key",
			"Kunci publik harus Ed25519 (%d byte)", "Public key must be Ed25519 (%d bytes)", ed25519.PublicKeySize)
	}
	id, err := uuid.NewV7FromReader(s.Rand)
	if err != nil {
		return nil, nil, fmt.Errorf("device id: %w", err)
	}
	secret, err := s.DeviceSecret(id.String())
	if err != nil {
		return nil, nil, err
	}
	// The secret is not stored: the SMS service derives it again from the
	// key, so a copied database cannot make SMS codes.
	d := &siaga.Device{
		ID: id.String(), PublicKey: append([]byte(nil), publicKey...),
		EnrolledAt: s.Now().UTC(),
	}
	e, err := s.claim(ctx, canon, d)
	switch {
	case siaga.ErrorCode(err) == siaga.EUnauthorized || siaga.ErrorCode(err) == siaga.ENotFound:
		return nil, nil, errUnauthorized("code",
			"Kode pendaftaran tidak dikenal, sudah dipakai atau sudah kedaluwarsa",
			"Enrolment code unknown, already used or expired")
	case err != nil:
		return nil, nil, fmt.Errorf("claiming enrolment: %w", err)
	}
	d.TPS, d.Role = e.TPS, e.Role
	s.devices.Store(d.ID, d)
	return d, secret, nil
}

// claim claims the code for d. Codes issued before codes were hashed with
// the server key are stored as plain SHA-256; they are tried second, and
// are gone once the last of them expires (MaxEnrolmentTTL after upgrading).
func (s *Service) claim(ctx context.Context, code string, d *siaga.Device) (*siaga.Enrolment, error) {
	h, err := s.codeHash(code)
	if err != nil {
		return nil, err
	}
	e, err := s.Store.ClaimEnrolment(ctx, h, d)
	if c := siaga.ErrorCode(err); c == siaga.EUnauthorized || c == siaga.ENotFound {
		return s.Store.ClaimEnrolment(ctx, hashSecret(code), d)
	}
	return e, err
}

// codeHash is how an enrolment code is stored: a code has only 50 bits,
// which a copied database would give up to an offline search were it
// hashed without the server key.
func (s *Service) codeHash(code string) (string, error) {
	h, err := s.keyedHash("siaga-enrolment-code-1", code)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h), nil
}

// DeviceSecret is the enrolment secret of a device, from which it makes
// its SMS authentication codes: HMAC-SHA256 of the device id under the
// server key. It is handed to the device once, at enrolment, and derived
// again whenever an SMS is verified.
func (s *Service) DeviceSecret(deviceID string) ([]byte, error) {
	return s.keyedHash("siaga-device-secret-1", deviceID)
}
