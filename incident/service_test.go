package incident_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/incident"
	"github.com/deskpemilu/siaga/registry"
	"github.com/deskpemilu/siaga/sqlite"
)

// t0 is 14 February 2024, 09:00 WIB: voting day.
var t0 = time.Date(2024, 2, 14, 2, 0, 0, 0, time.UTC)

// fixture is a service over a fresh SQLite store and the registry in
// testdata, with a clock the test moves.
type fixture struct {
	svc   *incident.Service
	store siaga.Store
	now   time.Time
	users map[string]*siaga.User
	// reports counts the reports of at, which places each apart in time.
	reports int
	// changed counts the calls of the service's Changed hook.
	changed int
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "registry.json"))
	if err != nil {
		t.Fatal(err)
	}
	var reg siaga.Registry
	if err := json.Unmarshal(b, &reg); err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f := &fixture{store: store, now: t0, users: map[string]*siaga.User{}}
	for i, u := range []siaga.User{
		{Username: "desk", Role: siaga.RoleDesk, Scope: "36"},
		{Username: "bawaslu.pandeglang", Role: siaga.RoleBawaslu, Scope: "3601"},
		{Username: "polres.pandeglang", Role: siaga.RoleAparat, Scope: "3601"},
		{Username: "kodim.pandeglang", Role: siaga.RoleAparat, Scope: "3601", Agency: siaga.AgencyTNI},
		{Username: "polres.serang", Role: siaga.RoleAparat, Scope: "3673"},
		{Username: "kpu.pandeglang", Role: siaga.RoleKPUKab, Scope: "3601"},
		{Username: "ptps.tamanjaya", Role: siaga.RolePTPS, Scope: "3601012001001"},
		{Username: "saksi", Role: siaga.RoleSaksi, Scope: "3601"},
	} {
		u.ID = int64(i + 1)
		f.users[u.Username] = &u
	}
	cents := map[string]orb.Point{"3601012002": {105.49, -6.71}, "360101": {105.52, -6.72}}
	f.svc = incident.New(incident.Config{Store: store, Places: registry.NewIndex(&reg), Locations: store,
		Centroids: func() (map[string]orb.Point, error) { return cents, nil },
		Locate: func(p orb.Point) (string, bool) {
			if p[1] < -6.6 {
				return "3601012001", true
			}
			return "", false
		},
		Now: func() time.Time { return f.now }, Changed: func() { f.changed++ }})
	return f
}

func (f *fixture) as(name string) incident.Actor { return incident.Actor{User: f.users[name]} }

// report stores a staff report of cat at tps, occurred at at, by the desk.
func (f *fixture) report(t testing.TB, cat siaga.IncidentCategory, tps string, at time.Time) *siaga.Incident {
	t.Helper()
	in, err := f.svc.Report(context.Background(), &siaga.Incident{Channel: siaga.ChannelWeb, Category: cat,
		Severity: siaga.SeverityHigh, OccurredAt: at, TPS: tps, Title: "Keributan di TPS", Text: "Dua kelompok bentrok"}, f.as("desk"))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func wantCode(t testing.TB, err error, code, field string) {
	t.Helper()
	if got := siaga.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
	if e, ok := err.(*siaga.Error); ok && field != "" && e.Field != field {
		t.Errorf("error %v: field %q, want %q", err, e.Field, field)
	}
	if e, ok := err.(*siaga.Error); ok && (e.Message == "" || e.MessageEN == "" || e.Message == e.MessageEN) {
		t.Errorf("error %v: not bilingual: %q / %q", err, e.Message, e.MessageEN)
	}
}
