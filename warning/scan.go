package warning

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// report is what the scan keeps of one incident: small, so a day of
// 100,000 reports fits in a few megabytes.
type report struct {
	id       int64
	t        int64 // OccurredAt, Unix seconds
	lat, lon float64
	cos      float64 // cos(lat): a degree of longitude is kmPerDegree·cos km
	kec      string
	cat      siaga.IncidentCategory
}

type histKey struct {
	kec string
	cat siaga.IncidentCategory
}

// cell is a square of the space-time grid of a category: its side is the
// rule's radius (a little more), so every report within the radius of a
// report lies in the 3×3 cells around that report's cell.
type cell struct {
	cat  siaga.IncidentCategory
	x, y int32
}

// cellSlack widens cells a little: the grid's x runs along each report's
// own latitude, so two cells' edges drift by a few metres between rows.
const cellSlack = 1.02

// refLon is the grid's meridian (west Indonesia): x = (lon−refLon)·cos(lat)
// errs less the nearer reports are to it, a few metres at Banten.
const refLon = 110.0

func (in *Input) cellOf(cat siaga.IncidentCategory, lat, lon, cos float64) cell {
	return gridCell(cat, lat, lon, cos, in.cfg.Rules[cat].RadiusKm*cellSlack)
}

// fineCells is how many cells of the usual-rate grid span a rule's
// radius: the circle is the 49 cells whose offset (dx, dy) has
// dx²+dy² ≤ 16, 3.06·R² against the circle's 3.14·R².
const fineCells = 4

// fineCellOf is the cell of the usual-rate grid, a quarter of the radius
// wide: fine enough that a town's cluster of TPS is not spread over the
// fields around it.
func (in *Input) fineCellOf(cat siaga.IncidentCategory, lat, lon, cos float64) cell {
	return gridCell(cat, lat, lon, cos, in.cfg.Rules[cat].RadiusKm/fineCells)
}

// cellKey packs a cell's x and y in one map key: cheaper to hash than
// a struct with its category's string.
func cellKey(x, y int32) int64 { return int64(x)<<32 | int64(uint32(y)) }

func gridCell(cat siaga.IncidentCategory, lat, lon, cos, side float64) cell {
	return cell{cat, int32(math.Floor((lon - refLon) * kmPerDegree * cos / side)), int32(math.Floor(lat * kmPerDegree / side))}
}

// Input gathers what one scan needs: the recent reports themselves and,
// for the days before today, only the daily counts per kecamatan and
// category. Feed it every incident of the last Baseline.Days days and
// today with Add (the store's EachIncident), then Scan.
type Input struct {
	cfg       Config
	now       time.Time
	today     time.Time // 00:00 WIB of now's day
	histStart time.Time
	recentT   time.Time
	counts    map[histKey][]int32
	// local counts the reports of the baseline days per day in each cell
	// of the category's fine grid (fineCellOf): the usual rate of a place,
	// for the space-time rule's threshold.
	local  map[siaga.IncidentCategory]map[int64][]int32 // by category, then x<<32|y
	recent []report
}

// NewInput starts the input of a scan at now.
func NewInput(cfg Config, now time.Time) *Input {
	w := now.In(siaga.WIB)
	today := time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, siaga.WIB)
	return &Input{
		cfg: cfg, now: now, today: today,
		histStart: today.AddDate(0, 0, -cfg.Baseline.Days),
		recentT:   now.Add(-cfg.lookback()),
		counts:    map[histKey][]int32{},
		local:     map[siaga.IncidentCategory]map[int64][]int32{},
	}
}

// Clone is a copy of in that takes reports apart from it: one history
// counted once for several scans (siaga bench incidents).
func (in *Input) Clone() *Input {
	c := *in
	c.counts = make(map[histKey][]int32, len(in.counts))
	for k, v := range in.counts {
		c.counts[k] = slices.Clone(v)
	}
	c.local = make(map[siaga.IncidentCategory]map[int64][]int32, len(in.local))
	for cat, m := range in.local {
		cm := make(map[int64][]int32, len(m))
		for k, v := range m {
			cm[k] = slices.Clone(v)
		}
		c.local[cat] = cm
	}
	c.recent = slices.Clone(in.recent)
	return &c
}

// Since is the earliest OccurredAt the scan reads: the store's filter.
func (in *Input) Since() time.Time {
	if in.recentT.Before(in.histStart) {
		return in.recentT
	}
	return in.histStart
}

// Counted says whether an incident counts in the early warning: verified
// or later and not rejected, and the first report of its duplicate group
// (a group counts once, through its first report).
func Counted(in *siaga.Incident) bool {
	if in.DuplicateOf != 0 {
		return false
	}
	switch in.Status {
	case siaga.IncidentVerified, siaga.IncidentAssigned, siaga.IncidentInHand, siaga.IncidentClosed:
		return true
	}
	return false
}

// Kecamatan is the kecamatan code of an incident's place, "" when it is
// only known at kab/kota level.
func Kecamatan(in *siaga.Incident) string {
	code := in.Region
	if len(code) < 6 {
		code = in.TPS
	}
	if len(code) < 6 {
		return ""
	}
	return code[:6]
}

// Add takes one incident into the scan; those that do not count, are
// placed at no kecamatan or lie outside the scan's days are ignored.
func (in *Input) Add(inc *siaga.Incident) {
	if !Counted(inc) || !inc.Category.Valid() {
		return
	}
	kec := Kecamatan(inc)
	if kec == "" {
		return
	}
	at := inc.OccurredAt
	if at.After(in.now) {
		return // a clock ahead: not counted before it happened
	}
	placed := inc.Lat != 0 || inc.Lon != 0
	cos := math.Cos(inc.Lat * math.Pi / 180)
	if !at.Before(in.histStart) && at.Before(in.today) {
		d := in.cfg.Baseline.Days - 1 - int(in.today.Sub(at)/(24*time.Hour)) // Days-1: yesterday
		countDay(in, in.counts, histKey{kec, inc.Category}, d)
		if placed {
			m := in.local[inc.Category]
			if m == nil {
				m = map[int64][]int32{}
				in.local[inc.Category] = m
			}
			c := in.fineCellOf(inc.Category, inc.Lat, inc.Lon, cos)
			countDay(in, m, cellKey(c.x, c.y), d)
		}
	}
	if !at.Before(in.recentT) || !at.Before(in.today) {
		in.recent = append(in.recent, report{id: inc.ID, t: at.Unix(), lat: inc.Lat, lon: inc.Lon, cos: cos, kec: kec, cat: inc.Category})
	}
}

// countDay counts one report on day d (0: the first baseline day) under k.
func countDay[K comparable](in *Input, m map[K][]int32, k K, d int) {
	days := m[k]
	if days == nil {
		days = make([]int32, in.cfg.Baseline.Days)
		m[k] = days
	}
	days[d]++
}

// usual is the EWMA mean and standard deviation of a kecamatan's daily
// count of a category over the baseline days (oldest first). It starts
// from the plain mean and variance of those days, so a short history is
// not read as zero, then weighs recent days more.
func usual(days []int32, lambda float64) (mean, sd float64) {
	if len(days) == 0 {
		return 0, 0
	}
	var sum, sq float64
	for _, c := range days {
		sum += float64(c)
		sq += float64(c) * float64(c)
	}
	n := float64(len(days))
	mean = sum / n
	v := math.Max(0, sq/n-mean*mean)
	for _, c := range days {
		d := float64(c) - mean
		mean += lambda * d
		v = (1 - lambda) * (v + lambda*d*d)
	}
	return mean, math.Sqrt(v)
}

func (in *Input) usual(kec string, cat siaga.IncidentCategory) (float64, float64) {
	return usual(in.counts[histKey{kec, cat}], in.cfg.Baseline.Lambda)
}

// Scan finds the alerts in the input: for every category the space-time
// clusters of its recent reports, then for every kecamatan and category
// today's count against the usual. Alerts come sorted by rule, category,
// region and first incident; their Status and times are the service's.
func Scan(in *Input) []siaga.WarningAlert {
	byCat := map[siaga.IncidentCategory][]report{}
	for _, r := range in.recent {
		byCat[r.cat] = append(byCat[r.cat], r)
	}
	var out []siaga.WarningAlert
	for _, cat := range siaga.IncidentCategories {
		out = append(out, in.spaceTime(cat, byCat[cat])...)
	}
	out = append(out, in.baseline()...)
	slices.SortFunc(out, func(a, b siaga.WarningAlert) int {
		if c := strings.Compare(string(a.Rule), string(b.Rule)); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.Category), string(b.Category)); c != 0 {
			return c
		}
		if c := strings.Compare(a.Region, b.Region); c != 0 {
			return c
		}
		return int(a.Incidents[0] - b.Incidents[0])
	})
	return out
}

// kmPerDegree is the length of a degree of latitude; a degree of
// longitude is that times cos(latitude). At Banten's ~6°S the flat
// approximation errs by far less than a report's own placing over a few km.
const kmPerDegree = 111.32

func distKm(aLat, aLon, bLat, bLon float64) float64 {
	x := (bLon - aLon) * kmPerDegree * math.Cos((aLat+bLat)/2*math.Pi/180)
	y := (bLat - aLat) * kmPerDegree
	return math.Hypot(x, y)
}

// spaceTime runs the category's rule over its recent reports: sorted by
// time, each report in turn is the end of a window of Hours; the reports
// in the window within RadiusKm of it are counted through the grid (only
// the 3×3 cells around it can hold them), whose lists, filled in time
// order, start the window by binary search. A report whose circle reaches
// its place's threshold is joined with the reports in it; each joined set
// is one alert.
func (in *Input) spaceTime(cat siaga.IncidentCategory, rs []report) []siaga.WarningAlert {
	rule := in.cfg.Rules[cat]
	if len(rs) < rule.N {
		return nil
	}
	slices.SortFunc(rs, func(a, b report) int {
		if a.t != b.t {
			return int(a.t - b.t)
		}
		return int(a.id - b.id)
	})
	grid := map[int64][]int32{} // by cellKey
	window := int64(rule.Hours * 3600)
	r2 := rule.RadiusKm * rule.RadiusKm
	parent := make([]int32, len(rs)) // union-find of the reports joined in alerts
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(i int32) int32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	hit := make([]bool, len(rs))
	thresholds := map[cell]int{} // by fine cell
	var lists [9][]int32
	var near []int32
	// nearby is the reports in the window of r within the radius.
	nearby := func(r *report) []int32 {
		near = near[:0]
		for _, list := range lists {
			lo, hi := 0, len(list) // the first report of the window
			for lo < hi {
				if m := int(uint(lo+hi) >> 1); rs[list[m]].t < r.t-window {
					lo = m + 1
				} else {
					hi = m
				}
			}
			for _, j := range list[lo:] {
				o := &rs[j]
				x := (o.lon - r.lon) * kmPerDegree * (o.cos + r.cos) / 2
				y := (o.lat - r.lat) * kmPerDegree
				if x*x+y*y <= r2 {
					near = append(near, j)
				}
			}
		}
		return near
	}
	for i := range rs {
		r := &rs[i]
		if r.lat == 0 && r.lon == 0 {
			continue // no place: only the baseline test counts it
		}
		c := in.cellOf(cat, r.lat, r.lon, r.cos)
		grid[cellKey(c.x, c.y)] = append(grid[cellKey(c.x, c.y)], int32(i))
		k := 0
		for dx := int32(-1); dx <= 1; dx++ {
			for dy := int32(-1); dy <= 1; dy++ {
				lists[k] = grid[cellKey(c.x+dx, c.y+dy)]
				k++
			}
		}
		n := len(nearby(r))
		if n < rule.N {
			continue
		}
		fc := in.fineCellOf(cat, r.lat, r.lon, r.cos)
		th, ok := thresholds[fc]
		if !ok {
			th = in.spaceTimeThreshold(rule, fc)
			thresholds[fc] = th
		}
		if n < th {
			continue
		}
		for _, j := range near {
			hit[j] = true
			if a, b := find(j), find(int32(i)); a != b {
				parent[a] = b
			}
		}
	}
	groups := map[int32][]int32{}
	for i := range rs {
		if hit[i] {
			root := find(int32(i))
			groups[root] = append(groups[root], int32(i))
		}
	}
	out := make([]siaga.WarningAlert, 0, len(groups))
	for _, g := range groups {
		th := 0
		for _, i := range g {
			th = max(th, thresholds[in.fineCellOf(cat, rs[i].lat, rs[i].lon, rs[i].cos)])
		}
		out = append(out, in.alert(siaga.WarningSpaceTime, cat, rs, g, max(th, rule.N)))
	}
	return out
}

// spaceTimeThreshold is the count a circle of the rule needs around fine
// cell c: N, or more where the place is busy, so that its usual rate alone
// reaches it with probability at most Alpha per report tested (less where
// more than one report a day is usual in the circle). The usual rate is
// the reports of the baseline days in the fine cells of the circle.
func (in *Input) spaceTimeThreshold(rule Rule, c cell) int {
	// The usual rate leaves out the days the window reaches back into:
	// a cluster's own first reports must not make it look usual.
	days := in.cfg.Baseline.Days - int(math.Ceil(rule.Hours/24))
	if days <= 0 {
		return rule.N
	}
	local := in.local[c.cat]
	total := 0
	for dx := int32(-fineCells); dx <= fineCells; dx++ {
		for dy := int32(-fineCells); dy <= fineCells; dy++ {
			if dx*dx+dy*dy > fineCells*fineCells {
				continue
			}
			counts := local[cellKey(c.x+dx, c.y+dy)]
			for _, n := range counts[:min(days, len(counts))] {
				total += int(n)
			}
		}
	}
	perDay := float64(total) / float64(days)
	expect := perDay * rule.Hours / 24
	return max(rule.N, poissonQuantile(expect, in.cfg.Alpha/math.Max(1, perDay)))
}

// poissonQuantile is the least n with P(X ≥ n) ≤ alpha for X ~ Poisson(mu).
func poissonQuantile(mu, alpha float64) int {
	if mu <= 0 {
		return 1
	}
	// Sum the terms in log space: exp(-mu) underflows past mu ≈ 745.
	logP := -mu
	tail := 1.0 // P(X ≥ n)
	for n := 0; n < 100000; n++ {
		if tail <= alpha {
			return n
		}
		tail -= math.Exp(logP)
		logP += math.Log(mu) - math.Log(float64(n+1))
	}
	return 100000
}

// baseline tests each kecamatan and category with reports today.
func (in *Input) baseline() []siaga.WarningAlert {
	todayUnix := in.today.Unix()
	today := map[histKey][]int32{}
	for i, r := range in.recent {
		if r.t >= todayUnix {
			k := histKey{r.kec, r.cat}
			today[k] = append(today[k], int32(i))
		}
	}
	b := in.cfg.Baseline
	var out []siaga.WarningAlert
	for k, idx := range today {
		mean, sd := in.usual(k.kec, k.cat)
		// Daily counts vary at least as a Poisson count does: an EWMA of a
		// few quiet days has a spread near zero, which must not make one
		// report an alert.
		sd = math.Max(sd, math.Sqrt(mean))
		limit := max(b.MinCount, int(math.Floor(mean+b.K*sd))+1)
		if len(idx) < limit {
			continue
		}
		out = append(out, in.alert(siaga.WarningBaseline, k.cat, in.recent, idx, limit))
	}
	return out
}

// alert describes the reports rs[idx] as one alert.
func (in *Input) alert(rule siaga.WarningRule, cat siaga.IncidentCategory, rs []report, idx []int32, threshold int) siaga.WarningAlert {
	slices.SortFunc(idx, func(a, b int32) int {
		if rs[a].t != rs[b].t {
			return int(rs[a].t - rs[b].t)
		}
		return int(rs[a].id - rs[b].id)
	})
	first, last := rs[idx[0]], rs[idx[len(idx)-1]]
	a := siaga.WarningAlert{
		Rule: rule, Category: cat, Region: first.kec, Threshold: threshold,
		From: time.Unix(first.t, 0).UTC(), To: time.Unix(last.t, 0).UTC(),
	}
	var lat, lon float64
	placed := 0
	for _, i := range idx {
		a.Incidents = append(a.Incidents, rs[i].id)
		if rs[i].lat != 0 || rs[i].lon != 0 {
			lat += rs[i].lat
			lon += rs[i].lon
			placed++
		}
	}
	slices.Sort(a.Incidents)
	if placed > 0 {
		a.Lat, a.Lon = lat/float64(placed), lon/float64(placed)
		for _, i := range idx {
			if rs[i].lat != 0 || rs[i].lon != 0 {
				a.RadiusKm = math.Max(a.RadiusKm, distKm(a.Lat, a.Lon, rs[i].lat, rs[i].lon))
			}
		}
		a.RadiusKm = math.Round(math.Max(a.RadiusKm, 0.1)*10) / 10
	}
	a.Usual, _ = in.usual(first.kec, cat)
	a.Usual = math.Round(a.Usual*100) / 100
	a.Text, a.EN = explain(a)
	return a
}

// explain says an alert plainly, e.g. "4 laporan kekerasan dalam 1,6 km
// dan 5 jam; biasanya 0,2/hari".
func explain(a siaga.WarningAlert) (id, en string) {
	n := len(a.Incidents)
	hours := max(1, int(math.Ceil(a.To.Sub(a.From).Hours())))
	name, nameEN := CategoryName(a.Category)
	usual := fmt.Sprintf("%.1f", a.Usual)
	if a.Rule == siaga.WarningBaseline {
		return fmt.Sprintf("%d laporan %s hari ini di kecamatan ini (batas %d); biasanya %s/hari", n, name, a.Threshold, comma(usual)),
			fmt.Sprintf("%d %s reports today in this kecamatan (limit %d); usually %s/day", n, nameEN, a.Threshold, usual)
	}
	km := fmt.Sprintf("%.1f", a.RadiusKm)
	return fmt.Sprintf("%d laporan %s dalam %s km dan %d jam; biasanya %s/hari", n, name, comma(km), hours, comma(usual)),
		fmt.Sprintf("%d %s reports within %s km and %d h; usually %s/day", n, nameEN, km, hours, usual)
}

func comma(s string) string { return strings.Replace(s, ".", ",", 1) }

// CategoryName names a category in Bahasa Indonesia and in English, in
// lower case as the alerts' sentences use it.
func CategoryName(c siaga.IncidentCategory) (id, en string) {
	id, en = c.Words()
	return strings.ToLower(id), en
}
