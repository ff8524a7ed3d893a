package auth

import (
	"context"

	"github.com/deskpemilu/siaga"
)

// IncidentDomain prefixes the bytes a TPS officer's phone signs for an
// incident report: the report's exact JSON text, one line naming an
// evidence upload ("POST /api/v1/field/incidents/<id>/evidence\n<sha256>")
// or a read of its own reports ("GET /api/v1/field/incidents\n<time>").
// The prefix keeps any of these from verifying as a submission, a survey
// or a logistics item, and the other way round.
const IncidentDomain = "siaga-incident\n"

// incidentDeviceRoles are the phones that report incidents at their TPS:
// the KPPS's and the Panwas TPS's. A witness reports to its party.
var incidentDeviceRoles = map[siaga.Role]bool{siaga.RoleKPPS: true, siaga.RolePTPS: true}

// VerifyIncident checks that signed (the bytes as sent, without the
// domain) carries the signature of an enrolled, unrevoked KPPS or PTPS
// device and, when tps is not empty, that the device is enrolled for that
// TPS: an officer reports what happens at their own TPS. A read of the
// device's own reports names no TPS. The returned device is shared and
// must not be modified.
func (s *Service) VerifyIncident(ctx context.Context, device, tps string, signed []byte, signature string) (*siaga.Device, error) {
	d, err := s.verifyDomain(ctx, IncidentDomain, device, signed, signature)
	if err != nil {
		return nil, err
	}
	// Authorisation only after authentication, as for submissions.
	if !incidentDeviceRoles[d.Role] {
		return nil, siaga.Errorf(siaga.EForbidden, "device", "Hanya ponsel KPPS atau PTPS yang melaporkan insiden TPS; perangkat ini terdaftar sebagai %s",
			"only a KPPS or PTPS phone reports a TPS's incidents; this device is enrolled as %s", d.Role)
	}
	if tps != "" && tps != d.TPS {
		return nil, siaga.Errorf(siaga.EForbidden, "tps", "Perangkat ini terdaftar untuk TPS %s dan hanya boleh melaporkan insiden di TPS itu",
			"this device is enrolled for TPS %s and may report incidents at that TPS only", d.TPS)
	}
	return d, nil
}
