package auth

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"testing"

	"github.com/deskpemilu/siaga"
)

func (e enrolled) signLogistics(text string) string {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(e.key, []byte(LogisticsDomain+text)))
}

func TestVerifyLogistics(t *testing.T) {
	s, _ := newService(t)
	kpps := enrolDevice(t, s, tpsA, siaga.RoleKPPS)
	saksi := enrolDevice(t, s, tpsA, siaga.RoleSaksi)
	other := enrolDevice(t, s, tpsB, siaga.RoleKPPS)
	revoked := enrolDevice(t, s, tpsA, siaga.RoleKPPS)
	if _, err := s.RevokeDevice(context.Background(), overseer(siaga.RoleKPPS), revoked.ID); err != nil {
		t.Fatal(err)
	}
	const item = `{"delivery":{"shipment":"s1","lines":[{"item":"kotak_suara","counted":4}]}}`

	tests := []struct {
		name                string
		device, tps, signed string
		signature           string
		wantCode, wantField string
	}{
		{"kpps, own tps", kpps.ID, tpsA, item, kpps.signLogistics(item), "", ""},
		{"a read, own tps", kpps.ID, tpsA, "GET /x\n2024-02-12T08:00:00Z", kpps.signLogistics("GET /x\n2024-02-12T08:00:00Z"), "", ""},
		{"changed text", kpps.ID, tpsA, `{"delivery":{"shipment":"s1","lines":[{"item":"kotak_suara","counted":5}]}}`, kpps.signLogistics(item), siaga.EUnauthorized, "signature"},
		{"signed without the domain", kpps.ID, tpsA, item,
			base64.StdEncoding.EncodeToString(ed25519.Sign(kpps.key, []byte(item))), siaga.EUnauthorized, "signature"},
		{"a survey's domain", kpps.ID, tpsA, item,
			base64.StdEncoding.EncodeToString(ed25519.Sign(kpps.key, []byte(SurveyDomain+item))), siaga.EUnauthorized, "signature"},
		{"signed by another device", kpps.ID, tpsA, item, other.signLogistics(item), siaga.EUnauthorized, "signature"},
		{"not base64", kpps.ID, tpsA, item, "%%%", siaga.EUnauthorized, "signature"},
		{"short signature", kpps.ID, tpsA, item, base64.StdEncoding.EncodeToString([]byte("pendek")), siaga.EUnauthorized, "signature"},
		{"no device", "", tpsA, item, kpps.signLogistics(item), siaga.EUnauthorized, "device"},
		{"unknown device", "0190f7a2-2b1c-7000-8000-00000000dead", tpsA, item, kpps.signLogistics(item), siaga.EUnauthorized, "device"},
		{"revoked", revoked.ID, tpsA, item, revoked.signLogistics(item), siaga.EUnauthorized, "device"},
		{"another tps", other.ID, tpsA, item, other.signLogistics(item), siaga.EForbidden, "tps"},
		{"a witness's phone", saksi.ID, tpsA, item, saksi.signLogistics(item), siaga.EForbidden, "device"},
	}
	// A cold cache too: the store lookup and the cached path.
	cold := New(s.Store, s.Now)
	for _, svc := range []*Service{s, cold, cold} {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				d, err := svc.VerifyLogistics(context.Background(), tt.device, tt.tps, []byte(tt.signed), tt.signature)
				if tt.wantCode != "" {
					wantError(t, err, tt.wantCode, tt.wantField)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if d.ID != tt.device || d.TPS != tt.tps {
					t.Errorf("device %+v, want %s of %s", d, tt.device, tt.tps)
				}
			})
		}
	}
}
