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
	codes, err := s.IssueEnrolments(ctx, operator, []string{tps}, role, ttl)
	if err != nil {
		return "", err
	}
	return codes[0], nil
}

// IssueEnrolments issues one code per TPS in one transaction, in the order
// of tps: the sheet of QR codes an operator prints for a kecamatan. A TPS
// listed twice is refused, so that every code stored is a code returned.
// A saksi code carries the issuing coordinator's party to the device.
func (s *Service) IssueEnrolments(ctx context.Context, operator *siaga.User, tps []string, role siaga.Role, ttl time.Duration) ([]string, error) {
	b, err := s.newEnrolments(operator, tps, role, ttl, false)
	if err != nil {
		return nil, err
	}
	if err := s.Store.CreateEnrolments(ctx, b.enrolments, b.audit...); err != nil {
		return nil, fmt.Errorf("storing %d enrolment codes: %w", len(b.enrolments), err)
	}
	return b.issue.Codes, nil
}

// ReissueEnrolments is IssueEnrolments for a printed sheet: a TPS's code
// still unused for the same role (and party) stops working, so that only
// the sheet printed last enrols, and a lost sheet is undone by printing
// another.
func (s *Service) ReissueEnrolments(ctx context.Context, operator *siaga.User, tps []string, role siaga.Role, ttl time.Duration) (*siaga.EnrolmentIssue, error) {
	b, err := s.newEnrolments(operator, tps, role, ttl, true)
	if err != nil {
		return nil, err
	}
	n, err := s.Store.ReplaceEnrolments(ctx, b.enrolments, b.now, b.audit...)
	if err != nil {
		return nil, fmt.Errorf("storing %d enrolment codes: %w", len(b.enrolments), err)
	}
	b.issue.Replaced = n
	return &b.issue, nil
}

// enrolmentBatch is a batch of codes ready to store.
type enrolmentBatch struct {
	now        time.Time
	issue      siaga.EnrolmentIssue
	enrolments []siaga.Enrolment
	audit      []siaga.AuditEvent
}

// newEnrolments checks and makes the codes of tps; replaces says, in each
// audit entry, whether they replace the TPS's unused codes.
func (s *Service) newEnrolments(operator *siaga.User, tps []string, role siaga.Role, ttl time.Duration, replaces bool) (*enrolmentBatch, error) {
	if err := checkList(tps); err != nil {
		return nil, err
	}
	var party siaga.PartyRef
	if operator != nil && role.HasParty() {
		party = operator.Party
	}
	now := s.Now().UTC()
	b := &enrolmentBatch{now: now, enrolments: make([]siaga.Enrolment, len(tps)), audit: make([]siaga.AuditEvent, len(tps)),
		issue: siaga.EnrolmentIssue{TPS: tps, Codes: make([]string, len(tps)), Role: role, Party: party, ExpiresAt: now.Add(ttl)}}
	for i, t := range tps {
		if err := checkIssue(operator, t, role, party, ttl); err != nil {
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
		b.issue.Codes[i] = FormatCode(code)
		b.enrolments[i] = siaga.Enrolment{CodeHash: h, TPS: t, Role: role, Party: party, IssuedBy: operator.ID, ExpiresAt: b.issue.ExpiresAt}
		detail := map[string]any{"role": role, "party": party, "expires_at": b.issue.ExpiresAt}
		if replaces {
			detail["replaces_unused"] = true
		}
		b.audit[i] = siaga.AuditEvent{At: now, Actor: Actor(operator), Action: siaga.AuditEnrolIssue, Subject: t, Scope: t,
			Detail: siaga.AuditDetail(detail)}
	}
	return b, nil
}

// checkList refuses an empty list and a TPS listed twice, naming both
// rows (counted from 1).
func checkList(tps []string) error {
	if len(tps) == 0 {
		return siaga.Errorf(siaga.EInvalid, "tps", "Sebutkan minimal satu TPS", "name at least one TPS")
	}
	seen := make(map[string]int, len(tps))
	for i, t := range tps {
		if j, ok := seen[t]; ok {
			return siaga.Errorf(siaga.EInvalid, "tps",
				"TPS %s tercantum dua kali (baris %d dan %d); satu kode per TPS per permintaan",
				"TPS %s is listed twice (rows %d and %d); one code per TPS per request", t, j+1, i+1)
		}
		seen[t] = i
	}
	return nil
}

func checkIssue(operator *siaga.User, tps string, role siaga.Role, party siaga.PartyRef, ttl time.Duration) error {
	if operator == nil {
		return errUnauthorized("", "Harus masuk terlebih dahulu", "Login required")
	}
	if !siaga.IsTPSCode(tps) {
		return siaga.Errorf(siaga.EInvalid, "tps", "Kode TPS harus 13 angka", "TPS code must be 13 digits")
	}
	if err := CanEnrol(operator, tps, role, party); err != nil {
		return err
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
	e, err := s.claim(ctx, canon, d, func(e *siaga.Enrolment) []siaga.AuditEvent {
		return []siaga.AuditEvent{{At: d.EnrolledAt, Actor: "device:" + d.ID, Action: siaga.AuditEnrolClaim,
			Subject: d.ID, Scope: e.TPS,
			Detail: siaga.AuditDetail(map[string]any{"role": e.Role, "party": e.Party, "issued_by": e.IssuedBy})}}
	})
	switch {
	case siaga.ErrorCode(err) == siaga.EUnauthorized || siaga.ErrorCode(err) == siaga.ENotFound:
		return nil, nil, errUnauthorized("code",
			"Kode pendaftaran tidak dikenal, sudah dipakai atau sudah kedaluwarsa",
			"Enrolment code unknown, already used or expired")
	case err != nil:
		return nil, nil, fmt.Errorf("claiming enrolment: %w", err)
	}
	d.TPS, d.Role, d.Party = e.TPS, e.Role, e.Party
	s.devices.Store(d.ID, d)
	return d, secret, nil
}

// claim claims the code for d. Codes issued before codes were hashed with
// the server key are stored as plain SHA-256; they are tried second, and
// are gone once the last of them expires (MaxEnrolmentTTL after upgrading).
func (s *Service) claim(ctx context.Context, code string, d *siaga.Device, audit func(*siaga.Enrolment) []siaga.AuditEvent) (*siaga.Enrolment, error) {
	h, err := s.codeHash(code)
	if err != nil {
		return nil, err
	}
	e, err := s.Store.ClaimEnrolment(ctx, h, d, audit)
	if c := siaga.ErrorCode(err); c == siaga.EUnauthorized || c == siaga.ENotFound {
		return s.Store.ClaimEnrolment(ctx, hashSecret(code), d, audit)
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
