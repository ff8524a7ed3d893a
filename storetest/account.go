package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

var t0 = time.Date(2024, 2, 14, 7, 0, 0, 987654321, time.UTC)

func createUser(t testing.TB, s siaga.Store, username string, role siaga.Role) siaga.User {
	t.Helper()
	u := siaga.User{Username: username, Name: "Nama " + username, Role: role, Scope: "3601",
		PasswordHash: "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA", CreatedAt: t0}
	must(t, s.CreateUser(context.Background(), &u))
	if u.ID == 0 {
		t.Fatal("CreateUser left ID zero")
	}
	return u
}

func testUsers(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	ppk := createUser(t, s, "ppk.sumur", siaga.RolePPK)
	admin := createUser(t, s, "admin", siaga.RoleAdmin)
	admin.Scope = ""
	if ppk.ID == admin.ID {
		t.Fatalf("two users got ID %d", ppk.ID)
	}

	dup := siaga.User{Username: "admin", Role: siaga.RoleDesk}
	wantCode(t, s.CreateUser(ctx, &dup), siaga.EConflict)

	byName, err := s.UserByUsername(ctx, "ppk.sumur")
	must(t, err)
	if diff := cmp.Diff(&ppk, byName); diff != "" {
		t.Errorf("UserByUsername (-want +got):\n%s", diff)
	}
	byID, err := s.UserByID(ctx, ppk.ID)
	must(t, err)
	if diff := cmp.Diff(&ppk, byID); diff != "" {
		t.Errorf("UserByID (-want +got):\n%s", diff)
	}
	all, err := s.Users(ctx)
	must(t, err)
	if len(all) != 2 || all[0].ID != ppk.ID || all[1].Username != "admin" {
		t.Errorf("Users = %+v, want ppk.sumur then admin", all)
	}

	t.Run("NotFound", func(t *testing.T) {
		_, err := s.UserByUsername(ctx, "nobody")
		wantCode(t, err, siaga.ENotFound)
		_, err = s.UserByID(ctx, ppk.ID+admin.ID+100)
		wantCode(t, err, siaga.ENotFound)
	})
}

func testSessions(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	u := createUser(t, s, "desk", siaga.RoleDesk)
	sess := siaga.Session{TokenHash: "sha256-session", UserID: u.ID, CSRF: "csrf-token", ExpiresAt: t0.Add(12 * time.Hour)}
	must(t, s.CreateSession(ctx, &sess))
	wantCode(t, s.CreateSession(ctx, &sess), siaga.EConflict)

	got, err := s.SessionByTokenHash(ctx, sess.TokenHash)
	must(t, err)
	if diff := cmp.Diff(&sess, got); diff != "" {
		t.Errorf("session (-want +got):\n%s", diff)
	}
	must(t, s.DeleteSession(ctx, sess.TokenHash))
	_, err = s.SessionByTokenHash(ctx, sess.TokenHash)
	wantCode(t, err, siaga.ENotFound)
	must(t, s.DeleteSession(ctx, sess.TokenHash))

	orphan := siaga.Session{TokenHash: "orphan", UserID: u.ID + 1000, ExpiresAt: t0}
	wantCode(t, s.CreateSession(ctx, &orphan), siaga.EInvalid)
}

func testAPITokens(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	u := createUser(t, s, "importer", siaga.RoleKPUProv)
	tok := siaga.APIToken{TokenHash: "sha256-token", UserID: u.ID, Name: "sirekap import", CreatedAt: t0}
	must(t, s.CreateAPIToken(ctx, &tok))
	wantCode(t, s.CreateAPIToken(ctx, &tok), siaga.EConflict)
	got, err := s.APITokenByHash(ctx, tok.TokenHash)
	must(t, err)
	if diff := cmp.Diff(&tok, got); diff != "" {
		t.Errorf("token (-want +got):\n%s", diff)
	}
	_, err = s.APITokenByHash(ctx, "unknown")
	wantCode(t, err, siaga.ENotFound)
}

func testEnrolment(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	op := createUser(t, s, "operator", siaga.RolePPK)
	now := time.Now().UTC()
	enrol := func(code string, expires time.Time) siaga.Enrolment {
		e := siaga.Enrolment{CodeHash: code, TPS: "3601012001001", Role: siaga.RoleKPPS, IssuedBy: op.ID, ExpiresAt: expires}
		must(t, s.CreateEnrolment(ctx, &e))
		return e
	}
	device := func(id string) *siaga.Device {
		return &siaga.Device{ID: id, PublicKey: []byte("0123456789abcdef0123456789abcdef"), Secret: []byte{1, 2, 3}}
	}
	valid := enrol("code-valid", now.Add(time.Hour))
	enrol("code-expired", now.Add(-time.Minute))
	wantCode(t, s.CreateEnrolment(ctx, &valid), siaga.EConflict)

	d := device("dev-1")
	got, err := s.ClaimEnrolment(ctx, "code-valid", d, nil)
	must(t, err)
	if got.UsedAt.IsZero() || !got.UsedAt.Equal(d.EnrolledAt) {
		t.Errorf("UsedAt = %v, want the device's EnrolledAt %v", got.UsedAt, d.EnrolledAt)
	}
	valid.UsedAt = got.UsedAt
	if diff := cmp.Diff(&valid, got); diff != "" {
		t.Errorf("claimed enrolment (-want +got):\n%s", diff)
	}
	if d.TPS != valid.TPS || d.Role != valid.Role {
		t.Errorf("device TPS, role = %s, %s; want the enrolment's %s, %s", d.TPS, d.Role, valid.TPS, valid.Role)
	}
	stored, err := s.DeviceByID(ctx, "dev-1")
	must(t, err)
	if diff := cmp.Diff(d, stored); diff != "" {
		t.Errorf("device (-want +got):\n%s", diff)
	}

	t.Run("Refused", func(t *testing.T) {
		tests := []struct{ name, code, device string }{
			{"used", "code-valid", "dev-2"},
			{"expired", "code-expired", "dev-3"},
			{"unknown", "code-unknown", "dev-4"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.ClaimEnrolment(ctx, tt.code, device(tt.device), nil)
				wantCode(t, err, siaga.EUnauthorized)
				_, err = s.DeviceByID(ctx, tt.device)
				wantCode(t, err, siaga.ENotFound)
			})
		}
	})

	t.Run("TakenDeviceIDLeavesCodeUnused", func(t *testing.T) {
		enrol("code-second", now.Add(time.Hour))
		_, err := s.ClaimEnrolment(ctx, "code-second", device("dev-1"), nil)
		wantCode(t, err, siaga.EConflict)
		_, err = s.ClaimEnrolment(ctx, "code-second", device("dev-5"), nil)
		must(t, err)
	})

	devices, err := s.Devices(ctx)
	must(t, err)
	var ids []string
	for _, d := range devices {
		ids = append(ids, d.ID)
	}
	if diff := cmp.Diff([]string{"dev-1", "dev-5"}, ids); diff != "" {
		t.Errorf("Devices (-want +got):\n%s", diff)
	}
}

func testEnrolmentBatch(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	op := createUser(t, s, "operator", siaga.RolePPK)
	now := time.Now().UTC()
	device := func(id string) *siaga.Device {
		return &siaga.Device{ID: id, PublicKey: []byte("0123456789abcdef0123456789abcdef"), Secret: []byte{1, 2, 3}}
	}
	batch := []siaga.Enrolment{
		{CodeHash: "code-batch-1", TPS: "3601012001001", Role: siaga.RoleKPPS, IssuedBy: op.ID, ExpiresAt: now.Add(time.Hour)},
		{CodeHash: "code-batch-2", TPS: "3601012001002", Role: siaga.RoleSaksi, IssuedBy: op.ID, ExpiresAt: now.Add(time.Hour)},
	}
	must(t, s.CreateEnrolments(ctx, batch))
	dupe := append(batch[:1:1], siaga.Enrolment{CodeHash: "code-batch-3", TPS: "3601012001003", Role: siaga.RoleKPPS, IssuedBy: op.ID, ExpiresAt: now.Add(time.Hour)})
	wantCode(t, s.CreateEnrolments(ctx, []siaga.Enrolment{dupe[1], dupe[0]}), siaga.EConflict)
	if _, err := s.ClaimEnrolment(ctx, "code-batch-3", device("dev-batch-3"), nil); siaga.ErrorCode(err) != siaga.EUnauthorized {
		t.Errorf("a code from a refused batch was stored: claim err = %v", err)
	}
	if _, err := s.ClaimEnrolment(ctx, "code-batch-2", device("dev-batch-2"), nil); err != nil {
		t.Errorf("claiming a batch-issued code: %v", err)
	}
}
