package auth

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"

	"github.com/deskpemilu/siaga"
)

// SurveyDomain prefixes the bytes a device signs for a signal survey. A
// survey is signed as the exact JSON text the phone sends (floats have no
// canonical form that Go and JavaScript write alike), and the prefix keeps
// that signature from ever verifying as a submission's or a photo
// declaration's, whose canonical bytes start with "{".
const SurveyDomain = "siaga-survey\n"

// VerifySurvey checks that survey (the JSON text as sent) is signed by an
// enrolled device that is not revoked, and that the survey is of the
// device's own TPS: a phone vouches for the place it was enrolled at, not
// for any other. Any field role may survey (KPPS, saksi, PTPS). The
// returned device is shared and must not be modified.
func (s *Service) VerifySurvey(ctx context.Context, device, tps string, survey []byte, signature string) (*siaga.Device, error) {
	d, err := s.verifyDomain(ctx, SurveyDomain, device, survey, signature)
	if err != nil {
		return nil, err
	}
	// Authorisation only after authentication, as for submissions.
	if tps != d.TPS {
		return nil, siaga.Errorf(siaga.EForbidden, "tps", "Perangkat ini terdaftar untuk TPS %s dan hanya boleh mensurvei TPS itu",
			"this device is enrolled for TPS %s and may survey that TPS only", d.TPS)
	}
	return d, nil
}

// verifyDomain finds the enrolled, unrevoked device and checks that
// signature is its Ed25519 signature of domain followed by signed: the
// authentication every signed item that is not a submission shares
// (surveys, logistics). Authorisation is the caller's, after it.
func (s *Service) verifyDomain(ctx context.Context, domain, device string, signed []byte, signature string) (*siaga.Device, error) {
	if device == "" {
		return nil, errUnauthorized("device", "Perangkat tidak disebutkan", "Device missing")
	}
	d, err := s.device(ctx, device)
	if err != nil {
		return nil, err
	}
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || len(sig) != ed25519.SignatureSize || len(d.PublicKey) != ed25519.PublicKeySize {
		return nil, errSignature()
	}
	msg := make([]byte, 0, len(domain)+len(signed))
	msg = append(append(msg, domain...), signed...)
	if !ed25519.Verify(d.PublicKey, msg, sig) {
		return nil, errSignature()
	}
	return d, nil
}
