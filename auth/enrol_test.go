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

// A copied database holds neither the devices' SMS secrets nor enrolment
// codes in a form that can be searched offline: both need the server key.
func TestEnrolSecretsAtRest(t *testing.T) {
	s, clk := newService(t)
	ctx := context.Background()
	ppk := mustUser(t, s, "ppk.sumur", siaga.RolePPK, "360101")
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	code, err := s.IssueEnrolment(ctx, ppk, tpsA, siaga.RoleKPPS, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	canon, _ := NormalizeCode(code)

	t.Run("code not stored as its plain hash", func(t *testing.T) {
		probe := &siaga.Device{ID: "0190f7a2-2b1c-7000-8000-0000000000aa", PublicKey: pub, EnrolledAt: clk.Now()}
		_, err := s.Store.ClaimEnrolment(ctx, hashSecret(canon), probe, nil)
		wantError(t, err, siaga.EUnauthorized, "code")
	})
	t.Run("another key cannot claim it", func(t *testing.T) {
		other := New(s.Store, clk.Now)
		other.Key = []byte("kunci-lain-0123456789abcdef0123456")
		_, _, err := other.Enrol(ctx, code, pub)
		wantError(t, err, siaga.EUnauthorized, "code")
	})

	d, secret, err := s.Enrol(ctx, code, pub)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.Store.DeviceByID(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.Secret) != 0 {
		t.Errorf("the device's secret is stored: %x", stored.Secret)
	}
	derived, err := s.DeviceSecret(d.ID)
	if err != nil || string(derived) != string(secret) || len(secret) != 32 {
		t.Errorf("DeviceSecret = %x, %v; Enrol returned %x", derived, err, secret)
	}
	other := New(s.Store, clk.Now)
	other.Key = []byte("kunci-lain-0123456789abcdef0123456")
	if x, _ := other.DeviceSecret(d.ID); string(x) == string(secret) {
		t.Error("the device secret does not depend on the server key")
	}

	t.Run("code issued before keyed hashes", func(t *testing.T) {
		const old = "ABCDEFGHJK"
		e := &siaga.Enrolment{CodeHash: hashSecret(old), TPS: tpsA, Role: siaga.RoleSaksi, IssuedBy: ppk.ID, ExpiresAt: clk.Now().Add(time.Hour)}
		if err := s.Store.CreateEnrolment(ctx, e); err != nil {
			t.Fatal(err)
		}
		d, _, err := s.Enrol(ctx, FormatCode(old), pub)
		if err != nil || d.Role != siaga.RoleSaksi {
			t.Fatalf("legacy code: %v, %v", d, err)
		}
	})
	t.Run("no key", func(t *testing.T) {
		keyless := New(s.Store, clk.Now)
		if _, err := keyless.IssueEnrolment(ctx, ppk, tpsA, siaga.RoleKPPS, time.Hour); err == nil || siaga.ErrorCode(err) != siaga.EInternal {
			t.Errorf("issued a code without a server key: %v", err)
		}
		if _, err := keyless.DeviceSecret(d.ID); err == nil {
			t.Error("derived a device secret without a server key")
		}
	})
}

// TestReissueEnrolments: a reprinted sheet replaces the unused code of
// each of its TPS, for the same role only; a used code stays used, and the
// operator's role decides which device role it may print (kpu_kab cannot
// print witness codes).
func TestReissueEnrolments(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	ppk := mustUser(t, s, "ppk.sumur", siaga.RolePPK, "360101")
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.ReissueEnrolments(ctx, ppk, []string{tpsA}, siaga.RoleKPPS, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if first.Replaced != 0 || len(first.Codes) != 1 || !first.ExpiresAt.Equal(s.Now().Add(time.Hour)) {
		t.Errorf("first sheet %+v: want one code, none replaced, expiring in an hour", first)
	}
	witness, err := s.IssueEnrolment(ctx, koord("3601", party1), tpsA, siaga.RoleSaksi, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.ReissueEnrolments(ctx, ppk, []string{tpsA}, siaga.RoleKPPS, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if second.Replaced != 1 {
		t.Errorf("second sheet replaced %d codes, want 1", second.Replaced)
	}
	_, _, err = s.Enrol(ctx, first.Codes[0], pub)
	wantError(t, err, siaga.EUnauthorized, "code")
	for _, code := range []string{second.Codes[0], witness} {
		if _, _, err := s.Enrol(ctx, code, pub); err != nil {
			t.Errorf("enrol with %s: %v", code, err)
		}
	}
	for _, tt := range []struct {
		name  string
		by    *siaga.User
		role  siaga.Role
		field string
	}{
		{"kpu_kab saksi", user(siaga.RoleKPUKab, "3601"), siaga.RoleSaksi, "role"},
		{"bawaslu kpps", user(siaga.RoleBawaslu, "3601"), siaga.RoleKPPS, "role"},
		{"out of scope", user(siaga.RolePPK, "360201"), siaga.RoleKPPS, "tps"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.ReissueEnrolments(ctx, tt.by, []string{tpsA}, tt.role, time.Hour)
			wantError(t, err, siaga.EForbidden, tt.field)
		})
	}
}
