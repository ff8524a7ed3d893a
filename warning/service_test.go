package warning_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/sqlite"
	"github.com/deskpemilu/siaga/warning"
)

// incidents are verified reports in a slice, read as the incident store's
// EachIncident reads them (oldest first, the filter's statuses and times).
type incidents []siaga.Incident

func (is incidents) EachIncident(ctx context.Context, f siaga.IncidentFilter, fn func(*siaga.Incident) error) error {
	for i := range is {
		in := is[i]
		if (len(f.Statuses) > 0 && !slices.Contains(f.Statuses, in.Status)) || in.OccurredAt.Before(f.From) ||
			(!f.To.IsZero() && !in.OccurredAt.Before(f.To)) {
			continue
		}
		if err := fn(&in); err != nil {
			return err
		}
	}
	return nil
}

// phone records what a gateway was given; down makes it fail.
type phone struct {
	mu   sync.Mutex
	down bool
	got  []string
}

func (p *phone) Send(ctx context.Context, to, text string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return errors.New("gateway down")
	}
	p.got = append(p.got, to+": "+text)
	return nil
}

func openStore(t testing.TB) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func violence(id int64, at time.Time, lat float64) siaga.Incident {
	return siaga.Incident{ID: id, Category: siaga.IncidentViolence, Status: siaga.IncidentVerified, Region: "3601052001",
		OccurredAt: at, Lat: lat, Lon: 105.9}
}

func TestServiceRaisesExtendsAndNotifies(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	now := time.Date(2024, 2, 14, 10, 0, 0, 0, siaga.WIB)
	var list incidents
	gw := &phone{down: true}
	svc := warning.NewService(warning.ServiceConfig{Store: db, Incidents: &list, Sender: gw, SMSLog: db,
		Now: func() time.Time { return now }})
	subs := []siaga.WarningSubscription{
		{User: 1, Region: "3601", Phone: "+6281200000001"},                                        // Pandeglang, by SMS
		{User: 2, Region: "36", Categories: []siaga.IncidentCategory{siaga.IncidentMoneyPolitic}}, // other category
		{User: 3, Region: "3602", Phone: "+6281200000003"},                                        // Lebak: elsewhere
		{User: 4, Region: "360105", Categories: []siaga.IncidentCategory{siaga.IncidentViolence}}, // in the app
	}
	for i := range subs {
		if err := svc.Subscribe(ctx, &subs[i]); err != nil {
			t.Fatal(err)
		}
	}
	scan := func() []siaga.WarningAlert {
		t.Helper()
		got, err := svc.Scan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	list = incidents{violence(1, now.Add(-3*time.Hour), -6.5), violence(2, now.Add(-2*time.Hour), -6.501)}
	if got := scan(); len(got) != 0 {
		t.Fatalf("2 reports raised %+v", got)
	}
	list = append(list, violence(3, now.Add(-time.Hour), -6.502))
	first := scan()
	if len(first) != 1 || !slices.Equal(first[0].Incidents, []int64{1, 2, 3}) || first[0].Status != siaga.WarningNew {
		t.Fatalf("3 reports: %+v", first)
	}
	// Scanning again raises nothing new; a fourth report extends the alert.
	if got := scan(); len(got) != 0 {
		t.Fatalf("the same reports again: %+v", got)
	}
	// A fourth report today in this quiet kecamatan also passes the
	// baseline test (4 today, usually none): a second, new alert.
	list = append(list, violence(4, now.Add(-30*time.Minute), -6.5005))
	ext := scan()
	if len(ext) != 2 || ext[1].ID != first[0].ID || !slices.Equal(ext[1].Incidents, []int64{1, 2, 3, 4}) || ext[1].Version != 2 ||
		ext[0].Rule != siaga.WarningBaseline || ext[0].Version != 1 {
		t.Fatalf("a fourth report: %+v", ext)
	}
	n, err := db.CountWarningAlerts(ctx, siaga.WarningFilter{})
	if err != nil || n != 2 {
		t.Fatalf("alerts stored %d, %v", n, err)
	}

	// Notices: users 1 and 4; the SMS waits while the gateway is down,
	// is logged as failed, and goes out once it is back.
	for _, u := range []struct {
		user   int64
		unread int
	}{{1, 2}, {2, 0}, {3, 0}, {4, 2}} {
		got, err := db.CountUnreadWarningNotices(ctx, u.user)
		if err != nil || got != u.unread {
			t.Errorf("user %d: unread %d, want %d (%v)", u.user, got, u.unread, err)
		}
	}
	if err := svc.SendNotices(ctx); err != nil {
		t.Fatal(err)
	}
	gw.down = false
	if err := svc.SendNotices(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{"+6281200000001: " + warning.SMSText(first[0]), "+6281200000001: " + warning.SMSText(ext[0])}
	if diff := cmp.Diff(want, gw.got); diff != "" {
		t.Errorf("SMS sent (-want +got):\n%s", diff)
	}
	log, err := db.SMSLog(ctx, siaga.SMSFilter{Direction: siaga.SMSOut})
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	for _, m := range log {
		outcomes = append(outcomes, m.Number+" "+m.Outcome)
	}
	if diff := cmp.Diff([]string{"+6281200000001 sent", "+6281200000001 sent", "+6281200000001 send_failed"}, outcomes); diff != "" {
		t.Errorf("SMS log, newest first (-want +got):\n%s", diff)
	}
	if err := svc.SendNotices(ctx); err != nil || len(gw.got) != 2 {
		t.Errorf("sent twice: %v %v", gw.got, err)
	}

	// Acknowledge, then close; a stale version or a closed alert conflicts.
	a, err := svc.Acknowledge(ctx, first[0].ID, 2, "user:desk")
	if err != nil || a.Status != siaga.WarningAcknowledged {
		t.Fatalf("acknowledge: %+v %v", a, err)
	}
	if _, err := svc.Close(ctx, first[0].ID, 2, "user:desk", "x"); siaga.ErrorCode(err) != siaga.EConflict {
		t.Errorf("close with a stale version: %v", err)
	}
	if _, err := svc.Close(ctx, first[0].ID, 3, "user:aparat", "massa dibubarkan"); err != nil {
		t.Fatal(err)
	}
	// A closed alert is not extended: a new report makes a new alert
	// (and extends the open baseline one).
	list = append(list, violence(5, now.Add(-20*time.Minute), -6.5003))
	got := scan()
	if len(got) != 2 || got[0].ID != ext[0].ID || got[1].Rule != siaga.WarningSpaceTime || got[1].ID == first[0].ID ||
		got[1].Version != 1 {
		t.Errorf("after closing: %+v", got)
	}
}

func TestSubscribeChecks(t *testing.T) {
	svc := warning.NewService(warning.ServiceConfig{Store: openStore(t), Incidents: incidents{}})
	tests := []struct {
		name string
		sub  siaga.WarningSubscription
	}{
		{"region", siaga.WarningSubscription{User: 1, Region: "36x"}},
		{"category", siaga.WarningSubscription{User: 1, Region: "36", Categories: []siaga.IncidentCategory{"banjir"}}},
		{"phone", siaga.WarningSubscription{User: 1, Region: "36", Phone: "<script>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := svc.Subscribe(context.Background(), &tt.sub); siaga.ErrorCode(err) != siaga.EInvalid {
				t.Errorf("err %v, want %s", err, siaga.EInvalid)
			}
		})
	}
}

// TestScansAtOnce: scans that run at the same time (the node's Run and one
// asked for directly) raise a new cluster once.
func TestScansAtOnce(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	now := time.Date(2024, 2, 14, 10, 0, 0, 0, siaga.WIB)
	list := incidents{violence(1, now.Add(-3*time.Hour), -6.5), violence(2, now.Add(-2*time.Hour), -6.501), violence(3, now.Add(-time.Hour), -6.502)}
	svc := warning.NewService(warning.ServiceConfig{Store: db, Incidents: list, Now: func() time.Time { return now }})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := svc.Scan(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n, err := db.CountWarningAlerts(ctx, siaga.WarningFilter{}); err != nil || n != 1 {
		t.Errorf("%d alerts (%v), want 1", n, err)
	}
}
