package results

import (
	"fmt"
	"maps"
	"reflect"
	"slices"

	"github.com/deskpemilu/siaga"
)

// differ collects differences between two states, up to limit.
type differ struct {
	limit int
	out   []string
}

func (d *differ) add(format string, args ...any) bool {
	if d.limit > 0 && len(d.out) >= d.limit {
		return false
	}
	d.out = append(d.out, fmt.Sprintf(format, args...))
	return true
}

func (d *differ) full() bool { return d.limit > 0 && len(d.out) >= d.limit }

// compare lists where s differs from ref, the state of a full rebuild.
// Sequence numbers are left out: they only make HTTP validators.
func (s *state) compare(ref *state, d *differ) {
	for _, code := range slices.Sorted(maps.Keys(ref.regions)) {
		for c := range siaga.Contests {
			a, b := s.tallyOf(s.regions[code], c), ref.tallyOf(ref.regions[code], c)
			a.Seq, b.Seq = 0, 0
			if !reflect.DeepEqual(a, b) && !d.add("%s %s: tally %+v, rebuild %+v", code, siaga.Contests[c], a, b) {
				return
			}
		}
	}
	for i := range ref.tpsState {
		s.compareTPS(ref, int32(i), d)
		if d.full() {
			return
		}
	}
	if len(s.ids) != len(ref.ids) {
		d.add("%d submission ids, rebuild %d", len(s.ids), len(ref.ids))
	}
	for id, want := range ref.ids {
		if got, ok := s.ids[id]; got != want && !d.add("submission %s: receipt %+v (found %v), rebuild %+v", id, got, ok, want) {
			return
		}
	}
	s.compareSeries(ref, d)
}

func (s *state) compareTPS(ref *state, t int32, d *differ) {
	code := s.tps[t].Code
	a, b := &s.tpsState[t], &ref.tpsState[t]
	if a.lastContact != b.lastContact {
		d.add("%s: last contact %s, rebuild %s", code, unixTime(a.lastContact), unixTime(b.lastContact))
	}
	for c := range a.slots {
		x, y := a.slots[c], b.slots[c]
		if x == nil || y == nil {
			if (x == nil) != (y == nil) {
				d.add("%s %s: has versions %v, rebuild %v", code, siaga.Contests[c], x != nil, y != nil)
			}
			continue
		}
		if x.flags != y.flags || x.incomplete != y.incomplete || !s.sameContrib(ref, uint8(c), x.contrib, y.contrib) {
			d.add("%s %s: flags %v incomplete %v adds %+v, rebuild %v %v %+v", code, siaga.Contests[c],
				ruleIDs(x.flags), x.incomplete, x.contrib, ruleIDs(y.flags), y.incomplete, y.contrib)
		}
		for src := range x.recs {
			if !s.sameRec(ref, x.recs[src], y.recs[src]) {
				d.add("%s %s %s: latest %+v, rebuild %+v", code, siaga.Contests[c], siaga.Sources[src], x.recs[src], y.recs[src])
			}
		}
	}
}

// sameRec compares two summaries, each state naming its own options.
func (s *state) sameRec(ref *state, a, b *rec) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.tps == b.tps && a.contest == b.contest && a.source == b.source && a.version == b.version &&
		a.id == b.id && a.hash == b.hash && a.contentHash == b.contentHash && a.formDigest == b.formDigest &&
		a.votesDigest == b.votesDigest && a.hasVotes == b.hasVotes && a.votesRead == b.votesRead &&
		a.receivedAt == b.receivedAt && a.rules == b.rules && a.adminMask == b.adminMask && a.admin == b.admin &&
		maps.Equal(s.optionTotals(a.contest, a.opts), ref.optionTotals(b.contest, b.opts))
}

func (s *state) sameContrib(ref *state, c uint8, a, b *contrib) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.sah == b.sah && a.tidak == b.tidak && a.voters == b.voters && a.dpt == b.dpt &&
		maps.Equal(s.optionTotals(c, a.opts), ref.optionTotals(c, b.opts))
}

// optionTotals names option totals by their keys.
func (s *state) optionTotals(c uint8, opts []optVal) map[string]int32 {
	set := s.options[c]
	set.mu.RLock()
	defer set.mu.RUnlock()
	out := make(map[string]int32, len(opts))
	for _, o := range opts {
		out[set.keys[o.idx]] += o.n
	}
	return out
}

// compareSeries compares the progress charts. The last point of each is
// the moment the replay ended, which differs between two replays.
func (s *state) compareSeries(ref *state, d *differ) {
	for key, want := range ref.series.points {
		code := key.code + "/" + string(siaga.Contests[key.contest])
		got := s.series.points[key]
		if len(got) != len(want) {
			d.add("%s: progress chart has %d points, rebuild %d", code, len(got), len(want))
			continue
		}
		for i := range want {
			if got[i].Reported != want[i].Reported || (i < len(want)-1 && !got[i].At.Equal(want[i].At)) {
				d.add("%s: progress point %d is %+v, rebuild %+v", code, i, got[i], want[i])
				break
			}
		}
	}
}
