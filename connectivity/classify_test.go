package connectivity_test

import (
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
)

func TestClassify(t *testing.T) {
	yes, no := ptr(true), ptr(false)
	for _, tc := range []struct {
		name string
		s    siaga.Survey
		want siaga.Connectivity
	}{
		{"4G at the good threshold", siaga.Survey{Tech: "4g", RSRP: ptr(-100.0)}, siaga.SignalGood},
		{"4G just below it", siaga.Survey{Tech: "4g", RSRP: ptr(-100.5)}, siaga.SignalWeak},
		{"4G just above blank", siaga.Survey{Tech: "4g", RSRP: ptr(-119.9)}, siaga.SignalWeak},
		{"4G at blank", siaga.Survey{Tech: "4g", RSRP: ptr(-120.0)}, siaga.BlankSpot},
		{"5G reads RSRP too", siaga.Survey{Tech: "5g", RSRP: ptr(-90.0)}, siaga.SignalGood},
		{"2G at the good RSSI", siaga.Survey{Tech: "2g", RSSI: ptr(-85.0)}, siaga.SignalGood},
		{"3G weak RSSI", siaga.Survey{Tech: "3g", RSSI: ptr(-100.0)}, siaga.SignalWeak},
		{"3G blank RSSI", siaga.Survey{Tech: "3g", RSSI: ptr(-105.0)}, siaga.BlankSpot},
		{"2G ignores an RSRP", siaga.Survey{Tech: "2g", RSRP: ptr(-80.0), RSSI: ptr(-110.0)}, siaga.BlankSpot},
		{"no service", siaga.Survey{Tech: "none"}, siaga.BlankSpot},
		{"good level, failed data test", siaga.Survey{Tech: "4g", RSRP: ptr(-80.0), DataOK: no}, siaga.BlankSpot},
		{"good level, fast data test", siaga.Survey{Tech: "4g", RSRP: ptr(-80.0), DataOK: yes, DownKbps: ptr(2000.0), UpKbps: ptr(800.0), RTTms: ptr(120.0)}, siaga.SignalGood},
		{"good level, slow download", siaga.Survey{Tech: "4g", RSRP: ptr(-80.0), DataOK: yes, DownKbps: ptr(60.0)}, siaga.SignalWeak},
		{"good level, slow upload", siaga.Survey{Tech: "4g", RSRP: ptr(-80.0), DataOK: yes, UpKbps: ptr(69.9)}, siaga.SignalWeak},
		{"good level, long round trip", siaga.Survey{Tech: "4g", RSRP: ptr(-80.0), DataOK: yes, RTTms: ptr(1400.0)}, siaga.SignalWeak},
		{"blank level, data went through", siaga.Survey{Tech: "4g", RSRP: ptr(-123.0), DataOK: yes}, siaga.SignalWeak},
		{"no level, passing test", siaga.Survey{Tech: "4g", DataOK: yes, DownKbps: ptr(500.0)}, siaga.SignalGood},
		{"no level, slow test", siaga.Survey{Tech: "3g", DataOK: yes, RTTms: ptr(2500.0)}, siaga.SignalWeak},
		{"no level, no test", siaga.Survey{Tech: "4g"}, siaga.SignalWeak},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := connectivity.DefaultThresholds.Classify(&tc.s); got != tc.want {
				t.Errorf("Classify = %q, want %q", got, tc.want)
			}
		})
	}
	// The thresholds are configurable: a stricter desk calls −95 weak.
	strict := connectivity.DefaultThresholds
	strict.GoodRSRP = -90
	if got := strict.Classify(&siaga.Survey{Tech: "4g", RSRP: ptr(-95.0)}); got != siaga.SignalWeak {
		t.Errorf("with GoodRSRP −90, −95 dBm is %q, want weak", got)
	}
}

func TestCheckSurvey(t *testing.T) {
	reg := connectivity.New(connectivity.Config{Registry: testRegistry()})
	now := t0
	ok := func() siaga.Survey {
		return siaga.Survey{TPS: "3604012005001", Operator: "telkomsel", Tech: "4g", RSRP: ptr(-101.0), Lat: -5.9, Lon: 106.05,
			Surveyor: "Asep", Source: siaga.SurveyImport, At: now.Add(-time.Hour)}
	}
	for _, tc := range []struct {
		name   string
		change func(s *siaga.Survey)
		field  string // "" accepted
	}{
		{"valid", func(s *siaga.Survey) {}, ""},
		{"no point taken", func(s *siaga.Survey) { s.Lat, s.Lon = 0, 0 }, ""},
		{"a phone's clock a little ahead", func(s *siaga.Survey) { s.At = now.Add(5 * time.Minute) }, ""},
		{"unknown TPS", func(s *siaga.Survey) { s.TPS = "3604012005099" }, "tps"},
		{"unknown operator", func(s *siaga.Survey) { s.Operator = "Telkomsel" }, "operator"},
		{"unknown tech", func(s *siaga.Survey) { s.Tech = "lte" }, "tech"},
		{"RSRP of +20 dBm", func(s *siaga.Survey) { s.RSRP = ptr(20.0) }, "rsrp"},
		{"RSRP below −156", func(s *siaga.Survey) { s.RSRP = ptr(-157.0) }, "rsrp"},
		{"RSSI above 0", func(s *siaga.Survey) { s.RSSI = ptr(3.0) }, "rssi"},
		{"RSSI below −120", func(s *siaga.Survey) { s.RSSI = ptr(-121.0) }, "rssi"},
		{"no service with a level", func(s *siaga.Survey) { s.Tech = "none" }, "rsrp"},
		{"speed without a data test", func(s *siaga.Survey) { s.DownKbps = ptr(100.0) }, "down_kbps"},
		{"negative round trip", func(s *siaga.Survey) { s.DataOK, s.RTTms = ptr(true), ptr(-1.0) }, "rtt_ms"},
		{"latitude outside Indonesia", func(s *siaga.Survey) { s.Lat = 48.85 }, "lat"},
		{"lat and lon swapped", func(s *siaga.Survey) { s.Lat, s.Lon = 106.05, -5.9 }, "lat"},
		{"longitude outside Indonesia", func(s *siaga.Survey) { s.Lon = 2.35 }, "lon"},
		{"no surveyor", func(s *siaga.Survey) { s.Surveyor = "" }, "surveyor"},
		{"unknown source", func(s *siaga.Survey) { s.Source = "sms" }, "source"},
		{"no date", func(s *siaga.Survey) { s.At = time.Time{} }, "at"},
		{"in the future", func(s *siaga.Survey) { s.At = now.Add(time.Hour) }, "at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ok()
			tc.change(&s)
			err := connectivity.CheckSurvey(&s, reg, now)
			switch {
			case tc.field == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.field != "" && err == nil:
				t.Errorf("accepted, want refused on %s", tc.field)
			case tc.field != "" && (err.Field != tc.field || err.Code != siaga.EInvalid || err.Message == "" || err.MessageEN == ""):
				t.Errorf("error %+v, want invalid on %s in both languages", err, tc.field)
			}
		})
	}
}
