package warning

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/google/go-cmp/cmp"
)

// kec is a synthetic kecamatan: a code, a centre in Banten and a daily
// rate of verified reports of each category.
type kec struct {
	code     string
	lat, lon float64
	rate     map[siaga.IncidentCategory]float64
}

// kecRadiusKm makes a kecamatan a disc of DefaultConfig's 62 km².
var kecRadiusKm = math.Sqrt(62 / math.Pi)

// synthKecamatan places n kecamatan on a grid over Banten (−5.9 to
// −7.0°S, 105.2 to 106.7°E), each with plausible daily rates: in the
// campaign's last days Bawaslu Banten handled tens of reports a week over
// 155 kecamatan, so 0.02–0.6 verified reports a day per kecamatan in all,
// most of them money politics, neutrality and logistics.
func synthKecamatan(n int, rng *rand.Rand) []kec {
	share := map[siaga.IncidentCategory]float64{
		siaga.IncidentViolence: 0.05, siaga.IncidentIntimidation: 0.07, siaga.IncidentMoneyPolitic: 0.25,
		siaga.IncidentLogistics: 0.15, siaga.IncidentDisaster: 0.05, siaga.IncidentNetwork: 0.08,
		siaga.IncidentHoax: 0.08, siaga.IncidentNeutrality: 0.12, siaga.IncidentProcedure: 0.10, siaga.IncidentOther: 0.05,
	}
	out := make([]kec, n)
	for i := range out {
		total := 0.02 + rng.Float64()*0.58
		k := kec{
			code: fmt.Sprintf("36%02d%02d", 1+i/20, 1+i%20),
			lat:  -5.9 - float64(i/10)*0.09, lon: 105.2 + float64(i%10)*0.09,
			rate: map[siaga.IncidentCategory]float64{},
		}
		for c, s := range share {
			k.rate[c] = total * s
		}
		out[i] = k
	}
	return out
}

// poisson draws a Poisson count (Knuth's method: the rates are small).
func poisson(rng *rand.Rand, mu float64) int {
	l, k, p := math.Exp(-mu), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// pointIn is a uniform point in the disc of radius km around lat, lon.
func pointIn(rng *rand.Rand, lat, lon, km float64) (float64, float64) {
	r, a := km*math.Sqrt(rng.Float64()), rng.Float64()*2*math.Pi
	return lat + r*math.Sin(a)/kmPerDegree, lon + r*math.Cos(a)/(kmPerDegree*math.Cos(lat*math.Pi/180))
}

// background is the verified reports of days days from start: a Poisson
// count per kecamatan, category and day, at uniform times and places.
func background(tb testing.TB, ks []kec, start time.Time, days int, rng *rand.Rand, nextID *int64) []siaga.Incident {
	tb.Helper()
	var out []siaga.Incident
	for d := range days {
		day := start.AddDate(0, 0, d)
		for _, k := range ks {
			for _, c := range siaga.IncidentCategories {
				for range poisson(rng, k.rate[c]) {
					*nextID++
					lat, lon := pointIn(rng, k.lat, k.lon, kecRadiusKm)
					out = append(out, siaga.Incident{
						ID: *nextID, Category: c, Status: siaga.IncidentVerified, Region: k.code + "2001",
						OccurredAt: day.Add(time.Duration(rng.Int64N(int64(24 * time.Hour)))), Lat: lat, Lon: lon,
					})
				}
			}
		}
	}
	return out
}

func scanAt(cfg Config, now time.Time, all []siaga.Incident) []siaga.WarningAlert {
	in := NewInput(cfg, now)
	for i := range all {
		in.Add(&all[i])
	}
	return Scan(in)
}

func TestScanFindsInjectedClusters(t *testing.T) {
	cfg := DefaultConfig()
	rng := rand.New(rand.NewPCG(14, 2024))
	ks := synthKecamatan(40, rng)
	start := time.Date(2024, 1, 10, 0, 0, 0, 0, siaga.WIB)
	var id int64
	bg := background(t, ks, start, 35, rng, &id)
	for trial := range 60 {
		t.Run(fmt.Sprint(trial), func(t *testing.T) {
			k := ks[rng.IntN(len(ks))]
			cat := siaga.IncidentCategories[rng.IntN(len(siaga.IncidentCategories))]
			rule := cfg.Rules[cat]
			// The cluster: the rule's N reports within half its radius and
			// its window, from the last day on, anywhere in the kecamatan.
			day := start.AddDate(0, 0, 34)
			begin := day.Add(time.Duration(rng.Int64N(int64(12 * time.Hour))))
			cLat, cLon := pointIn(rng, k.lat, k.lon, kecRadiusKm)
			all := append([]siaga.Incident(nil), bg...)
			var injected []int64
			var last time.Time
			size := rule.N
			for i := range size {
				id++
				lat, lon := pointIn(rng, cLat, cLon, rule.RadiusKm/2)
				at := begin.Add(time.Duration(float64(i) / float64(size) * rule.Hours * float64(time.Hour)))
				last = at
				all = append(all, siaga.Incident{ID: id, Category: cat, Status: siaga.IncidentAssigned,
					Region: k.code + "2001", OccurredAt: at, Lat: lat, Lon: lon})
				injected = append(injected, id)
			}
			// Found by the run right after the last report: within the window.
			alerts := scanAt(cfg, last.Add(time.Minute), all)
			for _, a := range alerts {
				if a.Rule == siaga.WarningSpaceTime && a.Category == cat && containsAll(a.Incidents, injected) {
					if a.Region != k.code {
						t.Errorf("region %s, want %s", a.Region, k.code)
					}
					return
				}
			}
			t.Errorf("cluster of %d %s reports in %s (%v) not found; alerts: %+v", rule.N, cat, k.code, rule, alerts)
		})
	}
}

func containsAll(have, want []int64) bool {
	set := map[int64]bool{}
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

// TestScanFalseAlarms measures the alerts on background alone, scanning at
// the end of each of many seeded days, and asserts the stated bound: at
// most 1 alert per kecamatan per 30 days (docs/security-incidents.md).
func TestScanFalseAlarms(t *testing.T) {
	cfg := DefaultConfig()
	const kecs, days = 40, 150
	rng := rand.New(rand.NewPCG(7, 14))
	ks := synthKecamatan(kecs, rng)
	start := time.Date(2023, 9, 1, 0, 0, 0, 0, siaga.WIB)
	var id int64
	bg := background(t, ks, start, cfg.Baseline.Days+days, rng, &id)
	alarms := 0
	for d := range days {
		end := start.AddDate(0, 0, cfg.Baseline.Days+d+1).Add(-time.Second)
		alarms += len(scanAt(cfg, end, bg))
	}
	perKec30 := float64(alarms) / float64(kecs*days) * 30
	t.Logf("%d alerts on background over %d kecamatan × %d days: %.3f per kecamatan per 30 days", alarms, kecs, days, perKec30)
	if perKec30 > 1 {
		t.Errorf("false alarms %.3f per kecamatan per 30 days, bound 1", perKec30)
	}
}

func TestScanBaseline(t *testing.T) {
	cfg := DefaultConfig()
	now := time.Date(2024, 2, 13, 20, 0, 0, 0, siaga.WIB)
	at := func(days int, h int) time.Time { return now.AddDate(0, 0, -days).Add(-time.Duration(h) * time.Hour) }
	inc := func(id int64, t time.Time, st siaga.IncidentStatus, dup int64) siaga.Incident {
		return siaga.Incident{ID: id, Category: siaga.IncidentMoneyPolitic, Status: st, Region: "3601052001",
			OccurredAt: t, DuplicateOf: dup}
	}
	tests := []struct {
		name  string
		in    []siaga.Incident
		alert []int64
	}{
		{"first report of a quiet kecamatan", []siaga.Incident{inc(1, at(0, 1), siaga.IncidentVerified, 0)}, nil},
		{"four today, none before", []siaga.Incident{
			inc(1, at(0, 1), siaga.IncidentVerified, 0), inc(2, at(0, 2), siaga.IncidentVerified, 0),
			inc(3, at(0, 3), siaga.IncidentInHand, 0), inc(4, at(0, 4), siaga.IncidentClosed, 0)}, []int64{1, 2, 3, 4}},
		{"duplicates and unverified do not count", []siaga.Incident{
			inc(1, at(0, 1), siaga.IncidentVerified, 0), inc(2, at(0, 2), siaga.IncidentVerified, 1),
			inc(3, at(0, 3), siaga.IncidentNew, 0), inc(4, at(0, 4), siaga.IncidentRejected, 0),
			inc(5, at(0, 5), siaga.IncidentVerified, 0), inc(6, at(0, 6), siaga.IncidentVerified, 0)}, nil},
		{"four today is usual here", append(func() []siaga.Incident {
			var h []siaga.Incident
			for d := 1; d <= 28; d++ {
				for j := range 4 {
					h = append(h, inc(int64(100*d+j), at(d, j), siaga.IncidentVerified, 0))
				}
			}
			return h
		}(), inc(1, at(0, 1), siaga.IncidentVerified, 0), inc(2, at(0, 2), siaga.IncidentVerified, 0),
			inc(3, at(0, 3), siaga.IncidentVerified, 0), inc(4, at(0, 4), siaga.IncidentVerified, 0)), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int64
			for _, a := range scanAt(cfg, now, tt.in) {
				if a.Rule == siaga.WarningBaseline {
					got = append(got, a.Incidents...)
				}
			}
			if diff := cmp.Diff(tt.alert, got); diff != "" {
				t.Errorf("baseline alert incidents (-want +got):\n%s", diff)
			}
		})
	}
}

// explainNow and explainIncidents: 3 violence reports a few hundred
// metres apart over 5 hours, in a kecamatan with 6 violence reports over
// the 28 days before.
var explainNow = time.Date(2024, 2, 14, 10, 0, 0, 0, siaga.WIB)

var explainIncidents = func() []siaga.Incident {
	var in []siaga.Incident
	for i := range 3 {
		in = append(in, siaga.Incident{ID: int64(i + 1), Category: siaga.IncidentViolence, Status: siaga.IncidentVerified,
			Region: "3601052001", OccurredAt: explainNow.Add(-time.Duration(10-5*i) * time.Hour / 2).Add(-time.Minute),
			Lat: -6.5 + float64(i)*0.004, Lon: 105.9})
	}
	for d := range 6 {
		in = append(in, siaga.Incident{ID: int64(10 + d), Category: siaga.IncidentViolence, Status: siaga.IncidentClosed,
			Region: "3601050001", OccurredAt: explainNow.AddDate(0, 0, -3-4*d), Lat: -6.9, Lon: 105.5})
	}
	return in
}()

func TestScanExplains(t *testing.T) {
	var got []string
	for _, a := range scanAt(DefaultConfig(), explainNow, explainIncidents) {
		got = append(got, fmt.Sprintf("%s %s %v: %s | %s", a.Rule, a.Region, a.Incidents, a.Text, a.EN))
	}
	want := []string{
		"ruang_waktu 360105 [1 2 3]: 3 laporan kekerasan dalam 0,4 km dan 5 jam; biasanya 0,2/hari | 3 violence reports within 0.4 km and 5 h; usually 0.2/day",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("alerts (-want +got):\n%s", diff)
	}
}

func TestPoissonQuantile(t *testing.T) {
	tests := []struct {
		mu, alpha float64
		want      int
	}{
		{0, 1e-6, 1}, {1, 0.5, 2}, {1, 0.1, 3}, {3.25, 1e-6, 16}, {800, 1e-6, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.mu, tt.alpha), func(t *testing.T) {
			got := poissonQuantile(tt.mu, tt.alpha)
			if tt.want == 0 { // large mu: about mu + 4.75 sd
				if d := float64(got) - tt.mu; d < 4*math.Sqrt(tt.mu) || d > 6*math.Sqrt(tt.mu) {
					t.Errorf("poissonQuantile(%g) = %d", tt.mu, got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("poissonQuantile(%g, %g) = %d, want %d", tt.mu, tt.alpha, got, tt.want)
			}
		})
	}
}
