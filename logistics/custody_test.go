package logistics_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/sqlite"
)

// The chain of the tests: three TPS of one desa of Kecamatan 360405, one of
// another desa, one elsewhere.
const (
	tpsA  = "3604052001001"
	tpsB  = "3604052001002"
	tpsC  = "3604052001003"
	tpsD  = "3604052002001"
	tpsX  = "3601012001001"
	desaA = "3604052001"
	kec   = "360405"
)

var (
	evening = time.Date(2024, 2, 14, 21, 0, 0, 0, siaga.WIB)
	now     = time.Date(2024, 2, 16, 9, 0, 0, 0, siaga.WIB)
)

func testRegistry() *siaga.Registry {
	reg := &siaga.Registry{}
	for _, c := range []string{tpsX, tpsA, tpsB, tpsC, tpsD} {
		n := int(c[12]-'0') + 10*int(c[11]-'0')
		reg.TPS = append(reg.TPS, siaga.TPS{Code: c, Desa: c[:10], Number: n, DPT: 250})
	}
	return reg
}

func newCustody(t testing.TB) (*logistics.Custody, siaga.Store) {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return logistics.NewCustody(logistics.CustodyConfig{Store: store, Registry: testRegistry(),
		Now: func() time.Time { return now }, Alerts: store}), store
}

var seals = []string{"KPU-0001", "KPU-0002", "KPU-0003", "KPU-0004", "KPU-0005"}

// leg is a handover of tps's five sealed boxes from → to, h hours after the
// evening of voting.
func handoverLeg(id, tps, from, to string, h float64) siaga.Handover {
	return siaga.Handover{ID: id, TPS: tps, From: from, To: to, Boxes: 5, Envelopes: 5, Seals: append([]string(nil), seals...),
		GivenBy: "Siti (Ketua KPPS)", ReceivedBy: "Budi (Ketua PPS)", At: evening.Add(time.Duration(h * float64(time.Hour))),
		Source: "web", By: "user:logistik"}
}

func TestHandoverRules(t *testing.T) {
	toPPS := handoverLeg("h1", tpsA, tpsA, desaA, 1)
	for _, tc := range []struct {
		name  string
		chain []siaga.Handover // stored first, each must pass
		h     func(h siaga.Handover) siaga.Handover
		// want: the error code and field, or "" and the alert's
		// reasons (none: no alert).
		code, field string
		alert       []string
	}{
		{name: "first leg TPS to PPS", h: func(h siaga.Handover) siaga.Handover { return h }},
		{name: "TPS straight to PPK, PPS skipped", h: func(h siaga.Handover) siaga.Handover { h.To = kec; return h }},
		{name: "PPS to PPK", chain: []siaga.Handover{toPPS},
			h: func(h siaga.Handover) siaga.Handover {
				h.ID, h.From, h.To, h.At = "h2", desaA, kec, h.At.Add(time.Hour)
				return h
			}},
		{name: "from where the boxes are not", chain: []siaga.Handover{toPPS},
			h:    func(h siaga.Handover) siaga.Handover { h.ID, h.At = "h2", h.At.Add(time.Hour); return h },
			code: siaga.EInvalid, field: "from"},
		{name: "first leg not from the TPS", h: func(h siaga.Handover) siaga.Handover { h.From = desaA; h.To = kec; return h },
			code: siaga.EInvalid, field: "from"},
		{name: "to another desa", h: func(h siaga.Handover) siaga.Handover { h.To = "3604052002"; return h },
			code: siaga.EInvalid, field: "to"},
		{name: "PPS back to the TPS", chain: []siaga.Handover{toPPS},
			h: func(h siaga.Handover) siaga.Handover {
				h.ID, h.From, h.To, h.At = "h2", desaA, tpsA, h.At.Add(time.Hour)
				return h
			},
			code: siaga.EInvalid, field: "to"},
		{name: "already at the PPK", chain: []siaga.Handover{{ID: "h0", TPS: tpsA, From: tpsA, To: kec, Boxes: 5, Envelopes: 5,
			Seals: seals, GivenBy: "a", ReceivedBy: "b", At: evening}},
			h:    func(h siaga.Handover) siaga.Handover { h.From, h.To = kec, kec; return h },
			code: siaga.EConflict, field: "from"},
		{name: "no box", h: func(h siaga.Handover) siaga.Handover { h.Boxes = 0; return h }, code: siaga.EInvalid, field: "boxes"},
		{name: "no seal", h: func(h siaga.Handover) siaga.Handover { h.Seals = []string{" "}; return h }, code: siaga.EInvalid, field: "seals"},
		{name: "a seal twice", h: func(h siaga.Handover) siaga.Handover { h.Seals = []string{"A", "A"}; return h }, code: siaga.EInvalid, field: "seals"},
		{name: "broken seal not listed", h: func(h siaga.Handover) siaga.Handover { h.BrokenSeals = []string{"X"}; return h },
			code: siaga.EInvalid, field: "broken_seals"},
		{name: "no receiver", h: func(h siaga.Handover) siaga.Handover { h.ReceivedBy = ""; return h }, code: siaga.EInvalid, field: "received_by"},
		{name: "no giver", h: func(h siaga.Handover) siaga.Handover { h.GivenBy = ""; return h }, code: siaga.EInvalid, field: "given_by"},
		{name: "unknown TPS", h: func(h siaga.Handover) siaga.Handover { h.TPS = "3604052009009"; return h }, code: siaga.EInvalid, field: "tps"},
		{name: "no id", h: func(h siaga.Handover) siaga.Handover { h.ID = ""; return h }, code: siaga.EInvalid, field: "id"},
		{name: "in the future", h: func(h siaga.Handover) siaga.Handover { h.At = now.Add(time.Hour); return h }, code: siaga.EInvalid, field: "at"},
		{name: "before the previous handover", chain: []siaga.Handover{toPPS},
			h: func(h siaga.Handover) siaga.Handover {
				h.ID, h.From, h.To, h.At = "h2", desaA, kec, h.At.Add(-time.Hour)
				return h
			},
			code: siaga.EInvalid, field: "at"},
		{name: "bad photo hash", h: func(h siaga.Handover) siaga.Handover { h.Photos = []string{"abc"}; return h }, code: siaga.EInvalid, field: "photos"},

		// Alerts to Bawaslu.
		{name: "broken seal on the first leg", h: func(h siaga.Handover) siaga.Handover { h.BrokenSeals = []string{"KPU-0003"}; return h },
			alert: []string{"segel rusak KPU-0003"}},
		{name: "seal number changed", chain: []siaga.Handover{toPPS},
			h: func(h siaga.Handover) siaga.Handover {
				h.ID, h.From, h.To, h.At = "h2", desaA, kec, h.At.Add(time.Hour)
				h.Seals[4] = "KPU-9999"
				return h
			},
			alert: []string{"nomor segel tidak cocok dengan serah terima sebelumnya: KPU-9999", "segel tidak ditemukan: KPU-0005"}},
		{name: "a box and an envelope fewer", chain: []siaga.Handover{toPPS},
			h: func(h siaga.Handover) siaga.Handover {
				h.ID, h.From, h.To, h.At = "h2", desaA, kec, h.At.Add(time.Hour)
				h.Boxes, h.Envelopes = 4, 4
				return h
			},
			alert: []string{"kotak suara 4, sebelumnya 5", "sampul C.Hasil 4, sebelumnya 5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			c, _ := newCustody(t)
			for _, h := range tc.chain {
				if _, _, err := c.Handover(ctx, h); err != nil {
					t.Fatalf("chain %s: %v", h.ID, err)
				}
			}
			_, alerts, err := c.Handover(ctx, tc.h(handoverLeg("h1", tpsA, tpsA, desaA, 1)))
			var e *siaga.Error
			if tc.code != "" {
				if !errors.As(err, &e) || e.Code != tc.code || e.Field != tc.field {
					t.Fatalf("error %v, want code %s on field %s", err, tc.code, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			if len(alerts) == 1 {
				a := alerts[0]
				if a.Kind != siaga.AlertSeal || a.Role != siaga.RoleBawaslu || a.Region != kec || a.TPS != tpsA {
					t.Errorf("alert %+v: want a seal alert to Bawaslu of %s for %s", a, kec, tpsA)
				}
				for _, must := range []string{tpsA, "KPU-0001", "Siti (Ketua KPPS)", "Budi (Ketua PPS)"} {
					if !strings.Contains(a.Text, must) || !strings.Contains(a.EN, must) {
						t.Errorf("alert text %q / %q does not name %q", a.Text, a.EN, must)
					}
				}
				for _, r := range tc.alert {
					if strings.Contains(a.Text, r) {
						got = append(got, r)
					}
				}
			} else if len(alerts) > 1 {
				t.Fatalf("%d alerts, want at most one", len(alerts))
			}
			if diff := cmp.Diff(tc.alert, got); diff != "" || len(tc.alert) == 0 && len(alerts) > 0 {
				t.Errorf("alert reasons (-want +got):\n%s (alerts %+v)", diff, alerts)
			}
		})
	}
}

// TestHandoverReplay: a phone sending the same handover again gets the
// stored one back and no second alert; another handover under that ID is
// a conflict; the chain keeps one.
func TestHandoverReplay(t *testing.T) {
	ctx := context.Background()
	c, store := newCustody(t)
	h := handoverLeg("h1", tpsA, tpsA, desaA, 1)
	h.BrokenSeals = []string{"KPU-0002"}
	first, alerts, err := c.Handover(ctx, h)
	if err != nil || len(alerts) != 1 {
		t.Fatalf("first: %v, %d alerts", err, len(alerts))
	}
	again := h
	again.Source = "lapangan"
	got, alerts, err := c.Handover(ctx, again)
	if err != nil || len(alerts) != 0 {
		t.Fatalf("replay: %v, %d alerts; want the stored one and none", err, len(alerts))
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("replay answers (-first +replay):\n%s", diff)
	}
	other := h
	other.Boxes = 4
	if _, _, err := c.Handover(ctx, other); siaga.ErrorCode(err) != siaga.EConflict {
		t.Errorf("another handover under h1: %v, want conflict", err)
	}
	chain, err := c.Chain(ctx, tpsA)
	if err != nil || len(chain) != 1 {
		t.Fatalf("chain: %d handovers, %v; want 1", len(chain), err)
	}
	log, err := store.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditCustodyHandover, Limit: 5})
	if err != nil || log.Total != 1 || log.Items[0].Subject != "handover:h1" || log.Items[0].Scope != tpsA {
		t.Errorf("audit: %+v, %v; want one custody.handover of handover:h1 in %s", log.Items, err, tpsA)
	}
}

// TestCustodyStatus: where the boxes of each TPS are, since when, and which
// are late at three moments of the day after voting (default deadlines:
// PPS 06:00, PPK 12:00 WIB on 15 February 2024).
func TestCustodyStatus(t *testing.T) {
	ctx := context.Background()
	c, store := newCustody(t)
	broken := handoverLeg("a2", tpsA, desaA, kec, 10) // 07:00 on the 15th, a broken seal
	broken.BrokenSeals = []string{"KPU-0001"}
	for _, h := range []siaga.Handover{
		handoverLeg("a1", tpsA, tpsA, desaA, 4), // 01:00
		broken,
		handoverLeg("b1", tpsB, tpsB, desaA, 10),  // 07:00: late at the PPS
		handoverLeg("b2", tpsB, desaA, kec, 14.5), // 11:30: in on time all the same
		handoverLeg("d1", tpsD, tpsD, kec, 8),     // 05:00: straight to the PPK
		handoverLeg("x1", tpsX, tpsX, "3601012001", 2),
	} {
		if _, _, err := c.Handover(ctx, h); err != nil {
			t.Fatalf("%s: %v", h.ID, err)
		}
	}
	at := func(h float64) *time.Time {
		t := evening.Add(time.Duration(h * float64(time.Hour))).UTC()
		return &t
	}
	d := c.Deadlines()
	type row struct {
		TPS         string
		Place       logistics.CustodyPlace
		Since       *time.Time
		Late        bool
		Due         time.Time
		SealProblem bool
	}
	for _, tc := range []struct {
		name string
		at   time.Time
		want []row
	}{
		{name: "03:00, nothing late yet", at: evening.Add(6 * time.Hour), want: []row{
			{tpsA, logistics.AtPPS, at(4), false, d.PPK, false},
			{tpsB, logistics.AtTPS, nil, false, d.PPS, false},
			{tpsC, logistics.AtTPS, nil, false, d.PPS, false},
			{tpsD, logistics.AtTPS, nil, false, d.PPS, false},
		}},
		{name: "09:00, B and C missed the PPS", at: evening.Add(12 * time.Hour), want: []row{
			{tpsA, logistics.AtPPK, at(10), false, d.PPK, true},
			{tpsB, logistics.AtPPS, at(10), true, d.PPS, false},
			{tpsC, logistics.AtTPS, nil, true, d.PPS, false},
			{tpsD, logistics.AtPPK, at(8), false, d.PPK, false},
		}},
		{name: "13:00, B in on time after all, C still out", at: evening.Add(16 * time.Hour), want: []row{
			{tpsA, logistics.AtPPK, at(10), false, d.PPK, true},
			{tpsB, logistics.AtPPK, at(14.5), false, d.PPK, false},
			{tpsC, logistics.AtTPS, nil, true, d.PPS, false},
			{tpsD, logistics.AtPPK, at(8), false, d.PPK, false},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := c.Status(ctx, kec, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			var got []row
			for _, r := range rows {
				if r.Since != nil {
					u := r.Since.UTC()
					r.Since = &u
				}
				got = append(got, row{r.TPS, r.Place, r.Since, r.Late, r.Due, r.SealProblem})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Status(%s) (-want +got):\n%s", kec, diff)
			}
		})
	}

	// The PPK's page: the counts of the whole kecamatan, a filter, a cursor.
	rows, _ := c.Status(ctx, kec, evening.Add(16*time.Hour))
	p := c.Page(rows, logistics.CustodyFilter{Place: logistics.AtPPK, Limit: 2}, now)
	if p.TPS != 4 || p.AtPPK != 3 || p.LateCount != 1 || p.SealProblems != 1 || p.Total != 3 || p.Next != tpsB || len(p.Items) != 2 {
		t.Errorf("page 1: %+v", p)
	}
	p = c.Page(rows, logistics.CustodyFilter{Place: logistics.AtPPK, Limit: 2, After: p.Next}, now)
	if len(p.Items) != 1 || p.Items[0].TPS != tpsD || p.Next != "" {
		t.Errorf("page 2: %+v", p.Items)
	}
	for _, f := range []logistics.CustodyFilter{{Late: true}, {Seal: true}} {
		p = c.Page(rows, f, now)
		if p.Total != 1 {
			t.Errorf("filter %+v: %d rows, want 1", f, p.Total)
		}
	}

	// The late check: C, still at its TPS at 13:00, raises one alert to
	// its kecamatan; B, in on time, none.
	alerts, err := c.LateAlerts(ctx, kec, evening.Add(16*time.Hour))
	if err != nil || len(alerts) != 1 || alerts[0].TPS != tpsC || alerts[0].Kind != siaga.AlertCustodyLate || alerts[0].Region != kec {
		t.Errorf("LateAlerts: %+v, %v; want one for %s", alerts, err, tpsC)
	}
	// Raised once: the schedule calling again an hour later adds none.
	for i, want := range []int{1, 0} {
		n, err := c.RaiseLate(ctx, kec, evening.Add(time.Duration(16+i)*time.Hour))
		if err != nil || n != want {
			t.Errorf("RaiseLate, call %d: %d (%v), want %d", i+1, n, err, want)
		}
	}
	if _, total, err := store.LogisticsAlerts(ctx, siaga.LogisticsAlertFilter{Region: kec, Kind: siaga.AlertCustodyLate}); err != nil || total != 1 {
		t.Errorf("%d late alerts stored (%v), want 1", total, err)
	}
}

// TestRunLateAlerts: the server's schedule raises the alerts of the TPS
// whose boxes never left (the clock is past both deadlines), at its first
// tick, and stops with its context.
func TestRunLateAlerts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c, store := newCustody(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.RunLateAlerts(ctx, "36", time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, total, err := store.LogisticsAlerts(context.Background(), siaga.LogisticsAlertFilter{Region: "36", Kind: siaga.AlertCustodyLate})
		if err != nil {
			t.Fatal(err)
		}
		if total == 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d late alerts after 10 s, want 5 (every TPS of the fixture)", total)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

// TestLateAlertsDue: the schedule raises late alerts from the PPS deadline
// to a week after the PPK's, not before, and not on a server started long
// after the election (the demo, an audit) for handovers never entered.
func TestLateAlertsDue(t *testing.T) {
	c, _ := newCustody(t)
	d := c.Deadlines()
	for _, tc := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"voting day", d.PPS.Add(-time.Hour), false},
		{"at the PPS deadline", d.PPS, true},
		{"the PPK's recapitulation", d.PPK.Add(72 * time.Hour), true},
		{"a week after", d.PPK.Add(logistics.LateAlertWindow + time.Minute), false},
		{"years after", d.PPK.AddDate(2, 0, 0), false},
	} {
		if got := c.LateAlertsDue(tc.at); got != tc.want {
			t.Errorf("%s (%v): %v, want %v", tc.name, tc.at, got, tc.want)
		}
	}
}

func TestDefaultDeadlines(t *testing.T) {
	d, err := logistics.DefaultDeadlines("2024-02-14")
	if err != nil {
		t.Fatal(err)
	}
	want := logistics.Deadlines{PPS: time.Date(2024, 2, 15, 6, 0, 0, 0, siaga.WIB), PPK: time.Date(2024, 2, 15, 12, 0, 0, 0, siaga.WIB)}
	if !d.PPS.Equal(want.PPS) || !d.PPK.Equal(want.PPK) {
		t.Errorf("DefaultDeadlines = %+v, want %+v", d, want)
	}
	if _, err := logistics.DefaultDeadlines("14/02/2024"); err == nil {
		t.Error("a date not YYYY-MM-DD is accepted")
	}
}
