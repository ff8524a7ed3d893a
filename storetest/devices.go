package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// enrolDevice stores a claimed enrolment: device id of role (and party)
// at tps, enrolled at t0.
func enrolDevice(t testing.TB, s siaga.Store, issuer int64, id, tps string, role siaga.Role, party siaga.PartyRef) {
	t.Helper()
	ctx := context.Background()
	e := siaga.Enrolment{CodeHash: "code-" + id, TPS: tps, Role: role, Party: party, IssuedBy: issuer, ExpiresAt: time.Now().Add(time.Hour)}
	must(t, s.CreateEnrolment(ctx, &e))
	_, err := s.ClaimEnrolment(ctx, e.CodeHash, &siaga.Device{ID: id, PublicKey: []byte("k"), EnrolledAt: t0}, nil)
	must(t, err)
}

// testDeviceList: the operators' list of devices and unenrolled TPS is
// filtered, counted and paged in the store, with a stable cursor.
func testDeviceList(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	must(t, s.SaveRegistry(ctx, Registry()))
	op := createUser(t, s, "operator", siaga.RoleKPUKab)
	const a1, a2, a901, b1 = "3601012001001", "3601012001002", "3601012001901", "3601012002001"
	enrolDevice(t, s, op.ID, "dev-1", a1, siaga.RoleKPPS, "")
	enrolDevice(t, s, op.ID, "dev-2", a1, siaga.RoleKPPS, "")
	enrolDevice(t, s, op.ID, "dev-3", a2, siaga.RoleKPPS, "")
	enrolDevice(t, s, op.ID, "dev-4", a2, siaga.RolePTPS, "")
	enrolDevice(t, s, op.ID, "dev-5", b1, siaga.RoleSaksi, siaga.PartyOf(4))
	enrolDevice(t, s, op.ID, "dev-6", b1, siaga.RoleSaksi, siaga.PartyOf(5))
	_, err := s.RevokeDevice(ctx, "dev-3", t0.Add(time.Hour))
	must(t, err)
	v := Version("sub-dev-1", a1, 1)
	v.Author = "device:dev-1"
	must(t, s.AppendVersions(ctx, []siaga.Version{v}))

	type row struct{ TPS, Device string }
	rowsOf := func(p siaga.DevicePage) []row {
		var out []row
		for _, r := range p.Items {
			out = append(out, row{r.TPS, r.Device.ID})
		}
		return out
	}
	kpps := []siaga.Role{siaga.RoleKPPS}
	tests := []struct {
		name                   string
		f                      siaga.DeviceFilter
		want                   []row
		total, tps, unenrolled int
	}{
		{"kpps all", siaga.DeviceFilter{Region: "36", Roles: kpps},
			[]row{{a1, "dev-1"}, {a1, "dev-2"}, {a2, ""}, {a2, "dev-3"}, {a901, ""}, {b1, ""}}, 6, 4, 3},
		{"kpps active", siaga.DeviceFilter{Region: "36", Roles: kpps, Status: siaga.DeviceActive},
			[]row{{a1, "dev-1"}, {a1, "dev-2"}}, 2, 4, 3},
		{"kpps revoked", siaga.DeviceFilter{Region: "36", Roles: kpps, Status: siaga.DeviceRevoked},
			[]row{{a2, "dev-3"}}, 1, 4, 3},
		{"kpps none", siaga.DeviceFilter{Region: "36", Roles: kpps, Status: siaga.DeviceNone},
			[]row{{a2, ""}, {a901, ""}, {b1, ""}}, 3, 4, 3},
		{"one desa", siaga.DeviceFilter{Region: "3601012002", Roles: kpps},
			[]row{{b1, ""}}, 1, 1, 1},
		{"every role", siaga.DeviceFilter{Region: "3601", Status: siaga.DeviceActive},
			[]row{{a1, "dev-1"}, {a1, "dev-2"}, {a2, "dev-4"}, {b1, "dev-5"}, {b1, "dev-6"}}, 5, 4, 1},
		{"a party's witnesses", siaga.DeviceFilter{Region: "36", Roles: []siaga.Role{siaga.RoleSaksi}, Party: siaga.PartyOf(4)},
			[]row{{a1, ""}, {a2, ""}, {a901, ""}, {b1, "dev-5"}}, 4, 4, 3},
		{"after a cursor", siaga.DeviceFilter{Region: "36", Roles: kpps, After: siaga.DeviceCursor{TPS: a2, Device: ""}, Limit: 2},
			[]row{{a2, "dev-3"}, {a901, ""}}, 6, 4, 3},
		{"outside the registry", siaga.DeviceFilter{Region: "37"}, nil, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.DeviceList(ctx, tt.f)
			must(t, err)
			if diff := cmp.Diff(tt.want, rowsOf(p)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if p.Total != tt.total || p.TPS != tt.tps || p.Unenrolled != tt.unenrolled {
				t.Errorf("total %d, tps %d, unenrolled %d; want %d, %d, %d", p.Total, p.TPS, p.Unenrolled, tt.total, tt.tps, tt.unenrolled)
			}
		})
	}
	t.Run("pages add up", func(t *testing.T) {
		var got []siaga.DeviceRow
		f := siaga.DeviceFilter{Region: "36", Limit: 2}
		for {
			p, err := s.DeviceList(ctx, f)
			must(t, err)
			got = append(got, p.Items...)
			if len(p.Items) < f.Limit {
				if len(got) != p.Total {
					t.Errorf("%d rows over the pages, total says %d", len(got), p.Total)
				}
				break
			}
			f.After = p.Items[len(p.Items)-1].Cursor()
		}
	})
	t.Run("row fields", func(t *testing.T) {
		p, err := s.DeviceList(ctx, siaga.DeviceFilter{Region: a1, Roles: kpps, Limit: 1})
		must(t, err)
		want := siaga.DeviceRow{TPS: a1, Number: 1, Desa: "3601012001", LastSeen: v.ReceivedAt,
			Device: siaga.Device{ID: "dev-1", TPS: a1, Role: siaga.RoleKPPS, EnrolledAt: t0}}
		if diff := cmp.Diff([]siaga.DeviceRow{want}, p.Items); diff != "" {
			t.Errorf("row (-want +got):\n%s", diff)
		}
	})
	_, err = s.DeviceList(ctx, siaga.DeviceFilter{Status: "rusak"})
	wantCode(t, err, siaga.EInvalid)
}

// testReplaceEnrolments: a reprinted sheet's codes replace the unused
// codes of the same TPS, role and party, and nothing else.
func testReplaceEnrolments(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	op := createUser(t, s, "operator", siaga.RolePPK)
	later := time.Now().Add(time.Hour)
	const a, b = "3601012001001", "3601012001002"
	old := []siaga.Enrolment{
		{CodeHash: "old-a", TPS: a, Role: siaga.RoleKPPS, IssuedBy: op.ID, ExpiresAt: later},
		{CodeHash: "old-b", TPS: b, Role: siaga.RoleKPPS, IssuedBy: op.ID, ExpiresAt: later},
		{CodeHash: "old-a-ptps", TPS: a, Role: siaga.RolePTPS, IssuedBy: op.ID, ExpiresAt: later},
		{CodeHash: "old-a-saksi", TPS: a, Role: siaga.RoleSaksi, Party: siaga.PartyOf(4), IssuedBy: op.ID, ExpiresAt: later},
	}
	must(t, s.CreateEnrolments(ctx, old))
	now := time.Now()
	ev := siaga.AuditEvent{At: t0, Actor: "user:operator", Action: siaga.AuditEnrolIssue, Subject: a, Scope: a}
	n, err := s.ReplaceEnrolments(ctx, []siaga.Enrolment{
		{CodeHash: "new-a", TPS: a, Role: siaga.RoleKPPS, IssuedBy: op.ID, ExpiresAt: later},
		{CodeHash: "new-a-saksi", TPS: a, Role: siaga.RoleSaksi, Party: siaga.PartyOf(5), IssuedBy: op.ID, ExpiresAt: later},
	}, now, ev)
	must(t, err)
	if n != 1 {
		t.Errorf("replaced %d codes, want 1 (TPS %s's kpps code)", n, a)
	}
	for _, tt := range []struct {
		code  string
		works bool
	}{{"old-a", false}, {"new-a", true}, {"old-b", true}, {"old-a-ptps", true}, {"old-a-saksi", true}, {"new-a-saksi", true}} {
		_, err := s.ClaimEnrolment(ctx, tt.code, &siaga.Device{ID: "dev-" + tt.code, PublicKey: []byte("k"), EnrolledAt: now.Add(time.Second)}, nil)
		if works := err == nil; works != tt.works {
			t.Errorf("claim %s: %v, want works=%v", tt.code, err, tt.works)
		}
	}
	page, err := s.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditEnrolIssue})
	must(t, err)
	if page.Total != 1 {
		t.Errorf("%d issue entries, want 1", page.Total)
	}
}
