package readiness_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/disaster"
	"github.com/deskpemilu/siaga/postponement"
	"github.com/deskpemilu/siaga/readiness"
	"github.com/deskpemilu/siaga/registry"
	"github.com/deskpemilu/siaga/sqlite"
)

// now is the eve of voting day, WIB.
var now = time.Date(2024, 2, 13, 9, 0, 0, 0, siaga.WIB)

// testRegistry: six TPS in a row 200 m apart in Kab. Serang, two in
// Lebak, two in Pondok Aren (Tangerang Selatan).
func testRegistry() *siaga.Registry {
	reg := &siaga.Registry{Regions: []siaga.Region{
		{Code: "36", Level: siaga.LevelProvince, Name: "BANTEN"},
		{Code: "3602", Parent: "36", Level: siaga.LevelKabKota, Name: "LEBAK"},
		{Code: "3604", Parent: "36", Level: siaga.LevelKabKota, Name: "SERANG"},
		{Code: "3674", Parent: "36", Level: siaga.LevelKabKota, Name: "TANGERANG SELATAN"},
		{Code: "360201", Parent: "3602", Level: siaga.LevelKecamatan, Name: "MALINGPING"},
		{Code: "360401", Parent: "3604", Level: siaga.LevelKecamatan, Name: "BOJONEGARA"},
		{Code: "367403", Parent: "3674", Level: siaga.LevelKecamatan, Name: "PONDOK AREN"},
		{Code: "3602012003", Parent: "360201", Level: siaga.LevelDesa, Name: "KANEKES"},
		{Code: "3604012005", Parent: "360401", Level: siaga.LevelDesa, Name: "MARGAGIRI"},
		{Code: "3674031007", Parent: "367403", Level: siaga.LevelDesa, Name: "PONDOK KACANG TIMUR"},
	}}
	for _, t := range []struct {
		code     string
		lat, lon float64
	}{
		{"3602012003014", -6.6500, 106.2000},
		{"3602012003015", -6.6600, 106.2100},
		{"3604012005001", -5.9000, 106.0500},
		{"3604012005002", -5.9018, 106.0500},
		{"3604012005003", -5.9036, 106.0500},
		{"3604012005004", -5.9054, 106.0500},
		{"3604012005005", -5.9072, 106.0500},
		{"3604012005006", -5.9500, 106.0500},
		{"3674031007071", -6.2600, 106.7110},
		{"3674031007072", -6.2700, 106.7200},
	} {
		reg.TPS = append(reg.TPS, siaga.TPS{Code: t.code, Desa: t.code[:10], DPT: 200, Lat: t.lat, Lon: t.lon,
			Connectivity: siaga.SignalGood})
	}
	return reg
}

// world is the three modules over one SQLite store, and readiness over them.
type world struct {
	store siaga.Store
	conn  *connectivity.Service
	dis   *disaster.Service
	pp    *postponement.Service
	svc   *readiness.Service
	reg   *siaga.Registry
}

func newWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := func() time.Time { return now }
	reg := testRegistry()
	w := &world{store: db, reg: reg}
	w.conn = connectivity.New(connectivity.Config{Store: db, Registry: reg, Locations: db, Now: clock})
	if err := w.conn.Load(ctx); err != nil {
		t.Fatal(err)
	}
	w.dis = disaster.New(disaster.Config{Store: db, TPS: reg.TPS, Now: clock})
	if err := w.dis.Load(ctx); err != nil {
		t.Fatal(err)
	}
	set := postponement.NewSet(db)
	idx := registry.NewIndex(reg)
	w.pp = postponement.New(postponement.Config{Store: db, Set: set, TPS: idx.TPS,
		Rules: postponement.Rules{VotingDay: "2024-02-14", Zone: siaga.WIB, Now: func() time.Time { return now.Add(30 * time.Hour) }}})
	w.svc = readiness.New(readiness.Config{TPS: reg.TPS, Regions: idx, Signal: w.conn, Hazards: w.dis, Postponed: set})
	return w
}

func ptr[T any](v T) *T { return &v }

func survey(tps string, rsrp float64) siaga.Survey {
	return siaga.Survey{TPS: tps, Operator: "telkomsel", Tech: "4g", RSRP: ptr(rsrp), Surveyor: "Asep Surveyor",
		Source: siaga.SurveyImport, At: now.Add(-time.Hour)}
}

// noService is a survey where the phone showed no service at all.
func noService(tps string) siaga.Survey {
	return siaga.Survey{TPS: tps, Operator: "telkomsel", Tech: "none", Surveyor: "Asep Surveyor",
		Source: siaga.SurveyImport, At: now.Add(-time.Hour)}
}

func box(p orb.Point, d float64) json.RawMessage {
	g := orb.Polygon{{{p[0] - d, p[1] - d}, {p[0] + d, p[1] - d}, {p[0] + d, p[1] + d}, {p[0] - d, p[1] + d}, {p[0] - d, p[1] - d}}}
	b, _ := json.Marshal(geojson.NewGeometry(g))
	return b
}

// populate gives the world its picture: Serang's row weak, weak, blank,
// blank, good and unsurveyed with a booster planned at the first; Lebak
// blank and good; Pondok Aren's two TPS good, one in a tinggi flood zone
// and one in a sedang zone whose voting is postponed.
func (w *world) populate(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	ss := []siaga.Survey{survey("3604012005001", -110), survey("3604012005002", -110), noService("3604012005003"),
		survey("3604012005004", -125), survey("3604012005005", -90), survey("3602012003014", -125),
		survey("3602012003015", -90), survey("3674031007071", -90), survey("3674031007072", -90)}
	if err := w.conn.AddSurveys(ctx, ss, "cli"); err != nil {
		t.Fatal(err)
	}
	iv := siaga.Intervention{Kind: siaga.InterventionBooster, Region: "3604012005", Lat: -5.9000, Lon: 106.0500, RadiusM: 500,
		Owner: "Diskominfo Kab. Serang", Cost: 15_000_000, Note: "hubungi 081200000000"}
	if err := w.conn.AddIntervention(ctx, &iv, "user:desk"); err != nil {
		t.Fatal(err)
	}
	layer := siaga.HazardLayer{Name: "Banjir sintetis", Source: "sintetis", Synthetic: true}
	zones := []siaga.HazardZone{
		{Feature: 0, Type: "banjir", Class: siaga.HazardHigh, Geometry: box(orb.Point{106.7110, -6.2600}, 0.001)},
		{Feature: 1, Type: "banjir", Class: siaga.HazardMedium, Geometry: box(orb.Point{106.7200, -6.2700}, 0.001)},
	}
	if err := w.dis.ImportHazards(ctx, &layer, zones, "cli"); err != nil {
		t.Fatal(err)
	}
	step := siaga.PostponementStep{Name: "Ketua KPPS", Office: "KPPS TPS 072", At: now.Add(24 * time.Hour)}
	if _, err := w.pp.Report(ctx, "3674031007072", siaga.PostponementPSS, "", "banjir", step); err != nil {
		t.Fatal(err)
	}
}

func levels(t testing.TB, svc *readiness.Service, region string) map[string]siaga.ReadinessLevel {
	t.Helper()
	out := map[string]siaga.ReadinessLevel{}
	err := svc.Each(context.Background(), region, func(tp *readiness.TPS) error {
		out[tp.Code] = tp.Level
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestServiceLevels: every TPS gets the level its modules call for, and a
// change in a module (a survey, a relocation) shows at the next question.
func TestServiceLevels(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.populate(t)
	want := map[string]siaga.ReadinessLevel{
		"3604012005001": siaga.ReadinessWatch, "3604012005002": siaga.ReadinessWatch, // weak, a booster planned
		"3604012005003": siaga.ReadinessAtRisk, "3604012005004": siaga.ReadinessAtRisk, // blank: no service for a booster to amplify
		"3604012005005": siaga.ReadinessReady, "3604012005006": siaga.ReadinessWatch, // unsurveyed
		"3602012003014": siaga.ReadinessAtRisk, "3602012003015": siaga.ReadinessReady,
		"3674031007071": siaga.ReadinessAtRisk, "3674031007072": siaga.ReadinessPostponed,
	}
	if diff := cmp.Diff(want, levels(t, w.svc, "")); diff != "" {
		t.Fatalf("levels (-want +got):\n%s", diff)
	}
	tp, ok, err := w.svc.TPS(ctx, "3604012005002")
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if tp.Planned != 1 || tp.Signal != siaga.SignalWeak || tp.Reasons[1].Code != "planned" {
		t.Errorf("TPS 002: planned %d, signal %q, reasons %+v", tp.Planned, tp.Signal, tp.Reasons)
	}
	if tp, _, _ := w.svc.TPS(ctx, "3604012005003"); tp.Planned != 0 {
		t.Errorf("a booster counts as planned for a blank TPS: %+v", tp)
	}
	if tp, _, _ := w.svc.TPS(ctx, "3674031007072"); tp.Postponement == nil || tp.Hazard != siaga.HazardMedium || !tp.Synthetic {
		t.Errorf("TPS 072: %+v", tp)
	}

	// A new survey and a relocation out of the flood zone: both show.
	later := survey("3604012005003", -95)
	later.At = now.Add(-time.Minute)
	if err := w.conn.AddSurveys(ctx, []siaga.Survey{later}, "cli"); err != nil {
		t.Fatal(err)
	}
	r := &siaga.Relocation{TPS: "3674031007071", ToLat: -6.2500, ToLon: 106.7000, ToAddress: "SDN Pondok Kacang Timur 1",
		Reason: "banjir", Decider: "Ketua KPU", DeciderOffice: "KPU Kota Tangerang Selatan", Decided: now, Letter: "12/PL.02-Kpt/3674/2024", By: "user:kpu"}
	if err := w.dis.Relocate(ctx, r); err != nil {
		t.Fatal(err)
	}
	want["3604012005003"], want["3674031007071"] = siaga.ReadinessReady, siaga.ReadinessReady
	if diff := cmp.Diff(want, levels(t, w.svc, "")); diff != "" {
		t.Errorf("after a survey and a relocation (-want +got):\n%s", diff)
	}
	tp, _, _ = w.svc.TPS(ctx, "3674031007071")
	if !tp.Relocated || tp.Point != siaga.LocationRelocation || tp.Synthetic || tp.Hazard != "" {
		t.Errorf("relocated TPS 071: %+v", tp)
	}
}

// TestSummary counts a region and its children by level and layer.
func TestSummary(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.populate(t)
	banten, _ := registry.NewIndex(w.reg).Region("36")
	sum, err := w.svc.Summary(ctx, banten)
	if err != nil {
		t.Fatal(err)
	}
	want := readiness.Counts{TPS: 10, Levels: readiness.LevelCounts{Postponed: 1, AtRisk: 4, Watch: 3, Ready: 2},
		Signal: readiness.SignalCounts{Good: 4, Weak: 2, Blank: 3, Unknown: 1}, Hazard: readiness.HazardCounts{High: 1, Medium: 1, Safe: 8},
		Planned: 2, Postponed: 1, Synthetic: 10}
	if diff := cmp.Diff(want, sum.Counts); diff != "" {
		t.Errorf("Banten (-want +got):\n%s", diff)
	}
	got := map[string]readiness.LevelCounts{}
	for _, c := range sum.Children {
		got[c.Code] = c.Counts.Levels
	}
	wantChildren := map[string]readiness.LevelCounts{
		"3602": {AtRisk: 1, Ready: 1},
		"3604": {AtRisk: 2, Watch: 3, Ready: 1},
		"3674": {Postponed: 1, AtRisk: 1},
	}
	if diff := cmp.Diff(wantChildren, got); diff != "" {
		t.Errorf("children (-want +got):\n%s", diff)
	}
	if !sum.Present.Signal || !sum.Present.Hazard || sum.Present.HazardLayers != 1 || !sum.Present.HazardSynthetic || !sum.Present.Postponement {
		t.Errorf("present: %+v", sum.Present)
	}
	if s := sum.Children[2].Counts.AtRiskShare(); s != 1 {
		t.Errorf("Tangerang Selatan's share at risk = %v, want 1", s)
	}
}

// TestAbsentModules: without the modules every TPS is waspada for want of
// signal data (never siap), and the summary says what is absent.
func TestAbsentModules(t *testing.T) {
	reg := testRegistry()
	idx := registry.NewIndex(reg)
	svc := readiness.New(readiness.Config{TPS: reg.TPS, Regions: idx})
	for code, l := range levels(t, svc, "") {
		if l != siaga.ReadinessWatch {
			t.Errorf("%s: %q, want waspada", code, l)
		}
	}
	banten, _ := idx.Region("36")
	sum, err := svc.Summary(context.Background(), banten)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Present != (readiness.Present{}) || sum.Counts.Levels.Watch != 10 {
		t.Errorf("summary without modules: %+v", sum)
	}
}
