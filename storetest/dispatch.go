package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func testDispatch(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	seen := func(at time.Duration, sub, tps, relay, outcome string) siaga.RelaySighting {
		return siaga.RelaySighting{Submission: sub, TPS: tps, Contest: siaga.PPWP, Source: siaga.SourceKPPS,
			Device: "dev-" + tps, Relay: relay, Via: siaga.ViaQR, Outcome: outcome, At: t0.Add(at)}
	}
	sightings := []siaga.RelaySighting{
		seen(0, "sub-a", "3601012001001", "relay-1", siaga.RelayStored),
		seen(time.Minute, "sub-a", "3601012001001", "relay-2", siaga.RelayReplay),
		seen(2*time.Minute, "sub-b", "3602012003014", "", siaga.RelayStored),
		seen(3*time.Minute, "sub-c", "3601012001002", "relay-1", siaga.RelayRefused),
	}
	sightings[3].Reason = "TPS 3601012001002 tidak terdaftar"
	sightings[3].Via = siaga.ViaFile
	for i := range sightings {
		must(t, s.AddRelaySighting(ctx, &sightings[i]))
		if sightings[i].ID == 0 || (i > 0 && sightings[i].ID <= sightings[i-1].ID) {
			t.Fatalf("sighting %d got id %d after %d", i, sightings[i].ID, sightings[max(i-1, 0)].ID)
		}
	}
	newestFirst := func(idx ...int) []siaga.RelaySighting {
		out := make([]siaga.RelaySighting, len(idx))
		for i, j := range idx {
			out[i] = sightings[j]
		}
		return out
	}
	for _, tt := range []struct {
		region string
		limit  int
		want   []siaga.RelaySighting
	}{
		{"", 10, newestFirst(3, 2, 1, 0)},
		{"", 2, newestFirst(3, 2)},
		{"3601", 10, newestFirst(3, 1, 0)},
		{"3601012001001", 10, newestFirst(1, 0)},
		{"3603", 10, nil},
		{"36%", 10, nil},
		{"_", 10, nil},
	} {
		got, err := s.RelaySightings(ctx, tt.region, tt.limit)
		must(t, err)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("RelaySightings(%q, %d) (-want +got):\n%s", tt.region, tt.limit, diff)
		}
	}

	stats, err := s.RelayStats(ctx, "36")
	must(t, err)
	want := []siaga.RelayStat{
		{TPS: "3601012001001", Count: 2, Last: sightings[1]},
		{TPS: "3601012001002", Count: 1, Last: sightings[3]},
		{TPS: "3602012003014", Count: 1, Last: sightings[2]},
	}
	if diff := cmp.Diff(want, stats); diff != "" {
		t.Errorf("RelayStats (-want +got):\n%s", diff)
	}
	stats, err = s.RelayStats(ctx, "3602")
	must(t, err)
	if diff := cmp.Diff(want[2:], stats); diff != "" {
		t.Errorf("RelayStats(3602) (-want +got):\n%s", diff)
	}

	t.Run("Runners", func(t *testing.T) {
		u := createUser(t, s, "desk.lebak", siaga.RoleDesk)
		runners := []siaga.RunnerDispatch{
			{TPS: "3602012003014", UserID: u.ID, Username: u.Username, Note: "ojek dari kantor camat", At: t0},
			{TPS: "3601012001001", UserID: u.ID, Username: u.Username, At: t0.Add(time.Hour)},
			{TPS: "3602012003014", UserID: u.ID, Username: u.Username, Note: "kurir kedua", At: t0.Add(2 * time.Hour)},
		}
		for i := range runners {
			must(t, s.AddRunner(ctx, &runners[i]))
			if runners[i].ID == 0 {
				t.Fatalf("runner %d: id not set", i)
			}
		}
		got, err := s.Runners(ctx, "3602", 10)
		must(t, err)
		if diff := cmp.Diff([]siaga.RunnerDispatch{runners[2], runners[0]}, got); diff != "" {
			t.Errorf("Runners(3602) (-want +got):\n%s", diff)
		}
		got, err = s.Runners(ctx, "", 1)
		must(t, err)
		if diff := cmp.Diff([]siaga.RunnerDispatch{runners[2]}, got); diff != "" {
			t.Errorf("Runners(all, 1) (-want +got):\n%s", diff)
		}
		for _, tt := range []struct {
			region string
			want   []siaga.RunnerDispatch
		}{
			{"", []siaga.RunnerDispatch{runners[1], runners[2]}},
			{"36", []siaga.RunnerDispatch{runners[1], runners[2]}},
			{"3602", []siaga.RunnerDispatch{runners[2]}},
			{"3603", nil},
			{"36%", nil},
		} {
			got, err := s.LatestRunners(ctx, tt.region)
			must(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LatestRunners(%q) (-want +got):\n%s", tt.region, diff)
			}
		}
	})
}
