package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// Version returns a ppwp version of the kpps source with a complete form.
func Version(sub, tps string, number int) siaga.Version {
	return siaga.Version{
		Key:        siaga.Key{TPS: tps, Contest: siaga.PPWP, Source: siaga.SourceKPPS},
		Number:     number,
		Submission: sub,
		Form: siaga.Form{
			Admin: siaga.Admin{"pemilih_dpt_j": 280, "pengguna_total_j": 200, "suara_sah": 195, "suara_tidak_sah": 5},
			Votes: &siaga.Votes{Options: map[string]int{"01": 50, "02": 100, "03": 45}},
		},
		Rules:       []string{},
		Author:      "device:" + tps,
		ContentHash: "c-" + sub,
		PrevHash:    "",
		Hash:        "h-" + sub,
		ReceivedAt:  time.Date(2024, 2, 14, 13, 0, 0, 123456789, time.UTC).Add(time.Duration(number) * time.Minute),
	}
}

func testVersions(t *testing.T, open Open) {
	ctx := context.Background()
	const tpsA, tpsB = "3601012001001", "3601012001002"
	a1, b1, a2 := Version("sub-a1", tpsA, 1), Version("sub-b1", tpsB, 1), Version("sub-a2", tpsA, 2)
	a2.Reason, a2.PrevHash, a2.Author = "salah ketik", a1.Hash, "user:ppk"
	a1.Rules = []string{"R1", "R12"}
	dpr := Version("sub-a-dpr", tpsA, 1)
	dpr.Contest, dpr.Source = siaga.DPR, siaga.SourceSaksi

	s := open(t)
	if got := AllVersions(t, s); len(got) != 0 {
		t.Fatalf("new store has %d versions", len(got))
	}
	must(t, s.AppendVersions(ctx, []siaga.Version{b1, a1}))
	must(t, s.AppendVersions(ctx, []siaga.Version{dpr}))
	must(t, s.AppendVersions(ctx, []siaga.Version{a2}))
	all := []siaga.Version{b1, a1, dpr, a2}
	if diff := cmp.Diff(all, AllVersions(t, s)); diff != "" {
		t.Fatalf("EachVersion (-want +got):\n%s", diff)
	}

	t.Run("VersionsOfTPS", func(t *testing.T) {
		tests := []struct {
			tps  string
			want []siaga.Version
		}{
			{tpsA, []siaga.Version{a1, dpr, a2}},
			{tpsB, []siaga.Version{b1}},
			{"3601012002001", nil},
		}
		for _, tt := range tests {
			t.Run(tt.tps, func(t *testing.T) {
				got, err := s.VersionsOfTPS(ctx, tt.tps)
				must(t, err)
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Fatalf("(-want +got):\n%s", diff)
				}
			})
		}
	})

	// How the engine learns what a commit whose answer was lost stored.
	t.Run("VersionsBySubmission", func(t *testing.T) {
		tests := []struct {
			name string
			ids  []string
			want []siaga.Version
		}{
			{"none", nil, nil},
			{"unknown", []string{"sub-none"}, nil},
			{"some", []string{"sub-none", "sub-a2", "sub-b1"}, []siaga.Version{b1, a2}},
			{"by number", []string{"sub-a2", "sub-a-dpr", "sub-a1"}, []siaga.Version{a1, dpr, a2}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.VersionsBySubmission(ctx, tt.ids)
				must(t, err)
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Fatalf("(-want +got):\n%s", diff)
				}
			})
		}
	})

	t.Run("Ping", func(t *testing.T) { must(t, s.Ping(ctx)) })

	t.Run("ConflictStoresNothing", func(t *testing.T) {
		fresh := Version("sub-c1", "3601012002001", 1)
		tests := []struct {
			name  string
			batch []siaga.Version
		}{
			{"duplicate within batch", []siaga.Version{fresh, Version("sub-x", tpsB, 7), Version("sub-x", tpsB, 8)}},
			{"duplicate of stored", []siaga.Version{fresh, Version("sub-b1", tpsB, 9)}},
			{"stored version number", []siaga.Version{fresh, Version("sub-y", tpsB, 1)}},
			{"duplicate in large batch", append(versions("big", 300), Version("sub-a2", "3601012002001", 2))},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantCode(t, s.AppendVersions(ctx, tt.batch), siaga.EConflict)
				if diff := cmp.Diff(all, AllVersions(t, s)); diff != "" {
					t.Fatalf("stored after conflict (-want +got):\n%s", diff)
				}
			})
		}
		// The writer goes on after a refused batch.
		must(t, s.AppendVersions(ctx, []siaga.Version{fresh}))
		all = append(all, fresh)
		if diff := cmp.Diff(all, AllVersions(t, s)); diff != "" {
			t.Fatalf("after conflicts (-want +got):\n%s", diff)
		}
	})

	t.Run("EachVersionStopsAtError", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := s.EachVersion(ctx, func(*siaga.Version) error { calls++; return stop })
		if !errors.Is(err, stop) || calls != 1 {
			t.Fatalf("EachVersion = %v after %d calls, want stop after 1", err, calls)
		}
	})

	// The results engine replays versions while the writer may already be
	// appending: a stream must not hold the writer up.
	t.Run("AppendWhileStreaming", func(t *testing.T) {
		s := open(t)
		must(t, s.AppendVersions(ctx, versions("old", 3)))
		fresh := versions("new", 3)
		for i := range fresh {
			fresh[i].Number = 2
		}
		seen := 0
		err := s.EachVersion(ctx, func(*siaga.Version) error {
			if seen < len(fresh) {
				if err := s.AppendVersions(ctx, fresh[seen:seen+1]); err != nil {
					return err
				}
			}
			seen++
			return nil
		})
		must(t, err)
		if got := len(AllVersions(t, s)); got != 6 {
			t.Fatalf("stored %d versions, want 6", got)
		}
	})

	t.Run("ManyBatches", func(t *testing.T) {
		s := open(t)
		var want []siaga.Version
		n := 0
		for _, size := range []int{1, 2000, 777, 3} {
			batch := make([]siaga.Version, size)
			for i := range batch {
				batch[i] = Version(fmt.Sprintf("sub-%05d", n), fmt.Sprintf("36010120%05d", n), 1)
				if n%10 == 0 {
					batch[i].ReceivedAt = time.Time{}
				}
				n++
			}
			must(t, s.AppendVersions(ctx, batch))
			want = append(want, batch...)
		}
		if diff := cmp.Diff(want, AllVersions(t, s)); diff != "" {
			t.Fatalf("EachVersion (-want +got):\n%s", diff)
		}
	})
}

func testForms(t *testing.T, open Open) {
	ctx := context.Background()
	zero, five := 0, 5
	tests := []struct {
		name  string
		form  siaga.Form
		rules []string
	}{
		{"nil sections", siaga.Form{}, nil},
		{"empty sections", siaga.Form{Admin: siaga.Admin{}, Votes: &siaga.Votes{}}, []string{}},
		{"empty option map", siaga.Form{Votes: &siaga.Votes{Options: map[string]int{}}}, []string{"R12"}},
		{"ppwp", siaga.Form{
			Admin: siaga.Admin{"suara_sah": 0, "suara_tidak_sah": 3},
			Votes: &siaga.Votes{Options: map[string]int{"01": 0, "02": 7}},
		}, []string{"R1", "R3"}},
		{"party blocks", siaga.Form{
			Admin: siaga.Admin{"suara_sah": 40},
			Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{
				"1":  {Party: 3, Candidates: map[string]int{"01-1": 4, "01-2": 0}, Total: &five},
				"2":  {Party: 0, Total: &zero},
				"4":  {Party: 9},
				"17": {Candidates: map[string]int{}},
			}},
		}, nil},
	}
	s := open(t)
	var want []siaga.Version
	for i, tt := range tests {
		v := Version(fmt.Sprintf("form-%d", i), "3601012001001", i+1)
		v.Form, v.Rules = tt.form, tt.rules
		if i == 0 {
			v.ReceivedAt = time.Time{}
		}
		want = append(want, v)
	}
	must(t, s.AppendVersions(ctx, want))
	got := AllVersions(t, s)
	if len(got) != len(want) {
		t.Fatalf("stored %d versions, want %d", len(got), len(want))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(want[i], got[i]); diff != "" {
				t.Fatalf("(-stored +loaded):\n%s", diff)
			}
		})
	}
}

// versions returns n first versions of distinct TPS.
func versions(prefix string, n int) []siaga.Version {
	out := make([]siaga.Version, n)
	for i := range out {
		out[i] = Version(fmt.Sprintf("%s-%05d", prefix, i), fmt.Sprintf("36020120%05d", i), 1)
	}
	return out
}
