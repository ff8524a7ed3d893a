package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
)

func TestIssueEnrolment(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	ppk := mustUser(t, s, "ppk.sumur", siaga.RolePPK, "360101")
	tests := []struct {
		name                string
		op                  *siaga.User
		tps                 string
		role                siaga.Role
		ttl                 time.Duration
		wantCode, wantField string
	}{
		{"ppk kpps", ppk, tpsA, siaga.RoleKPPS, time.Hour, "", ""},
		{"koord saksi", koord("3601", party1), tpsA, siaga.RoleSaksi, time.Hour, "", ""},
		{"bawaslu ptps", user(siaga.RoleBawaslu, "36"), tpsC, siaga.RolePTPS, time.Hour, "", ""},
		{"kab saksi", user(siaga.RoleKPUKab, "3601"), tpsA, siaga.RoleSaksi, time.Hour, siaga.EForbidden, "role"},
		{"prov ptps", user(siaga.RoleKPUProv, "36"), tpsC, siaga.RolePTPS, time.Hour, siaga.EForbidden, "role"},
		{"admin", user(siaga.RoleAdmin, ""), tpsC, siaga.RoleKPPS, time.Hour, siaga.EForbidden, "role"},
		{"nobody", nil, tpsA, siaga.RoleKPPS, time.Hour, siaga.EUnauthorized, ""},
		{"bawaslu kpps", user(siaga.RoleBawaslu, "36"), tpsA, siaga.RoleKPPS, time.Hour, siaga.EForbidden, "role"},
		{"kpps enrols", user(siaga.RoleKPPS, tpsA), tpsA, siaga.RoleKPPS, time.Hour, siaga.EForbidden, "role"},
		{"out of scope", ppk, tpsC, siaga.RoleKPPS, time.Hour, siaga.EForbidden, "tps"},
		{"desa not tps", ppk, "3601012001", siaga.RoleKPPS, time.Hour, siaga.EInvalid, "tps"},
		{"ppk device", ppk, tpsA, siaga.RolePPK, time.Hour, siaga.EInvalid, "role"},
		{"no ttl", ppk, tpsA, siaga.RoleKPPS, 0, siaga.EInvalid, "ttl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, err := s.IssueEnrolment(ctx, tt.op, tt.tps, tt.role, tt.ttl)
			if tt.wantCode != "" {
				wantError(t, err, tt.wantCode, tt.wantField)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(code) != 12 || code[4] != '-' || code[9] != '-' {
				t.Errorf("code %q, want ABCD-EFGH-JK", code)
			}
		})
	}
}

func TestEnrol(t *testing.T) {
	s, clk := newService(t)
	ctx := context.Background()
	ppk := mustUser(t, s, "ppk.sumur", siaga.RolePPK, "360101")
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	code, err := s.IssueEnrolment(ctx, koord("3601", party1), tpsA, siaga.RoleSaksi, time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	_, _, err = s.Enrol(ctx, code, pub[:31])
	wantError(t, err, siaga.EInvalid, "public_key")
	_, _, err = s.Enrol(ctx, code[:11], pub)
	wantError(t, err, siaga.EInvalid, "code")

	// Typed on a phone: lower case, spaces for dashes.
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	d, secret, err := s.Enrol(ctx, typed, pub)
	if err != nil {
		t.Fatal(err)
	}
	if d.TPS != tpsA || d.Role != siaga.RoleSaksi || d.Party != party1 || !d.EnrolledAt.Equal(clk.Now()) {
		t.Errorf("device %+v, want TPS %s role saksi of %s at %v", d, tpsA, party1, clk.Now())
	}
	if id, err := uuid.Parse(d.ID); err != nil || id.Version() != 7 {
		t.Errorf("device id %q: want a UUID v7 (%v)", d.ID, err)
	}
	if len(secret) != 32 || string(secret) == string(make([]byte, 32)) {
		t.Errorf("secret %x", secret)
	}
	stored, err := s.Store.DeviceByID(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d, stored); diff != "" {
		t.Errorf("stored device (-enrolled +stored):\n%s", diff)
	}

	_, _, err = s.Enrol(ctx, code, pub)
	wantError(t, err, siaga.EUnauthorized, "code")

	code2, err := s.IssueEnrolment(ctx, ppk, tpsA, siaga.RoleKPPS, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	_, _, err = s.Enrol(ctx, code2, pub)
	wantError(t, err, siaga.EUnauthorized, "code")

	_, _, err = s.Enrol(ctx, "ZZZZ-ZZZZ-ZZ", pub)
	wantError(t, err, siaga.EUnauthorized, "code")
}

// TestIssueEnrolmentsOnePerTPS: a bulk request listing a TPS twice used to
// store two codes and return one (a map keyed by TPS); now it is refused
// with both rows named, and nothing is stored.
func TestIssueEnrolmentsOnePerTPS(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	ppk := mustUser(t, s, "ppk.sumur", siaga.RolePPK, "360101")
	_, err := s.IssueEnrolments(ctx, ppk, []string{tpsA, tpsB, tpsA}, siaga.RoleKPPS, time.Hour)
	wantError(t, err, siaga.EInvalid, "tps")
	if !strings.Contains(err.(*siaga.Error).MessageEN, "rows 1 and 3") {
		t.Errorf("error %v does not name rows 1 and 3", err)
	}
	page, err := s.Store.(siaga.AuditStore).Audit(ctx, siaga.AuditFilter{Action: siaga.AuditEnrolIssue})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 0 {
		t.Errorf("%d codes issued by a refused request", page.Total)
	}
	codes, err := s.IssueEnrolments(ctx, ppk, []string{tpsA, tpsB}, siaga.RoleKPPS, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 2 || codes[0] == codes[1] {
		t.Errorf("codes %v, want two different", codes)
	}
}
