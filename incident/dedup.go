package incident

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// The duplicate rule (docs/security-incidents.md): a report is a likely
// duplicate of an earlier-stored one when both have the same category, are
// not rejected, occurred at most Window apart, and either name the same
// TPS, or lie in the same desa, or stand within Radius of each other
// (points of a TPS or given by the reporter; a region's centre is no place
// to measure from). The report joins the group of the earliest such
// report (by time of occurrence, then id): DuplicateOf is that group's
// head. Counts count groups, so one fight reported by five witnesses
// counts once.

// Same says whether a and b are likely the same event by the rule's
// place and time (not category or status, which the caller selects).
func (d Dedup) Same(a, b *siaga.Incident) bool {
	if a.Category != b.Category || absDuration(a.OccurredAt.Sub(b.OccurredAt)) > d.Window {
		return false
	}
	switch {
	case a.TPS != "" && a.TPS == b.TPS:
		return true
	case a.Region != "" && a.Region == b.Region && siaga.LevelOf(a.Region) == siaga.LevelDesa:
		return true
	case measurable(a) && measurable(b):
		return geo.Distance(orb.Point{a.Lon, a.Lat}, orb.Point{b.Lon, b.Lat}) <= d.Radius
	}
	return false
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// measurable says whether in's point is a place rather than a region's centre.
func measurable(in *siaga.Incident) bool {
	return (in.Lat != 0 || in.Lon != 0) && (in.Placed == "point" || in.Placed == "tps")
}

// head is the group in joins.
func head(in *siaga.Incident) int64 {
	if in.DuplicateOf != 0 {
		return in.DuplicateOf
	}
	return in.ID
}

// earlier orders reports by time of occurrence, then id.
func earlier(a, b *siaga.Incident) bool {
	if !a.OccurredAt.Equal(b.OccurredAt) {
		return a.OccurredAt.Before(b.OccurredAt)
	}
	return a.ID < b.ID
}

// notRejected is every status a group may be headed by.
var notRejected = []siaga.IncidentStatus{siaga.IncidentNew, siaga.IncidentVerified, siaga.IncidentAssigned,
	siaga.IncidentInHand, siaga.IncidentClosed}

// duplicateHead is the head of the group a new report joins, 0 for none.
func (s *Service) duplicateHead(ctx context.Context, in *siaga.Incident) (int64, error) {
	d := s.cfg.Dedup
	var best *siaga.Incident
	err := s.cfg.Store.EachIncident(ctx, siaga.IncidentFilter{Categories: []siaga.IncidentCategory{in.Category},
		Statuses: notRejected, From: in.OccurredAt.Add(-d.Window), To: in.OccurredAt.Add(d.Window + 1)},
		func(c *siaga.Incident) error {
			if d.Same(in, c) && (best == nil || earlier(c, best)) {
				best = c
			}
			return nil
		})
	if err != nil || best == nil {
		return 0, err
	}
	return head(best), nil
}

// Group sets DuplicateOf on every report of list by the rule, as if they
// were reported in order of occurrence: the batch form of what Report
// does one at a time (siaga bench incidents groups a day of reports with
// it). Reports need IDs; rejected ones neither join nor head a group.
// It looks only at reports of the same category in the same grid cell
// (about Radius wide) or its neighbours, so its cost grows with the
// reports, not with their square.
func (d Dedup) Group(list []siaga.Incident) {
	order := make([]int, len(list))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if earlier(&list[a], &list[b]) {
			return -1
		}
		if earlier(&list[b], &list[a]) {
			return 1
		}
		return 0
	})
	// A cell is Radius wide in latitude; longitude cells are as many
	// degrees, which at Indonesia's latitudes (|lat| ≤ 11°) is at most 2%
	// narrower in metres than wide: the neighbours still cover Radius.
	step := d.Radius / (geo.EarthRadius * math.Pi / 180) * 1.02
	type cellKey struct {
		cat  int8
		x, y int32
	}
	cells := map[cellKey][]int{} // earlier reports by cell, in order of occurrence
	places := map[string][]int{} // by category and TPS or desa
	earliest := func(ids []int, in *siaga.Incident, best int) int {
		for _, j := range ids {
			c := &list[j]
			if in.OccurredAt.Sub(c.OccurredAt) > d.Window {
				continue
			}
			if best < 0 || earlier(c, &list[best]) {
				best = j
			}
			break // the first in the window is the earliest of this place
		}
		return best
	}
	var keys [2]string
	for _, i := range order {
		in := &list[i]
		in.DuplicateOf = 0
		if in.Status == siaga.IncidentRejected {
			continue
		}
		best := -1
		nkeys := 0
		if in.TPS != "" {
			keys[nkeys] = "t" + string(in.Category) + in.TPS
			nkeys++
		}
		if siaga.LevelOf(in.Region) == siaga.LevelDesa {
			keys[nkeys] = "d" + string(in.Category) + in.Region
			nkeys++
		}
		for _, k := range keys[:nkeys] {
			best = earliest(places[k], in, best)
		}
		since := in.OccurredAt.Add(-d.Window)
		cell, inCell := cellKey{cat: catIndex(in.Category)}, measurable(in)
		if inCell {
			cell.x, cell.y = int32(math.Floor(in.Lon/step)), int32(math.Floor(in.Lat/step))
			for dx := int32(-1); dx <= 1; dx++ {
				for dy := int32(-1); dy <= 1; dy++ {
					best = d.nearest(cells[cellKey{cell.cat, cell.x + dx, cell.y + dy}], list, in, best)
				}
			}
			cells[cell] = trim(append(cells[cell], i), list, since)
		}
		if best >= 0 {
			in.DuplicateOf = head(&list[best])
		}
		for _, k := range keys[:nkeys] {
			places[k] = trim(append(places[k], i), list, since)
		}
	}
}

// catIndex is c's place in siaga.IncidentCategories, -1 for another.
func catIndex(c siaga.IncidentCategory) int8 {
	for i, k := range siaga.IncidentCategories {
		if k == c {
			return int8(i)
		}
	}
	return -1
}

// nearest is the earliest report of cell that is the same event as in,
// or best when it is earlier.
func (d Dedup) nearest(cell []int, list []siaga.Incident, in *siaga.Incident, best int) int {
	for _, j := range cell {
		c := &list[j]
		if in.OccurredAt.Sub(c.OccurredAt) > d.Window || !d.Same(in, c) {
			continue
		}
		if best < 0 || earlier(c, &list[best]) {
			return j
		}
		return best // the cell is in order: no later one is earlier than best
	}
	return best
}

// trim drops the reports of a key that occurred before since: they can
// join no later report.
func trim(ids []int, list []siaga.Incident, since time.Time) []int {
	n := 0
	for n < len(ids) && list[ids[n]].OccurredAt.Before(since) {
		n++
	}
	return ids[n:]
}
