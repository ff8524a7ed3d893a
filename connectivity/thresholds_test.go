package connectivity_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
)

func TestParseThresholds(t *testing.T) {
	d := connectivity.DefaultThresholds
	for _, tc := range []struct {
		in    string
		want  connectivity.Thresholds
		field string // the field an error names; "" for none
	}{
		{"", d, ""},
		{"good_rsrp=-95, blank_rsrp=-115", connectivity.Thresholds{GoodRSRP: -95, WeakRSRP: -115, GoodRSSI: d.GoodRSSI,
			WeakRSSI: d.WeakRSSI, MinKbps: d.MinKbps, MaxRTTms: d.MaxRTTms}, ""},
		{"min_kbps=128,max_rtt_ms=900", connectivity.Thresholds{GoodRSRP: d.GoodRSRP, WeakRSRP: d.WeakRSRP, GoodRSSI: d.GoodRSSI,
			WeakRSSI: d.WeakRSSI, MinKbps: 128, MaxRTTms: 900}, ""},
		{"rsrp=-100", d, "rsrp"},
		{"good_rssi=loud", d, "good_rssi"},
		{"good_rsrp=-125", d, "good_rsrp"}, // below the blank limit
		{"blank_rsrp=-200", d, "good_rsrp"},
		{"good_rssi=-110", d, "good_rssi"},
		{"min_kbps=0", d, "min_kbps"},
		{"max_rtt_ms=NaN", d, "max_rtt_ms"},
		{"min_kbps=+Inf", d, "min_kbps"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := connectivity.ParseThresholds(tc.in)
			if tc.field != "" {
				var e *siaga.Error
				if err == nil || !errors.As(err, &e) || e.Field != tc.field || e.Message == "" || e.MessageEN == "" {
					t.Fatalf("error %v, want one naming %s in both languages", err, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("thresholds (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseThresholds(f *testing.F) {
	f.Add("good_rsrp=-95,blank_rsrp=-115,min_kbps=70")
	f.Add("max_rtt_ms=1e9,")
	f.Fuzz(func(t *testing.T, s string) {
		th, err := connectivity.ParseThresholds(s)
		if err != nil {
			if siaga.ErrorCode(err) != siaga.EInvalid {
				t.Fatalf("%q: %v, want an EInvalid error", s, err)
			}
			return
		}
		if th.WeakRSRP >= th.GoodRSRP || th.WeakRSSI >= th.GoodRSSI || th.MinKbps <= 0 || th.MaxRTTms <= 0 {
			t.Fatalf("%q gave unusable thresholds %+v", s, th)
		}
	})
}

// A desk's own thresholds classify the surveys the Service holds: −105
// dBm is weak by default and good once the good limit is −110.
func TestServiceUsesItsThresholds(t *testing.T) {
	f := withSurveys(t) // TPS 1 and 3 measured −110 dBm: weak by default
	th, err := connectivity.ParseThresholds("good_rsrp=-110,blank_rsrp=-130")
	if err != nil {
		t.Fatal(err)
	}
	s := connectivity.New(connectivity.Config{Store: f.store, Registry: testRegistry(), Thresholds: &th, Now: func() time.Time { return f.now }})
	if err := s.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	for svc, want := range map[*connectivity.Service]siaga.Connectivity{f.svc: siaga.SignalWeak, s: siaga.SignalGood} {
		if st, _ := svc.TPSStatus(tps1); st.Class != want {
			t.Errorf("TPS 1 at −110 dBm: %s, want %s", st.Class, want)
		}
	}
	// −125 dBm was blank by default, weak now.
	if st, _ := s.TPSStatus(tps4); st.Class != siaga.SignalWeak {
		t.Errorf("TPS 4 at −125 dBm: %s, want weak under a −130 blank limit", st.Class)
	}
}
