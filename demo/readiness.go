package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/disaster"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/postponement"
)

// The desk's readiness picture of Banten 2024, as the reports tell it
// (../shared/data/readiness/README.md; sources beside each number below).
// Everything generated around the numbers is synthetic and says so.
const (
	// demoBy is the actor of everything the demo records.
	demoBy = "demo"
	// boosterOwner installed Kab. Serang's 63 boosters, due by H-2 (Antara
	// Banten).
	boosterOwner = "Diskominfosatik Kab. Serang"
	// lateKecamatan is where six boosters came late: the shop selling them
	// was closed over the holidays (Isra Mi'raj 8 Feb, Imlek 10 Feb 2024).
	lateKecamatan = "Bojonegara"
	// vsatBudget is the demo's budget for VSAT terminals in Lebak, and
	// vsatCost one terminal's cost: both illustrative, not quotes.
	vsatBudget = 1_500_000_000
	vsatCost   = 18_000_000
	boosterFee = 4_500_000
)

// wib is the zone of the hours the demo records; dates without an hour
// (a decision's, a layer's) are UTC midnight, as the forms store them.
var wib = time.FixedZone("WIB", 7*3600)

// readiness records the readiness picture once, on a fresh demo folder:
// signal surveys that classify Banten's 452 blank-spot TPS by kab/kota as
// KPU Banten reported them (25 Jan 2024), Kab. Serang's 63 boosters (six
// late), a plan of VSAT terminals for Lebak, a synthetic flood layer with
// one relocation, and the Pondok Aren flood postponing 16 TPS on voting
// day.
func readiness(ctx context.Context, n *node.Node, out interface{ Write([]byte) (int, error) }) error {
	if n.Connectivity == nil || n.Disaster == nil || n.Postponements == nil {
		return nil
	}
	if sum := n.Connectivity.Summary(""); sum.Surveyed.Unknown < sum.TPS {
		return nil // a kept demo folder has its picture already
	}
	fmt.Fprintln(out, "Menyiapkan gambaran kesiapan: survei sinyal, booster, rencana VSAT, banjir (sintetis) …")
	steps := []func(context.Context, *node.Node) error{locate, surveyAll, boosters, vsatPlan, floods}
	for _, step := range steps {
		if err := step(ctx, n); err != nil {
			return fmt.Errorf("demo: readiness: %w", err)
		}
	}
	if _, err := n.Postponements.PlayPondokAren(ctx, demoBy); err != nil {
		return fmt.Errorf("demo: Pondok Aren: %w", err)
	}
	return nil
}

// locate stands every Banten TPS at a seeded point inside its desa's
// boundary (disaster.SyntheticLocations, labelled synthetic: no public
// source gives TPS locations), and has the connectivity module place them
// there too.
func locate(ctx context.Context, n *node.Node) error {
	regions, err := geo.Banten()
	if err != nil {
		return err
	}
	ls := disaster.SyntheticLocations(n.Registry.TPS, regions, 2024, time.Date(2024, 1, 5, 9, 0, 0, 0, wib))
	if err := n.Disaster.AddLocations(ctx, ls, demoBy); err != nil {
		return err
	}
	return n.Connectivity.Load(ctx)
}

// placed returns Banten's TPS standing where the node places them (their
// synthetic locations, after locate), in registry order.
func placed(n *node.Node) []siaga.TPS {
	at := map[string]connectivity.TPSClass{}
	for _, c := range n.Connectivity.TPSClasses("36") {
		at[c.TPS] = c
	}
	var out []siaga.TPS
	for _, t := range n.Registry.TPS {
		if c, ok := at[t.Code]; ok {
			t.Lat, t.Lon = c.Lat, c.Lon
			out = append(out, t)
		}
	}
	return out
}

// seedOf gives each TPS or region its own reproducible random stream.
func seedOf(s string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(s))
	return rand.New(rand.NewPCG(h.Sum64(), 2024))
}

// surveyAll surveys every Banten TPS in January 2024, a kecamatan a day,
// with readings that agree with the registry's seeded class: the blank
// spots of Lebak and Pandeglang show no service at all; Kab. Serang's a
// faint 4G signal a booster can amplify; weak TPS a poor one; the others
// a fair to excellent one. Each kab/kota is stored in one import.
func surveyAll(ctx context.Context, n *node.Node) error {
	byKab := map[string][]siaga.Survey{}
	var kabs []string
	for _, t := range placed(n) {
		kab := t.Code[:4]
		if byKab[kab] == nil {
			kabs = append(kabs, kab)
		}
		byKab[kab] = append(byKab[kab], surveysOf(t)...)
	}
	for _, kab := range kabs {
		if err := n.Connectivity.AddSurveys(ctx, byKab[kab], demoBy); err != nil {
			return fmt.Errorf("surveys of %s: %w", kab, err)
		}
	}
	return nil
}

// surveyDay is the day the team reached a kecamatan: between 8 and 25
// January 2024, so the count of blank spots grows to its total on the day
// KPU Banten announced it.
func surveyDay(kecamatan string, r *rand.Rand) time.Time {
	day := seedOf(kecamatan).IntN(18)
	return time.Date(2024, 1, 8+day, 9, 0, 0, 0, wib).Add(time.Duration(r.IntN(7*60)) * time.Minute)
}

func surveysOf(t siaga.TPS) []siaga.Survey {
	r := seedOf(t.Code)
	at := surveyDay(t.Code[:6], r)
	base := siaga.Survey{TPS: t.Code, Lat: t.Lat, Lon: t.Lon, Surveyor: "Tim survei Diskominfo " + t.Code[:4] + " (sintetis)",
		Source: siaga.SurveyDemo, At: at}
	reading := func(operator string, rsrp float64) siaga.Survey {
		s := base
		s.Operator, s.Tech, s.RSRP = operator, "4g", ptr(math.Round(rsrp))
		return s
	}
	none := func(operator string) siaga.Survey {
		s := base
		s.Operator, s.Tech, s.DataOK = operator, connectivity.TechNone, ptr(false)
		return s
	}
	switch t.Connectivity {
	case siaga.BlankSpot:
		if t.Code[:4] == "3604" {
			// A faint signal, unusable at a phone's height: what a booster
			// on a mast can amplify. The data test fails.
			s := reading("telkomsel", -121-6*r.Float64())
			s.DataOK = ptr(false)
			return []siaga.Survey{s, none("xl")}
		}
		return []siaga.Survey{none("telkomsel"), none("indosat")}
	case siaga.SignalWeak:
		s := reading("telkomsel", -101-17*r.Float64())
		if r.IntN(3) == 0 {
			s.DataOK, s.DownKbps, s.UpKbps, s.RTTms = ptr(true), ptr(float64(40+r.IntN(200))), ptr(float64(20+r.IntN(100))), ptr(float64(700+r.IntN(1500)))
		}
		return []siaga.Survey{s}
	}
	s := reading([]string{"telkomsel", "indosat", "xl"}[r.IntN(3)], -78-21*r.Float64())
	if r.IntN(5) == 0 {
		s.DataOK, s.DownKbps, s.UpKbps, s.RTTms = ptr(true), ptr(float64(1500+r.IntN(6500))), ptr(float64(500+r.IntN(2500))), ptr(float64(60+r.IntN(240)))
	}
	return []siaga.Survey{s}
}

func ptr[T any](v T) *T { return &v }

// boosters puts a booster at each of Kab. Serang's 63 blank-spot TPS, due
// by H-2 (12 Feb 2024): installed and tested 8–11 Feb, except the six of
// Bojonegara, installed on 13 Feb, late.
func boosters(ctx context.Context, n *node.Node) error {
	due := time.Date(2024, 2, 12, 0, 0, 0, 0, wib)
	names := regionNames(n.Registry)
	for _, t := range placed(n) {
		if t.Code[:4] != "3604" || t.Connectivity != siaga.BlankSpot {
			continue
		}
		r := seedOf("booster" + t.Code)
		installed := time.Date(2024, 2, 8+r.IntN(4), 9+r.IntN(7), 0, 0, 0, wib)
		note := ""
		if names[t.Code[:6]] == lateKecamatan {
			installed = time.Date(2024, 2, 13, 10+r.IntN(5), 0, 0, 0, wib)
			note = "terlambat: toko perangkat tutup saat libur Isra Mi'raj dan Imlek (late: the shop was closed over the holidays)"
		}
		iv := siaga.Intervention{Kind: siaga.InterventionBooster, Lat: t.Lat + 0.0003, Lon: t.Lon, RadiusM: 300,
			Cost: boosterFee, Owner: boosterOwner, Status: siaga.InterventionInstalled, Due: due, InstalledAt: installed,
			Region: t.Desa, Note: note}
		if err := n.Connectivity.AddIntervention(ctx, &iv, demoBy); err != nil {
			return fmt.Errorf("booster at %s: %w", t.Code, err)
		}
		test := siaga.Survey{TPS: t.Code, Operator: "telkomsel", Tech: "4g", RSRP: ptr(-92 - float64(r.IntN(8))),
			DataOK: ptr(true), DownKbps: ptr(float64(800 + r.IntN(2000))), UpKbps: ptr(float64(300 + r.IntN(900))),
			RTTms: ptr(float64(90 + r.IntN(300))), Lat: t.Lat, Lon: t.Lon, Surveyor: boosterOwner + " (sintetis)",
			Source: siaga.SurveyDemo, At: installed.Add(2 * time.Hour), Intervention: iv.ID}
		if err := n.Connectivity.AddSurveys(ctx, []siaga.Survey{test}, demoBy); err != nil {
			return fmt.Errorf("test of the booster at %s: %w", t.Code, err)
		}
		if _, err := n.Connectivity.SetInterventionStatus(ctx, iv.ID, siaga.InterventionTested, "", demoBy); err != nil {
			return fmt.Errorf("booster at %s: %w", t.Code, err)
		}
	}
	return nil
}

// vsatPlan offers a VSAT terminal at the village office of every Lebak
// blank-spot TPS (synthetic candidate sites), plans the budget's worth
// weighted by voters, and records the chosen ones as planned.
func vsatPlan(ctx context.Context, n *node.Node) error {
	var sites []siaga.Site
	for _, t := range placed(n) {
		if t.Code[:4] == "3602" && t.Connectivity == siaga.BlankSpot {
			sites = append(sites, siaga.Site{Code: "VSAT-" + t.Code, Name: "Calon VSAT TPS " + t.Code[10:] + " (sintetis)",
				Kind: "kantor_desa", Lat: t.Lat + 0.0004, Lon: t.Lon, Desa: t.Desa, Intervention: siaga.InterventionVSAT,
				Cost: vsatCost, Source: "demo (sintetis)"})
		}
	}
	if err := n.Store.SaveSites(ctx, sites); err != nil {
		return err
	}
	// The planner the planning page and `siaga plan interventions` use.
	_, _, err := n.Connectivity.RecordPlan(ctx, connectivity.PlanRequest{Kind: siaga.InterventionVSAT,
		Budget: vsatBudget, Weight: connectivity.WeightDPT, Region: "3602"}, "BAKTI Kominfo (rencana)", time.Time{}, demoBy)
	if err != nil {
		return fmt.Errorf("VSAT plan for Lebak: %w", err)
	}
	return nil
}

// floods imports a synthetic flood layer: high-class zones over the
// kelurahan of the 16 Pondok Aren TPS, and zones of every class along the
// Ciujung (Kab. Serang, Lebak) and the Cisadane (Kab. Tangerang), then
// moves one Kab. Serang TPS out of its zone to a safe school nearby.
func floods(ctx context.Context, n *node.Node) error {
	cents, err := geo.Centroids()
	if err != nil {
		return err
	}
	names := regionNames(n.Registry)
	var zones []siaga.HazardZone
	add := func(desa, class string, radius float64) error {
		c, ok := cents[desa]
		if !ok {
			return nil
		}
		g, err := geojson.NewGeometry(blob(c, radius, seedOf("flood"+desa))).MarshalJSON()
		if err != nil {
			return err
		}
		zones = append(zones, siaga.HazardZone{Feature: len(zones), Type: "banjir", Class: class,
			Source: "demo (sintetis)", Date: time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), Geometry: g})
		return nil
	}
	seen := map[string]bool{}
	for _, code := range postponement.PondokAren {
		if d := siaga.ParentCode(code); !seen[d] {
			seen[d] = true
			if err := add(d, siaga.HazardHigh, 1400); err != nil {
				return err
			}
		}
	}
	river := map[string]string{"Pamarayan": siaga.HazardHigh, "Kragilan": siaga.HazardMedium, "Rangkasbitung": siaga.HazardMedium,
		"Cikande": siaga.HazardLow, "Teluknaga": siaga.HazardHigh, "Pakuhaji": siaga.HazardMedium}
	for _, reg := range n.Registry.Regions {
		class, ok := river[names[siaga.ParentCode(reg.Code)]]
		if reg.Level != siaga.LevelDesa || !ok || seedOf(reg.Code).IntN(3) != 0 {
			continue
		}
		if err := add(reg.Code, class, 600+float64(seedOf(reg.Code).IntN(500))); err != nil {
			return err
		}
	}
	layer := siaga.HazardLayer{Name: "Banjir Banten (SINTETIS, demo)", Source: "dibuat oleh siaga demo; bukan peta BNPB (generated by the demo, not a BNPB map)",
		Date: time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), Synthetic: true}
	if err := n.Disaster.ImportHazards(ctx, &layer, zones, demoBy); err != nil {
		return err
	}
	return relocateOne(ctx, n)
}

// blob is an irregular polygon of about radius metres around c.
func blob(c orb.Point, radius float64, r *rand.Rand) orb.Polygon {
	const sides = 14
	ring := make(orb.Ring, 0, sides+1)
	for i := range sides {
		a := 2 * math.Pi * float64(i) / sides
		d := radius * (0.75 + 0.5*r.Float64())
		ring = append(ring, offset(c, d*math.Cos(a), d*math.Sin(a)))
	}
	return orb.Polygon{append(ring, ring[0])}
}

// offset moves p by north and east metres.
func offset(p orb.Point, north, east float64) orb.Point {
	dLat := north / geo.EarthRadius * 180 / math.Pi
	dLon := east / (geo.EarthRadius * math.Cos(p[1]*math.Pi/180)) * 180 / math.Pi
	return orb.Point{math.Round((p[0]+dLon)*1e6) / 1e6, math.Round((p[1]+dLat)*1e6) / 1e6}
}

// relocateOne moves the first Kab. Serang TPS found in a high flood zone
// to a school 700 m further from the zone's centre, with the decision's
// trail (its letter number marked as an illustration).
func relocateOne(ctx context.Context, n *node.Node) error {
	for _, t := range placed(n) {
		if t.Code[:4] != "3604" {
			continue
		}
		x, err := n.Disaster.TPS(t.Code)
		if err != nil || x.Worst != siaga.HazardHigh {
			continue
		}
		cents, _ := geo.Centroids()
		c := cents[t.Desa]
		p := orb.Point{t.Lon, t.Lat}
		dir := orb.Point{p[0] - c[0], p[1] - c[1]}
		l := math.Hypot(dir[0], dir[1])
		if l == 0 {
			dir, l = orb.Point{1, 0}, 1
		}
		var sites []siaga.Site
		for i, kind := range []string{"sekolah", "masjid", "kantor_desa"} {
			q := offset(p, 900*dir[1]/l+float64(i)*60, 900*dir[0]/l)
			sites = append(sites, siaga.Site{Code: fmt.Sprintf("RELOK-%s-%d", t.Code, i+1), Kind: kind,
				Name: strings.ToUpper(kind[:1]) + strings.ReplaceAll(kind[1:], "_", " ") + " dekat TPS " + t.Code[10:] + " (sintetis)",
				Lat:  q[1], Lon: q[0], Desa: t.Desa, Capacity: 600, Source: "demo (sintetis)"})
		}
		if err := n.Store.SaveSites(ctx, sites); err != nil {
			return err
		}
		cands, err := n.Disaster.Candidates(t.Code, sites, 1500)
		if err != nil || len(cands) == 0 {
			continue
		}
		to := cands[0].Site
		rel := siaga.Relocation{TPS: t.Code, Site: to.Code, ToLat: to.Lat, ToLon: to.Lon, ToAddress: to.Name,
			Reason:  "Lokasi TPS di zona banjir kelas tinggi (sintetis); dipindah ke tempat aman terdekat (TPS in a high flood zone)",
			Decider: "Ketua KPU Kabupaten Serang", DeciderOffice: "KPU Kabupaten Serang",
			Decided: time.Date(2024, 2, 5, 0, 0, 0, 0, time.UTC), Letter: "(ilustrasi) 88/PL.02.1-Kpt/3604/2024", By: demoBy}
		return n.Disaster.Relocate(ctx, &rel)
	}
	return nil
}

// regionNames maps every region code to its name.
func regionNames(reg *siaga.Registry) map[string]string {
	out := make(map[string]string, len(reg.Regions))
	for _, r := range reg.Regions {
		out[r.Code] = r.Name
	}
	return out
}
