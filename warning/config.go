// Package warning is the early warning of issue 14: it scans the verified
// incidents for clusters in space and time beyond what is usual for the
// kecamatan (Scan, pure), stores the new alerts and tells the subscribers
// in the app and by SMS (Service). The method is documented in
// docs/security-incidents.md "## Early warning".
package warning

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/deskpemilu/siaga"
)

// Rule is the space-time rule of one category: at least N reports within
// RadiusKm of one report and Hours before it.
type Rule struct {
	N        int     `json:"n"`
	RadiusKm float64 `json:"radius_km"`
	Hours    float64 `json:"hours"`
}

// Baseline is the test of a kecamatan's count today against its usual
// daily count: an EWMA over the last Days days with weight Lambda; an
// alert when today's count exceeds mean + K·sd and is at least MinCount.
type Baseline struct {
	Days     int     `json:"days"`
	Lambda   float64 `json:"lambda"`
	K        float64 `json:"k"`
	MinCount int     `json:"min_count"`
}

// Config is the method's parameters, read from `--warning FILE` (JSON);
// what a file leaves out keeps its default.
type Config struct {
	Rules    map[siaga.IncidentCategory]Rule `json:"rules"`
	Baseline Baseline                        `json:"baseline"`
	// Alpha is the chance, per report tested, that the background alone
	// reaches a space-time rule's threshold: the threshold is the larger
	// of N and the Poisson count that the place's usual rate (its reports
	// over the baseline days, in the cells around it) in the circle and
	// window exceeds with probability at most Alpha, divided by the usual
	// count per day around it where that is above 1 (a busy place tests
	// more reports a day).
	Alpha float64 `json:"alpha"`
	// LookbackHours is how far back the space-time rule looks on each run:
	// a day, so a cluster is found however late its reports were verified.
	LookbackHours float64 `json:"lookback_hours"`
}

// DefaultConfig is the method as documented. Per category, why:
//   - kekerasan 3 in 2 km / 6 h: clashes between supporters escalate within
//     hours and stay in one desa; three separate reports are a pattern.
//   - intimidasi 3 in 3 km / 12 h: threats to voters or KPPS go door to door
//     over an evening.
//   - politik_uang 5 in 3 km / 24 h: single reports are common (the
//     "serangan fajar" of the night before voting); a network buys a desa.
//   - logistik 5 in 5 km / 12 h: materials missing at several TPS of one
//     PPK point to its warehouse, not to one TPS.
//   - bencana 3 in 5 km / 12 h: a flood or landslide covers several desa.
//   - jaringan 5 in 5 km / 6 h: one tower or feeder down silences many TPS.
//   - hoaks 5 in 10 km / 24 h: a hoax spreads by chat over a kab/kota.
//   - netralitas 4 in 5 km / 48 h: officials taking sides show over days.
//   - prosedur 5 in 3 km / 12 h: one PPS's wrong instruction repeats at its TPS.
//   - lainnya 6 in 3 km / 12 h: unclassified reports need more to mean anything.
func DefaultConfig() Config {
	return Config{
		Rules: map[siaga.IncidentCategory]Rule{
			siaga.IncidentViolence:     {N: 3, RadiusKm: 2, Hours: 6},
			siaga.IncidentIntimidation: {N: 3, RadiusKm: 3, Hours: 12},
			siaga.IncidentMoneyPolitic: {N: 5, RadiusKm: 3, Hours: 24},
			siaga.IncidentLogistics:    {N: 5, RadiusKm: 5, Hours: 12},
			siaga.IncidentDisaster:     {N: 3, RadiusKm: 5, Hours: 12},
			siaga.IncidentNetwork:      {N: 5, RadiusKm: 5, Hours: 6},
			siaga.IncidentHoax:         {N: 5, RadiusKm: 10, Hours: 24},
			siaga.IncidentNeutrality:   {N: 4, RadiusKm: 5, Hours: 48},
			siaga.IncidentProcedure:    {N: 5, RadiusKm: 3, Hours: 12},
			siaga.IncidentOther:        {N: 6, RadiusKm: 3, Hours: 12},
		},
		// λ = 0.1 weighs the last ~10 days most while the 28 days still
		// count (weight of a day d days ago: 0.1·0.9^d; 0.9^28 ≈ 5%).
		// k = 4 and at least 4 reports: a quiet kecamatan's first report,
		// or a second on one day, is not an alert.
		Baseline:      Baseline{Days: 28, Lambda: 0.1, K: 4, MinCount: 4},
		Alpha:         1e-3,
		LookbackHours: 24,
	}
}

// ParseConfig reads a JSON config over the defaults and checks it.
func ParseConfig(b []byte) (Config, error) {
	c := DefaultConfig()
	var file Config
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return c, siaga.Errorf(siaga.EInvalid, "warning", "Berkas peringatan dini bukan JSON yang benar: %v",
			"The early-warning file is not valid JSON: %v", err)
	}
	for cat, r := range file.Rules {
		c.Rules[cat] = r
	}
	if file.Baseline != (Baseline{}) {
		c.Baseline = file.Baseline
	}
	if file.Alpha != 0 {
		c.Alpha = file.Alpha
	}
	if file.LookbackHours != 0 {
		c.LookbackHours = file.LookbackHours
	}
	return c, c.Check()
}

// Check says what is wrong with c, if anything.
func (c Config) Check() error {
	bad := func(field, id, en string, args ...any) error {
		return siaga.Errorf(siaga.EInvalid, field, id, en, args...)
	}
	for cat, r := range c.Rules {
		if !cat.Valid() {
			return bad("rules", "Kategori %q tidak dikenal", "Unknown category %q", cat)
		}
		if r.N < 2 || r.N > 1000 || !(r.RadiusKm > 0 && r.RadiusKm <= 100) || !(r.Hours > 0 && r.Hours <= 24*7) {
			return bad("rules", "Aturan %s: n 2–1000, radius_km (0, 100], hours (0, 168]",
				"Rule %s: n 2–1000, radius_km (0, 100], hours (0, 168]", cat)
		}
	}
	for _, cat := range siaga.IncidentCategories {
		if _, ok := c.Rules[cat]; !ok {
			return bad("rules", "Aturan untuk %s tidak ada", "No rule for %s", cat)
		}
	}
	b := c.Baseline
	if b.Days < 7 || b.Days > 365 || !(b.Lambda > 0 && b.Lambda <= 1) || !(b.K > 0 && b.K <= 20) || b.MinCount < 1 {
		return bad("baseline", "Garis dasar: days 7–365, lambda (0, 1], k (0, 20], min_count ≥ 1",
			"Baseline: days 7–365, lambda (0, 1], k (0, 20], min_count ≥ 1")
	}
	if !(c.Alpha > 0 && c.Alpha < 0.5) {
		return bad("alpha", "alpha harus di antara 0 dan 0,5", "alpha must be between 0 and 0.5")
	}
	if !(c.LookbackHours > 0 && c.LookbackHours <= 24*7) {
		return bad("lookback_hours", "lookback_hours (0, 168]", "lookback_hours (0, 168]")
	}
	return nil
}

// lookback is how far back the space-time rule reads: LookbackHours, or
// the longest rule's window when that is longer, so a cluster spread over
// its whole window is seen whole.
func (c Config) lookback() time.Duration {
	h := c.LookbackHours
	for _, r := range c.Rules {
		h = math.Max(h, r.Hours)
	}
	return time.Duration(h * float64(time.Hour))
}

// String names the config in logs.
func (r Rule) String() string { return fmt.Sprintf("≥%d/%gkm/%gh", r.N, r.RadiusKm, r.Hours) }
