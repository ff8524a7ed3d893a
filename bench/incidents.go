package bench

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/incident"
	"github.com/deskpemilu/siaga/registry"
	"github.com/deskpemilu/siaga/warning"
)

// incidentsReport is what `siaga bench incidents` prints: SPEC §10's
// scan_s, clusters_found, clusters_injected and false_alarms, then the
// reference and the workload.
type incidentsReport struct {
	Benchmark string `json:"benchmark"`
	// ScanS is the median time of one early-warning run over the day's
	// reports: every report taken in (warning.Input.Add: the checks, the
	// kecamatan, the copy) and warning.Scan, with the 28 days before
	// already counted per day; HistoryS is the time, once, to generate
	// those days' reports (HistoryReports of them), group each day and
	// count them through the same Add.
	ScanS          float64 `json:"scan_s"`
	HistoryS       float64 `json:"history_s"`
	HistoryReports int     `json:"history_reports"`
	// Found: injected clusters whose every report is in one space-time
	// alert of its category; FalseAlarms: alerts holding no injected report.
	ClustersFound    int `json:"clusters_found"`
	ClustersInjected int `json:"clusters_injected"`
	FalseAlarms      int `json:"false_alarms"`
	Alerts           int `json:"alerts"`
	// GroupingS is the median time of the duplicate grouping of the
	// day's reports (incident.Dedup.Group, the rule of Service.Report in
	// batch); Grouped is how many reports it made duplicates. The scan
	// reads the grouped reports: a group counts once.
	GroupingS float64 `json:"grouping_s"`
	Grouped   int     `json:"grouped"`
	// NaiveS is the reference: every report against every earlier report
	// of the day (O(n²)) on NaiveSubset reports, NaiveExtrapolatedS that
	// time scaled to all reports by n²; Ratio the extrapolation over ScanS.
	NaiveS             float64 `json:"naive_s"`
	NaiveSubset        int     `json:"naive_subset"`
	NaiveExtrapolatedS float64 `json:"naive_extrapolated_s"`
	Ratio              float64 `json:"ratio"`
	// The workload: Reports over one day, Counted of them verified or
	// later, not rejected and first of their duplicate group, over
	// Kecamatan kecamatan.
	Reports   int `json:"reports"`
	Counted   int `json:"counted"`
	Kecamatan int `json:"kecamatan"`
	Runs      int `json:"runs"`
	machine
}

const (
	incidentRuns     = 5
	incidentClusters = 20
	naiveSubset      = 10000
)

// incidentsDay is the day of the benchmark: election day.
var incidentsDay = time.Date(2024, 2, 14, 0, 0, 0, 0, siaga.WIB)

// runIncidents generates -n reports over election day across Banten's
// kecamatan (each at one of its TPS, a few hundred metres off, at a rate
// by its TPS count), the same rates over the 28 days before, injects
// incidentClusters clusters and times the early-warning scan.
func runIncidents(ctx context.Context, o options) (any, error) {
	reg, err := registry.Load(o.province, o.seed)
	if err != nil {
		return nil, err
	}
	g := newIncidentGen(reg, o.seed)
	cfg := warning.DefaultConfig()
	day := g.day(o.n, incidentsDay)
	now := incidentsDay.Add(24*time.Hour - time.Second)
	rep := &incidentsReport{Benchmark: "incidents", Reports: len(day), Kecamatan: len(g.kecs), Runs: incidentRuns,
		NaiveSubset: naiveSubset, machine: machineInfo(o)}
	var groupings []float64
	grouped := make([]siaga.Incident, len(day))
	for range incidentRuns {
		copy(grouped, day)
		start := time.Now()
		incident.Dedup{Window: 2 * time.Hour, Radius: 1000}.Group(grouped)
		groupings = append(groupings, time.Since(start).Seconds())
	}
	rep.GroupingS = seconds(median(groupings))
	day = grouped
	for i := range day {
		if day[i].DuplicateOf != 0 {
			rep.Grouped++
		}
	}
	// The clusters come after the grouping, as reports already judged
	// distinct events: at this load the rule (same desa or within 1 km,
	// and within 2 h) would fold any cluster into one report, as it folds
	// half the background.
	injected := g.inject(&day, cfg, incidentClusters)
	rep.Reports, rep.ClustersInjected = len(day), len(injected)
	for i := range day {
		if warning.Counted(&day[i]) {
			rep.Counted++
		}
	}

	history := warning.NewInput(cfg, now)
	start := time.Now()
	var err2 error
	rep.HistoryReports, err2 = g.history(ctx, history, o.n, incidentsDay, cfg.Baseline.Days)
	if err2 != nil {
		return nil, err2
	}
	rep.HistoryS = seconds(time.Since(start).Seconds())
	var scans []float64
	var alerts []siaga.WarningAlert
	for range incidentRuns {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		in := history.Clone()
		start := time.Now()
		for i := range day {
			in.Add(&day[i])
		}
		alerts = warning.Scan(in)
		scans = append(scans, time.Since(start).Seconds())
	}
	rep.ScanS = seconds(median(scans))
	rep.Alerts = len(alerts)
	rep.ClustersFound, rep.FalseAlarms = judge(alerts, injected)

	sub := day[:min(naiveSubset, len(day))]
	start = time.Now()
	naiveScan(sub, cfg)
	rep.NaiveS = seconds(time.Since(start).Seconds())
	scale := float64(len(day)) / float64(len(sub))
	rep.NaiveExtrapolatedS = seconds(rep.NaiveS * scale * scale)
	if rep.ScanS > 0 {
		rep.Ratio = math.Round(rep.NaiveExtrapolatedS/rep.ScanS*10) / 10
	}
	return rep, nil
}

// incidentKec is a kecamatan of the workload: its TPS places and weight.
type incidentKec struct {
	code string
	tps  []siaga.TPS
}

type incidentGen struct {
	rng    *rand.Rand
	kecs   []incidentKec
	cum    []float64 // cumulative TPS share, to draw a kecamatan by weight
	nextID int64
}

func newIncidentGen(reg *siaga.Registry, seed int64) *incidentGen {
	g := &incidentGen{rng: rand.New(rand.NewPCG(uint64(seed), 14))}
	byKec := map[string][]siaga.TPS{}
	for _, t := range reg.TPS {
		if t.Lat != 0 || t.Lon != 0 {
			byKec[t.Code[:6]] = append(byKec[t.Code[:6]], t)
		}
	}
	codes := make([]string, 0, len(byKec))
	for c := range byKec {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	total := 0.0
	for _, c := range codes {
		g.kecs = append(g.kecs, incidentKec{code: c, tps: byKec[c]})
		total += float64(len(byKec[c]))
		g.cum = append(g.cum, total)
	}
	for i := range g.cum {
		g.cum[i] /= total
	}
	return g
}

// categoryShare is the workload's mix: money politics, neutrality and
// logistics most, violence rare.
var categoryShare = []float64{0.05, 0.07, 0.25, 0.15, 0.05, 0.08, 0.08, 0.12, 0.10, 0.05}

func (g *incidentGen) category() siaga.IncidentCategory {
	x := g.rng.Float64()
	for i, s := range categoryShare {
		if x < s {
			return siaga.IncidentCategories[i]
		}
		x -= s
	}
	return siaga.IncidentOther
}

// report fills in with one background report at a random moment of day:
// at a TPS of a kecamatan drawn by TPS count, up to 500 m off; 70% verified
// or later, 20% new, 10% rejected. Duplicates are what the grouping finds.
func (g *incidentGen) report(in *siaga.Incident, day time.Time) {
	k := g.kecs[min(len(g.kecs)-1, sort01(g.cum, g.rng.Float64()))]
	t := k.tps[g.rng.IntN(len(k.tps))]
	g.nextID++
	*in = siaga.Incident{ID: g.nextID, Channel: siaga.ChannelField, Category: g.category(), Severity: siaga.SeverityMedium,
		OccurredAt: day.Add(time.Duration(g.rng.Int64N(int64(24 * time.Hour)))), Region: t.Desa, TPS: t.Code,
		Lat: t.Lat + (g.rng.Float64()-0.5)*0.009, Lon: t.Lon + (g.rng.Float64()-0.5)*0.009, Status: siaga.IncidentVerified}
	switch x := g.rng.Float64(); {
	case x < 0.2:
		in.Status = siaga.IncidentNew
	case x < 0.3:
		in.Status = siaga.IncidentRejected
	case x < 0.5:
		in.Status = siaga.IncidentAssigned
	}
}

func sort01(cum []float64, x float64) int {
	i, _ := slices.BinarySearch(cum, x)
	return i
}

func (g *incidentGen) day(n int, day time.Time) []siaga.Incident {
	out := make([]siaga.Incident, n)
	for i := range out {
		g.report(&out[i], day)
	}
	return out
}

// history takes n reports a day over the days before day into in, each
// day grouped as the day itself is, and says how many. Its own seeded
// generator makes every run the same.
func (g *incidentGen) history(ctx context.Context, in *warning.Input, n int, day time.Time, days int) (int, error) {
	h := &incidentGen{rng: rand.New(rand.NewPCG(7, 28)), kecs: g.kecs, cum: g.cum, nextID: 1 << 40}
	for d := 1; d <= days; d++ {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		list := h.day(n, day.AddDate(0, 0, -d))
		incident.Dedup{Window: 2 * time.Hour, Radius: 1000}.Group(list)
		for i := range list {
			in.Add(&list[i])
		}
	}
	return n * days, nil
}

// inject adds k clusters to day: in a kecamatan drawn at random (not by
// weight: the city kecamatan are busy enough already), of a category
// drawn by share, 15 verified reports plus as many as the background has
// of that category in the rule's circle and window around the place
// (a cluster is trouble beyond what is usual there: at 100,000 reports a
// day a city circle holds hundreds, where 15 more are noise), within half
// the rule's radius and window, ending before the day does. It returns
// their ids.
func (g *incidentGen) inject(day *[]siaga.Incident, cfg warning.Config, k int) [][]int64 {
	var out [][]int64
	for range k {
		kec := g.kecs[g.rng.IntN(len(g.kecs))]
		t := kec.tps[g.rng.IntN(len(kec.tps))]
		cat := g.category()
		rule := cfg.Rules[cat]
		span := time.Duration(math.Min(rule.Hours/2, 12) * float64(time.Hour))
		begin := incidentsDay.Add(time.Duration(g.rng.Int64N(int64(24*time.Hour - span))))
		usual := 0
		for i := range *day {
			b := &(*day)[i]
			dt := b.OccurredAt.Sub(begin).Hours()
			if b.Category == cat && warning.Counted(b) && dt > -rule.Hours/2 && dt < rule.Hours/2+span.Hours() &&
				flatKm(t.Lat, t.Lon, b.Lat, b.Lon) <= rule.RadiusKm {
				usual++
			}
		}
		var ids []int64
		for range 15 + usual {
			g.nextID++
			r := rule.RadiusKm / 2 * math.Sqrt(g.rng.Float64())
			a := g.rng.Float64() * 2 * math.Pi
			*day = append(*day, siaga.Incident{ID: g.nextID, Channel: siaga.ChannelField, Category: cat,
				Severity: siaga.SeverityHigh, Status: siaga.IncidentVerified, Region: t.Desa, TPS: t.Code,
				OccurredAt: begin.Add(time.Duration(g.rng.Int64N(int64(span)))),
				Lat:        t.Lat + r*math.Sin(a)/111.32, Lon: t.Lon + r*math.Cos(a)/(111.32*math.Cos(t.Lat*math.Pi/180))})
			ids = append(ids, g.nextID)
		}
		out = append(out, ids)
	}
	return out
}

// flatKm is the distance between two nearby points on a flat map.
func flatKm(aLat, aLon, bLat, bLon float64) float64 {
	x := (bLon - aLon) * 111.32 * math.Cos(aLat*math.Pi/180)
	y := (bLat - aLat) * 111.32
	return math.Hypot(x, y)
}

// judge counts the injected clusters found whole in one space-time alert
// of their category, and the alerts holding no injected report.
func judge(alerts []siaga.WarningAlert, injected [][]int64) (found, falseAlarms int) {
	owner := map[int64]int{}
	for c, ids := range injected {
		for _, id := range ids {
			owner[id] = c + 1
		}
	}
	hits := make([]bool, len(injected))
	for _, a := range alerts {
		per := map[int]int{}
		for _, id := range a.Incidents {
			if c := owner[id]; c != 0 {
				per[c]++
			}
		}
		if len(per) == 0 {
			falseAlarms++
		}
		for c, n := range per {
			if a.Rule == siaga.WarningSpaceTime && n == len(injected[c-1]) {
				hits[c-1] = true
			}
		}
	}
	for _, h := range hits {
		if h {
			found++
		}
	}
	return found, falseAlarms
}

// naiveScan is the reference: for every counted report, every counted
// report of its category is compared, the first way one would write the
// rule. It returns how many reports reach N (with no baseline).
func naiveScan(rs []siaga.Incident, cfg warning.Config) int {
	hits := 0
	for i := range rs {
		a := &rs[i]
		if !warning.Counted(a) {
			continue
		}
		rule := cfg.Rules[a.Category]
		n := 0
		for j := range rs {
			b := &rs[j]
			if b.Category != a.Category || !warning.Counted(b) {
				continue
			}
			dt := a.OccurredAt.Sub(b.OccurredAt).Hours()
			if dt < 0 || dt > rule.Hours {
				continue
			}
			if flatKm(a.Lat, a.Lon, b.Lat, b.Lon) <= rule.RadiusKm {
				n++
			}
		}
		if n >= rule.N {
			hits++
		}
	}
	return hits
}
