package auth

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
)

func TestRevokeDevice(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	kpps := enrolDevice(t, s, tpsA, siaga.RoleKPPS)
	saksi := enrolDevice(t, s, tpsA, siaga.RoleSaksi) // of party 1

	tests := []struct {
		name      string
		by        *siaga.User
		device    string
		wantCode  string
		wantField string
	}{
		{"nobody", nil, kpps.ID, siaga.EUnauthorized, ""},
		{"unknown", user(siaga.RoleAdmin, ""), "0190f7a2-2b1c-7000-8000-00000000dead", siaga.ENotFound, "device"},
		{"bawaslu kpps", user(siaga.RoleBawaslu, "36"), kpps.ID, siaga.EForbidden, "device"},
		{"ppk out of scope", user(siaga.RolePPK, "360201"), kpps.ID, siaga.EForbidden, "device"},
		{"ppk saksi", user(siaga.RolePPK, "360101"), saksi.ID, siaga.EForbidden, "device"},
		{"other party", koord("36", party2), saksi.ID, siaga.EForbidden, "device"},
		{"ppk kpps", user(siaga.RolePPK, "360101"), kpps.ID, "", ""},
		{"again", user(siaga.RolePPK, "360101"), kpps.ID, "", ""},
		{"own party", koord("36", party1), saksi.ID, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := s.RevokeDevice(ctx, tt.by, tt.device)
			if tt.wantCode != "" {
				wantError(t, err, tt.wantCode, tt.wantField)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.RevokedAt.IsZero() {
				t.Errorf("device %s not marked revoked", d.ID)
			}
		})
	}

	// Refused on this node from its cache, and by a node that starts
	// afresh (the store's row).
	cold := New(s.Store, s.Now)
	for _, svc := range []*Service{s, cold, cold} {
		_, err := svc.VerifySubmission(ctx, kpps.sign(ppwpForm(tpsA, siaga.SourceKPPS)))
		wantError(t, err, siaga.EUnauthorized, "device")
	}
	page, err := s.Store.(siaga.AuditStore).Audit(ctx, siaga.AuditFilter{Action: siaga.AuditDeviceRevoke})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 2 {
		t.Errorf("%d revocations in the audit log, want 2 (revoking twice is one revocation)", page.Total)
	}

	// The operator's reason is kept in the audit entry.
	lost := enrolDevice(t, s, tpsA, siaga.RoleKPPS)
	if _, err := s.RevokeDeviceFor(ctx, user(siaga.RolePPK, "360101"), lost.ID, " ponsel hilang "); err != nil {
		t.Fatal(err)
	}
	page, err = s.Store.(siaga.AuditStore).Audit(ctx, siaga.AuditFilter{Action: siaga.AuditDeviceRevoke, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(page.Items[0].Detail); !strings.Contains(got, `"reason":"ponsel hilang"`) {
		t.Errorf("revocation detail %s, want the reason", got)
	}
}

// TestFollowRevocations: a node that cached a device before another
// process on the same database revoked it refuses it within a bounded
// wait, by asking the store for recent revocations.
func TestFollowRevocations(t *testing.T) {
	s, _ := newService(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	kpps := enrolDevice(t, s, tpsA, siaga.RoleKPPS)
	other := New(s.Store, s.Now)
	if _, err := other.WarmDevices(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		other.Follow(ctx, nil, 10*time.Millisecond, s.Now(), slog.New(slog.DiscardHandler))
	}()
	sub := kpps.sign(ppwpForm(tpsA, siaga.SourceKPPS))
	if _, err := other.VerifySubmission(ctx, sub); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RevokeDevice(ctx, Console(), kpps.ID); err != nil {
		t.Fatal(err)
	}
	waitRefused(t, other, sub, 10*time.Second)
	cancel()
	<-done
}

// waitRefused polls until svc refuses sub as revoked, or fails t after
// wait.
func waitRefused(tb testing.TB, svc *Service, sub *siaga.Submission, wait time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(wait)
	for {
		_, err := svc.VerifySubmission(context.Background(), sub)
		if err != nil {
			if siaga.ErrorCode(err) != siaga.EUnauthorized {
				tb.Fatalf("refused with %v, want revoked", err)
			}
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("device %s still accepted %v after its revocation", sub.Device, wait)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRevokeAPIToken(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	owner := mustUser(t, s, "ppk.sumur", siaga.RolePPK, "360101")
	stranger := mustUser(t, s, "ppk.lain", siaga.RolePPK, "360102")
	admin := mustUser(t, s, "admin", siaga.RoleAdmin, "")
	mint := func(name string) (string, *siaga.APIToken) {
		tok, err := s.NewAPIToken(ctx, owner, name)
		if err != nil {
			t.Fatal(err)
		}
		found, err := s.FindAPIToken(ctx, "", tok[:prefixLen])
		if err != nil {
			t.Fatalf("finding %q by its prefix: %v", tok[:prefixLen], err)
		}
		return tok, found
	}
	tokA, a := mint("laptop")
	tokB, _ := mint("ponsel")
	b, err := s.FindAPIToken(ctx, "ppk.sumur", "ponsel")
	if err != nil {
		t.Fatal(err)
	}

	err = s.RevokeAPIToken(ctx, stranger, a)
	wantError(t, err, siaga.EForbidden, "token")
	if err := s.RevokeAPIToken(ctx, owner, a); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeAPIToken(ctx, admin, b); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{tokA, tokB} {
		_, err := s.TokenUser(ctx, tok)
		wantError(t, err, siaga.EUnauthorized, "token")
		if !strings.Contains(err.Error(), "revoked") {
			t.Errorf("err %v does not say revoked", err)
		}
	}
}
