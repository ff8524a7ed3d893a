package connectivity_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/sqlite"
)

// t0 is voting-day eve in Banten, WIB.
var t0 = time.Date(2024, 2, 10, 9, 0, 0, 0, siaga.WIB)

// testRegistry is two desa: six TPS in a row 200 m apart in Kab. Serang
// (Bojonegara's coast), two in Lebak. The seeded classes are the
// registry's estimate, which surveys never read.
func testRegistry() *siaga.Registry {
	reg := &siaga.Registry{Regions: []siaga.Region{
		{Code: "36", Level: siaga.LevelProvince, Name: "BANTEN"},
		{Code: "3602", Parent: "36", Level: siaga.LevelKabKota, Name: "LEBAK"},
		{Code: "3604", Parent: "36", Level: siaga.LevelKabKota, Name: "SERANG"},
		{Code: "360201", Parent: "3602", Level: siaga.LevelKecamatan, Name: "MALINGPING"},
		{Code: "360401", Parent: "3604", Level: siaga.LevelKecamatan, Name: "BOJONEGARA"},
		{Code: "3602012003", Parent: "360201", Level: siaga.LevelDesa, Name: "KANEKES"},
		{Code: "3604012005", Parent: "360401", Level: siaga.LevelDesa, Name: "MARGAGIRI"},
	}}
	for _, t := range []struct {
		code   string
		lat    float64
		lon    float64
		seeded siaga.Connectivity
		dpt    int
	}{
		{"3602012003014", -6.6500, 106.2000, siaga.BlankSpot, 210},
		{"3602012003015", -6.6600, 106.2100, siaga.BlankSpot, 190},
		{"3604012005001", -5.9000, 106.0500, siaga.SignalWeak, 250},
		{"3604012005002", -5.9018, 106.0500, siaga.SignalWeak, 240},
		{"3604012005003", -5.9036, 106.0500, siaga.BlankSpot, 230},
		{"3604012005004", -5.9054, 106.0500, siaga.BlankSpot, 220},
		{"3604012005005", -5.9072, 106.0500, siaga.SignalGood, 200},
		{"3604012005006", -5.9500, 106.0500, siaga.SignalGood, 180},
	} {
		reg.TPS = append(reg.TPS, siaga.TPS{Code: t.code, Desa: t.code[:10], DPT: t.dpt, Lat: t.lat, Lon: t.lon, Connectivity: t.seeded})
	}
	return reg
}

// fixture is a Service over a fresh SQLite store, with a settable clock.
type fixture struct {
	store siaga.Store
	svc   *connectivity.Service
	now   time.Time
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{store: db, now: t0.Add(24 * time.Hour)}
	f.svc = connectivity.New(connectivity.Config{Store: db, Registry: testRegistry(), Now: func() time.Time { return f.now }})
	if err := f.svc.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return f
}

// reloaded is a second Service loaded from the same store: what a restart
// sees.
func (f *fixture) reloaded(t testing.TB) *connectivity.Service {
	t.Helper()
	s := connectivity.New(connectivity.Config{Store: f.store, Registry: testRegistry(), Now: func() time.Time { return f.now }})
	if err := s.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// survey is a 4G survey by Telkomsel at a TPS with the given RSRP.
func survey(tps string, rsrp float64, at time.Time) siaga.Survey {
	return siaga.Survey{TPS: tps, Operator: "telkomsel", Tech: "4g", RSRP: ptr(rsrp), Surveyor: "Asep", Source: siaga.SurveyImport, At: at}
}

func (f *fixture) add(t testing.TB, ss ...siaga.Survey) {
	t.Helper()
	if err := f.svc.AddSurveys(context.Background(), ss, "cli"); err != nil {
		t.Fatal(err)
	}
}

func classes(s *connectivity.Service, codes ...string) map[string][2]siaga.Connectivity {
	out := map[string][2]siaga.Connectivity{}
	for _, c := range codes {
		st, _ := s.TPSStatus(c)
		out[c] = [2]siaga.Connectivity{st.Class, st.Effective}
	}
	return out
}

func TestTPSClassFromLatestOfEachOperator(t *testing.T) {
	f := newFixture(t)
	const a, b = "3604012005001", "3604012005002"
	f.add(t,
		survey(a, -125, t0),                 // blank
		survey(a, -95, t0.Add(2*time.Hour)), // later, good: the latest wins
		survey(b, -95, t0),                  // good…
		survey(b, -125, t0.Add(time.Hour)),  // …then blank
		siaga.Survey{TPS: b, Operator: "xl", Tech: "3g", RSSI: ptr(-95.0), Surveyor: "Asep", Source: siaga.SurveyImport, At: t0}, // weak: the best operator's
	)
	// An older measurement imported later does not replace a newer one.
	f.add(t, survey(a, -130, t0.Add(time.Hour)))
	want := map[string][2]siaga.Connectivity{
		a:               {siaga.SignalGood, siaga.SignalGood},
		b:               {siaga.SignalWeak, siaga.SignalWeak},
		"3604012005003": {siaga.SignalUnknown, siaga.SignalUnknown}, // seeded blank, but nobody surveyed it
	}
	if diff := cmp.Diff(want, classes(f.svc, a, b, "3604012005003")); diff != "" {
		t.Errorf("classes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, classes(f.reloaded(t), a, b, "3604012005003")); diff != "" {
		t.Errorf("classes after a reload (-want +got):\n%s", diff)
	}
	sum := f.svc.Summary("3604")
	wantSum := connectivity.Counts{Good: 1, Weak: 1, Unknown: 4}
	if diff := cmp.Diff(wantSum, sum.Surveyed); diff != "" {
		t.Errorf("surveyed counts of 3604 (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(connectivity.Counts{Good: 2, Weak: 2, Blank: 2}, sum.Estimate); diff != "" {
		t.Errorf("estimate counts of 3604 are the registry's seeded classes (-want +got):\n%s", diff)
	}
}

func TestAddSurveysRefusesAll(t *testing.T) {
	f := newFixture(t)
	good := survey("3604012005001", -95, t0)
	bad := survey("3604012005002", 20, t0) // +20 dBm: impossible
	err := f.svc.AddSurveys(context.Background(), []siaga.Survey{good, bad}, "cli")
	if siaga.ErrorCode(err) != siaga.EInvalid {
		t.Fatalf("AddSurveys with an RSRP of +20 dBm: %v, want invalid", err)
	}
	var e *siaga.Error
	if se, ok := err.(*siaga.Error); ok {
		e = se
	}
	if e == nil || e.Field != "surveys[1].rsrp" {
		t.Errorf("error %v names field %q, want surveys[1].rsrp", err, e.Field)
	}
	page, err := f.store.Surveys(context.Background(), siaga.SurveyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 0 {
		t.Errorf("%d surveys stored after a refused batch, want 0", page.Total)
	}
	if st, _ := f.svc.TPSStatus("3604012005001"); st.Class != siaga.SignalUnknown {
		t.Errorf("class after a refused batch = %q, want unknown", st.Class)
	}
}

func TestHistoryByDateAndSource(t *testing.T) {
	f := newFixture(t)
	day := 24 * time.Hour
	f.now = t0.Add(3 * day)
	field := survey("3604012005003", -95, t0.Add(day))
	field.Source = siaga.SurveyField
	f.add(t,
		survey("3604012005001", -125, t0),
		survey("3604012005002", -125, t0.Add(time.Hour)),
		survey("3602012003014", -125, t0), // Lebak: not in 3604's history
		field,
		survey("3604012005001", -110, t0.Add(day+time.Hour)), // blank → weak
	)
	want := []connectivity.HistoryPoint{
		{Date: "2024-02-10", Counts: connectivity.Counts{Blank: 2, Unknown: 4}, Surveys: map[string]int{siaga.SurveyImport: 2}},
		{Date: "2024-02-11", Counts: connectivity.Counts{Good: 1, Weak: 1, Blank: 1, Unknown: 3},
			Surveys: map[string]int{siaga.SurveyImport: 1, siaga.SurveyField: 1}},
	}
	if diff := cmp.Diff(want, f.svc.Summary("3604").History); diff != "" {
		t.Errorf("history of 3604 (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, f.reloaded(t).Summary("3604").History); diff != "" {
		t.Errorf("history of 3604 after a reload (-want +got):\n%s", diff)
	}
}
