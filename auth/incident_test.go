package auth

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"testing"

	"github.com/deskpemilu/siaga"
)

func (e enrolled) signIncident(text string) string {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(e.key, []byte(IncidentDomain+text)))
}

func TestVerifyIncident(t *testing.T) {
	s, _ := newService(t)
	kpps := enrolDevice(t, s, tpsA, siaga.RoleKPPS)
	ptps := enrolDevice(t, s, tpsA, siaga.RolePTPS)
	saksi := enrolDevice(t, s, tpsA, siaga.RoleSaksi)
	other := enrolDevice(t, s, tpsB, siaga.RoleKPPS)
	revoked := enrolDevice(t, s, tpsA, siaga.RoleKPPS)
	if _, err := s.RevokeDevice(context.Background(), overseer(siaga.RoleKPPS), revoked.ID); err != nil {
		t.Fatal(err)
	}
	const item = `{"id":"o1","tps":"` + tpsA + `","category":"politik_uang","text":"amplop"}`

	tests := []struct {
		name                string
		device, tps, signed string
		signature           string
		wantCode, wantField string
	}{
		{"kpps, own tps", kpps.ID, tpsA, item, kpps.signIncident(item), "", ""},
		{"ptps, own tps", ptps.ID, tpsA, item, ptps.signIncident(item), "", ""},
		{"a read of its own", kpps.ID, "", "GET /x\n2024-02-14T08:00:00Z", kpps.signIncident("GET /x\n2024-02-14T08:00:00Z"), "", ""},
		{"changed text", kpps.ID, tpsA, item + " ", kpps.signIncident(item), siaga.EUnauthorized, "signature"},
		{"signed without the domain", kpps.ID, tpsA, item,
			base64.StdEncoding.EncodeToString(ed25519.Sign(kpps.key, []byte(item))), siaga.EUnauthorized, "signature"},
		{"logistics' domain", kpps.ID, tpsA, item, kpps.signLogistics(item), siaga.EUnauthorized, "signature"},
		{"signed by another device", kpps.ID, tpsA, item, other.signIncident(item), siaga.EUnauthorized, "signature"},
		{"no device", "", tpsA, item, kpps.signIncident(item), siaga.EUnauthorized, "device"},
		{"revoked", revoked.ID, tpsA, item, revoked.signIncident(item), siaga.EUnauthorized, "device"},
		{"another tps", other.ID, tpsA, item, other.signIncident(item), siaga.EForbidden, "tps"},
		{"a witness's phone", saksi.ID, tpsA, item, saksi.signIncident(item), siaga.EForbidden, "device"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := s.VerifyIncident(context.Background(), tt.device, tt.tps, []byte(tt.signed), tt.signature)
			if tt.wantCode != "" {
				wantError(t, err, tt.wantCode, tt.wantField)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.ID != tt.device {
				t.Errorf("device %s, want %s", d.ID, tt.device)
			}
		})
	}
}
