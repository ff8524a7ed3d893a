package auth

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"

	"github.com/deskpemilu/siaga"
)

// VerifyPhoto checks that a photo declaration is signed by its enrolled
// device. Any field role may send photos: KPPS, saksi and PTPS all
// photograph their copy. The returned device is shared and must not be
// modified.
func (s *Service) VerifyPhoto(ctx context.Context, d *siaga.PhotoDeclaration) (*siaga.Device, error) {
	if d.Device == "" {
		return nil, errUnauthorized("device", "Perangkat tidak disebutkan", "Device missing")
	}
	dev, err := s.device(ctx, d.Device)
	if err != nil {
		return nil, err
	}
	sig, err := base64.StdEncoding.DecodeString(d.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize || len(dev.PublicKey) != ed25519.PublicKeySize {
		return nil, errSignature()
	}
	if !ed25519.Verify(dev.PublicKey, d.CanonicalBytes(), sig) {
		return nil, errSignature()
	}
	return dev, nil
}
