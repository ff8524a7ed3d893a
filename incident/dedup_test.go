package incident_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/incident"
)

// TestDuplicates: a report joins the group of an earlier one of the same
// category within 2 hours at the same TPS, in the same desa or within
// 1 km; not across the window's edge, another category, 1 km, or a
// rejected report; a region's centre is no place to measure from.
func TestDuplicates(t *testing.T) {
	for _, tc := range []struct {
		name   string
		first  siaga.Incident
		second siaga.Incident
		reject bool // the first is rejected before the second comes
		joins  bool
	}{
		{"same TPS", at("3601012001001", "", 0), at("3601012001001", "", time.Hour), false, true},
		{"same TPS, exactly the window apart", at("3601012001001", "", 0), at("3601012001001", "", 2*time.Hour), false, true},
		{"same TPS, a second past the window", at("3601012001001", "", 0), at("3601012001001", "", 2*time.Hour+time.Second), false, false},
		{"same TPS, earlier in time", at("3601012001001", "", 0), at("3601012001001", "", -90*time.Minute), false, true},
		{"another category", at("3601012001001", "", 0), withCategory(at("3601012001001", "", 0), siaga.IncidentHoax), false, false},
		{"same desa, another TPS", at("3601012001001", "", 0), at("", "3601012001", 0), false, true},
		{"another desa within 1 km (550 m)", at("3601012001001", "", 0), at("3601012002001", "", 0), false, true},
		{"another desa beyond 1 km (1.7 km)", at("3601012001001", "", 0), at("3601012002002", "", 0), false, false},
		{"a region's centre is not measured", at("3601012001001", "", 0), at("", "360101", 0), false, false},
		{"a rejected report heads no group", at("3601012001001", "", 0), at("3601012001001", "", time.Hour), true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			first, second := tc.first, tc.second
			a, err := f.svc.Report(ctx, &first, f.as("desk"))
			must(t, err)
			if tc.reject {
				_, err := f.svc.Reject(ctx, a.ID, a.Version, "hoaks", f.as("desk"))
				must(t, err)
			}
			b, err := f.svc.Report(ctx, &second, f.as("desk"))
			must(t, err)
			if joined := b.DuplicateOf == a.ID; joined != tc.joins || (!tc.joins && b.DuplicateOf != 0) {
				t.Errorf("DuplicateOf = %d (first %d), want joined %v", b.DuplicateOf, a.ID, tc.joins)
			}
		})
	}
}

// at is a violence report at a TPS or region, dt after t0 minus 3 hours.
func at(tps, region string, dt time.Duration) siaga.Incident {
	return siaga.Incident{Channel: siaga.ChannelWeb, Category: siaga.IncidentViolence, TPS: tps, Region: region,
		OccurredAt: t0.Add(-3*time.Hour + dt), Text: "Bentrok antarpendukung"}
}

func withCategory(in siaga.Incident, c siaga.IncidentCategory) siaga.Incident {
	in.Category = c
	return in
}

// TestGroupBatch: a group joins its earliest member, a third report joins
// the head, and Dedup.Group over the stored reports gives the groups the
// service gave one report at a time.
func TestGroupBatch(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(14, 2))
	tps := []string{"3601012001001", "3601012001002", "3601012002001", "3601012002002", "3673011001001"}
	cats := []siaga.IncidentCategory{siaga.IncidentViolence, siaga.IncidentLogistics}
	var want []int64
	for i := range 60 {
		in := siaga.Incident{Channel: siaga.ChannelWeb, Category: cats[rnd.IntN(2)], TPS: tps[rnd.IntN(len(tps))],
			OccurredAt: t0.Add(-48*time.Hour + time.Duration(i)*20*time.Minute + time.Duration(rnd.IntN(600))*time.Second),
			Text:       "laporan"}
		got, err := f.svc.Report(ctx, &in, f.as("desk"))
		must(t, err)
		want = append(want, got.DuplicateOf)
	}
	var list []siaga.Incident
	must(t, f.store.EachIncident(ctx, siaga.IncidentFilter{}, func(in *siaga.Incident) error {
		list = append(list, *in)
		return nil
	}))
	f.svc.Dedup().Group(list)
	var got []int64
	grouped := 0
	for _, in := range list {
		got = append(got, in.DuplicateOf)
		if in.DuplicateOf != 0 {
			grouped++
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Group (-service +batch):\n%s", diff)
	}
	if grouped < 10 || grouped > 50 {
		t.Errorf("%d of 60 grouped: the test data groups too few or too many to tell", grouped)
	}
	// Counts count groups.
	by, err := f.svc.CountBy(ctx, siaga.IncidentFilter{Scope: "36"}, incident.ByCategory)
	must(t, err)
	if by[string(siaga.IncidentViolence)]+by[string(siaga.IncidentLogistics)] != 60-grouped {
		t.Errorf("CountBy category = %v, want %d groups in all", by, 60-grouped)
	}
	kab, err := f.svc.CountBy(ctx, siaga.IncidentFilter{}, incident.ByKabKota)
	must(t, err)
	if kab["3601"]+kab["3673"] != 60-grouped || kab["3673"] == 0 {
		t.Errorf("CountBy kabkota = %v", kab)
	}
	_, err = f.svc.CountBy(ctx, siaga.IncidentFilter{}, "warna")
	wantCode(t, err, siaga.EInvalid, "by")
}

// TestGroupRejected: in a batch, a rejected report neither heads nor joins.
func TestGroupRejected(t *testing.T) {
	list := []siaga.Incident{at("3601012001001", "3601012001", 0), at("3601012001001", "3601012001", time.Minute),
		at("3601012001001", "3601012001", 2*time.Minute)}
	for i := range list {
		list[i].ID = int64(i + 1)
	}
	list[0].Status = siaga.IncidentRejected
	incident.Dedup{Window: 2 * time.Hour, Radius: 1000}.Group(list)
	if got := []int64{list[0].DuplicateOf, list[1].DuplicateOf, list[2].DuplicateOf}; !cmp.Equal(got, []int64{0, 0, 2}) {
		t.Errorf("DuplicateOf = %v, want [0 0 2]", got)
	}
}
