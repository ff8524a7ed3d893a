package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// testParty: a witness coordinator's party reaches the codes it issues,
// and through them the devices.
func testParty(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	koord := siaga.User{Username: "koord", Name: "Koordinator", Role: siaga.RoleSaksiKoord, Scope: "36",
		Party: siaga.PartyOf(4), PasswordHash: "x", CreatedAt: t0}
	must(t, s.CreateUser(ctx, &koord))
	got, err := s.UserByID(ctx, koord.ID)
	must(t, err)
	if diff := cmp.Diff(&koord, got); diff != "" {
		t.Errorf("user (-want +got):\n%s", diff)
	}
	e := siaga.Enrolment{CodeHash: "code-party", TPS: "3601012001001", Role: siaga.RoleSaksi, Party: koord.Party,
		IssuedBy: koord.ID, ExpiresAt: time.Now().Add(time.Hour)}
	must(t, s.CreateEnrolment(ctx, &e))
	d := &siaga.Device{ID: "dev-party", PublicKey: []byte("k"), Secret: []byte("s")}
	claimed, err := s.ClaimEnrolment(ctx, "code-party", d, func(e *siaga.Enrolment) []siaga.AuditEvent {
		return []siaga.AuditEvent{{At: t0, Actor: "device:dev-party", Action: siaga.AuditEnrolClaim, Subject: "dev-party", Scope: e.TPS}}
	})
	must(t, err)
	if claimed.Party != koord.Party || d.Party != koord.Party {
		t.Errorf("claimed party %q, device party %q, want %q", claimed.Party, d.Party, koord.Party)
	}
	stored, err := s.DeviceByID(ctx, d.ID)
	must(t, err)
	if stored.Party != koord.Party {
		t.Errorf("stored device party %q, want %q", stored.Party, koord.Party)
	}
	must(t, s.SetUserRole(ctx, koord.ID, siaga.RoleBawaslu, "3601", ""))
	got, err = s.UserByID(ctx, koord.ID)
	must(t, err)
	if got.Role != siaga.RoleBawaslu || got.Scope != "3601" || got.Party != "" {
		t.Errorf("after SetUserRole: %+v", got)
	}
	wantCode(t, s.SetUserRole(ctx, koord.ID+100, siaga.RoleDesk, "", ""), siaga.ENotFound)
	page, err := s.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditEnrolClaim})
	must(t, err)
	if page.Total != 1 || page.Items[0].Scope != e.TPS {
		t.Errorf("claim entries %+v, want one in %s", page.Items, e.TPS)
	}
}

func testRevokeDevice(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	op := createUser(t, s, "operator", siaga.RolePPK)
	for _, id := range []string{"dev-a", "dev-b"} {
		e := siaga.Enrolment{CodeHash: "code-" + id, TPS: "3601012001001", Role: siaga.RoleKPPS, IssuedBy: op.ID, ExpiresAt: time.Now().Add(time.Hour)}
		must(t, s.CreateEnrolment(ctx, &e))
		_, err := s.ClaimEnrolment(ctx, e.CodeHash, &siaga.Device{ID: id, PublicKey: []byte("k"), Secret: []byte("s"), EnrolledAt: t0}, nil)
		must(t, err)
	}
	at := t0.Add(time.Hour)
	ev := siaga.AuditEvent{At: at, Actor: "user:operator", Action: siaga.AuditDeviceRevoke, Subject: "dev-a", Scope: "3601012001001"}
	d, err := s.RevokeDevice(ctx, "dev-a", at, ev)
	must(t, err)
	if !d.RevokedAt.Equal(at) || d.TPS != "3601012001001" {
		t.Errorf("revoked device %+v, want revoked at %v", d, at)
	}
	// Again: the first time stands, and no second entry.
	d, err = s.RevokeDevice(ctx, "dev-a", at.Add(time.Hour), ev)
	must(t, err)
	if !d.RevokedAt.Equal(at) {
		t.Errorf("revoked again at %v, want the first %v", d.RevokedAt, at)
	}
	_, err = s.RevokeDevice(ctx, "dev-unknown", at, ev)
	wantCode(t, err, siaga.ENotFound)

	stored, err := s.DeviceByID(ctx, "dev-a")
	must(t, err)
	if !stored.RevokedAt.Equal(at) {
		t.Errorf("stored RevokedAt %v, want %v", stored.RevokedAt, at)
	}
	for _, tt := range []struct {
		since time.Time
		want  []string
	}{{at.Add(-time.Second), []string{"dev-a"}}, {at, []string{"dev-a"}}, {at.Add(time.Second), nil}} {
		ds, err := s.RevokedDevices(ctx, tt.since)
		must(t, err)
		var ids []string
		for _, d := range ds {
			ids = append(ids, d.ID)
		}
		if diff := cmp.Diff(tt.want, ids); diff != "" {
			t.Errorf("RevokedDevices(%v) (-want +got):\n%s", tt.since, diff)
		}
	}
	ofTPS, err := s.DevicesOfTPS(ctx, "3601012001001")
	must(t, err)
	if len(ofTPS) != 1 || ofTPS[0].ID != "dev-b" {
		t.Errorf("DevicesOfTPS = %+v, want dev-b only: a revoked phone's SMS must not verify", ofTPS)
	}
	page, err := s.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditDeviceRevoke})
	must(t, err)
	if page.Total != 1 {
		t.Errorf("%d revocation entries, want 1", page.Total)
	}
}

func testRevokeAPIToken(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	u := createUser(t, s, "ppk", siaga.RolePPK)
	other := createUser(t, s, "ppk2", siaga.RolePPK)
	toks := []siaga.APIToken{
		{TokenHash: "h1", UserID: u.ID, Name: "laptop", Prefix: "sgt_abc123", CreatedAt: t0},
		{TokenHash: "h2", UserID: u.ID, Name: "ponsel", Prefix: "sgt_def456", CreatedAt: t0.Add(time.Second)},
		{TokenHash: "h3", UserID: other.ID, Name: "laptop", Prefix: "sgt_ghi789", CreatedAt: t0.Add(2 * time.Second)},
	}
	for i := range toks {
		must(t, s.CreateAPIToken(ctx, &toks[i], siaga.AuditEvent{At: t0, Actor: "cli", Action: siaga.AuditTokenCreate, Subject: toks[i].Name}))
	}
	mine, err := s.APITokens(ctx, u.ID)
	must(t, err)
	if diff := cmp.Diff(toks[:2], mine); diff != "" {
		t.Errorf("APITokens(user) (-want +got):\n%s", diff)
	}
	all, err := s.APITokens(ctx, 0)
	must(t, err)
	if len(all) != 3 {
		t.Errorf("APITokens(0) = %d tokens, want 3", len(all))
	}
	at := t0.Add(time.Hour)
	must(t, s.RevokeAPIToken(ctx, "h1", at))
	must(t, s.RevokeAPIToken(ctx, "h1", at.Add(time.Hour)))
	wantCode(t, s.RevokeAPIToken(ctx, "nope", at), siaga.ENotFound)
	got, err := s.APITokenByHash(ctx, "h1")
	must(t, err)
	if !got.RevokedAt.Equal(at) {
		t.Errorf("RevokedAt %v, want %v", got.RevokedAt, at)
	}
	page, err := s.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditTokenCreate})
	must(t, err)
	if page.Total != 3 {
		t.Errorf("%d token entries, want 3", page.Total)
	}
}

// testVersionAudit: corrections are stored with their audit entries, or
// neither is.
func testVersionAudit(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	ev := siaga.AuditEvent{At: t0, Actor: "user:ppk", Action: siaga.AuditCorrection, Subject: "sub-1", Scope: "3601012001001"}
	must(t, s.AppendVersions(ctx, []siaga.Version{Version("sub-1", "3601012001001", 1)}, ev))
	// A refused batch (the id is taken) stores no entry either.
	wantCode(t, s.AppendVersions(ctx, []siaga.Version{Version("sub-1", "3601012001001", 2)}, ev), siaga.EConflict)
	page, err := s.Audit(ctx, siaga.AuditFilter{})
	must(t, err)
	if page.Total != 1 || page.Items[0].Subject != "sub-1" {
		t.Errorf("audit %+v, want the one correction", page.Items)
	}
}
