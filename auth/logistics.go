package auth

import (
	"context"

	"github.com/deskpemilu/siaga"
)

// LogisticsDomain prefixes the bytes a KPPS phone signs for logistics: a
// proof of delivery (BTTB), a handover of the sealed boxes, a photo of
// either, or a read of its TPS's shipments. An item is signed as the exact
// JSON text the phone sends; a read or a photo as one line naming the
// request ("GET /api/v1/…\n<time>", "PUT /api/v1/…"). The prefix keeps
// any of these from ever verifying as a submission (canonical bytes start
// with "{"), a photo declaration or a survey ("siaga-survey\n"), and the
// other way round.
const LogisticsDomain = "siaga-logistics\n"

// VerifyLogistics checks that signed (the bytes as sent, without the
// domain) carries the signature of an enrolled KPPS device that is not
// revoked, and that the device is enrolled for tps, the TPS the item is
// about. A TPS's logistics are the KPPS's to sign for: a witness's or a
// PTPS's phone counts votes, it does not receive ballot boxes. The
// returned device is shared and must not be modified.
func (s *Service) VerifyLogistics(ctx context.Context, device, tps string, signed []byte, signature string) (*siaga.Device, error) {
	d, err := s.verifyDomain(ctx, LogisticsDomain, device, signed, signature)
	if err != nil {
		return nil, err
	}
	// Authorisation only after authentication, as for submissions.
	if d.Role != siaga.RoleKPPS {
		return nil, siaga.Errorf(siaga.EForbidden, "device", "Hanya ponsel KPPS yang mencatat logistik TPS; perangkat ini terdaftar sebagai %s",
			"only a KPPS phone records a TPS's logistics; this device is enrolled as %s", d.Role)
	}
	if tps != d.TPS {
		return nil, siaga.Errorf(siaga.EForbidden, "tps", "Perangkat ini terdaftar untuk TPS %s dan hanya boleh mencatat logistik TPS itu",
			"this device is enrolled for TPS %s and may record that TPS's logistics only", d.TPS)
	}
	return d, nil
}
