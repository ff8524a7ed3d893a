package results_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/postgres"
	"github.com/deskpemilu/siaga/postgres/pgtest"
	"github.com/deskpemilu/siaga/results"
	"github.com/deskpemilu/siaga/rules"
	"github.com/deskpemilu/siaga/sqlite"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// world is a small province: 2 kab/kota, 3 kecamatan, 4 desa, 3 TPS each.
func world() (*siaga.Registry, *siaga.Election) {
	reg := &siaga.Registry{Regions: []siaga.Region{
		{Code: "36", Level: siaga.LevelProvince, Name: "Banten"},
		{Code: "3601", Parent: "36", Level: siaga.LevelKabKota, Name: "Pandeglang"},
		{Code: "3602", Parent: "36", Level: siaga.LevelKabKota, Name: "Lebak"},
		{Code: "360101", Parent: "3601", Level: siaga.LevelKecamatan, Name: "Sumur"},
		{Code: "360102", Parent: "3601", Level: siaga.LevelKecamatan, Name: "Cimanggu"},
		{Code: "360201", Parent: "3602", Level: siaga.LevelKecamatan, Name: "Malingping"},
	}}
	for _, desa := range []string{"3601012001", "3601012002", "3601022001", "3602012001"} {
		reg.Regions = append(reg.Regions, siaga.Region{Code: desa, Parent: desa[:6], Level: siaga.LevelDesa, Name: "Desa " + desa})
		for i := 1; i <= 3; i++ {
			reg.TPS = append(reg.TPS, siaga.TPS{Code: fmt.Sprintf("%s%03d", desa, i), Desa: desa, Number: i, DPT: 250, Connectivity: "good"})
		}
	}
	reg.TPS[len(reg.TPS)-1].Connectivity = "blank"
	el := &siaga.Election{
		ID: "test", Name: "Uji", Province: "36",
		Tickets: []siaga.Ticket{{Number: "01"}, {Number: "02"}, {Number: "03"}},
		Parties: []siaga.Party{{Number: 1, Short: "A"}, {Number: 2, Short: "B"}},
		Dapil: []siaga.Dapil{{Contest: siaga.DPR, Name: "I", Seats: 2, Regions: []string{"36"},
			Candidates: []siaga.Candidate{{ID: "01-1", Party: 1, Number: 1}, {ID: "02-1", Party: 2, Number: 1}}}},
	}
	return reg, el
}

type storeKind struct {
	name string
	open func(t testing.TB) siaga.Store
}

func stores() []storeKind {
	return []storeKind{
		{"sqlite", func(t testing.TB) siaga.Store {
			s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "siaga.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}},
		{"postgres", func(t testing.TB) siaga.Store {
			s, err := postgres.Open(context.Background(), pgtest.DSN(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}},
	}
}

// checker evaluates the real rules with the world's election.
func checker(reg *siaga.Registry, el *siaga.Election) func(*siaga.Submission) []string {
	tps := map[string]siaga.TPS{}
	for _, t := range reg.TPS {
		tps[t.Code] = t
	}
	return func(sub *siaga.Submission) []string {
		c := rules.Context{Election: el, TPS: tps[sub.TPS]}
		if sub.Contest == siaga.DPR {
			c.Dapil = &el.Dapil[0]
		}
		return rules.Check(&sub.Form, c)
	}
}

// submitAs submits sub as the intake does: encoded once, flagged by the
// real rules in the world's context.
func submitAs(ctx context.Context, e *results.Engine, sub *siaga.Submission, author string) (siaga.Receipt, bool, error) {
	canonical, form := sub.Canonical()
	return e.SubmitEncoded(ctx, sub, canonical, form, author, checker(world())(sub))
}

// startEngine loads an engine over store and runs its writer until t ends.
func startEngine(t testing.TB, store siaga.Store, reg *siaga.Registry, el *siaga.Election, now func() time.Time) *results.Engine {
	t.Helper()
	e, err := results.New(results.Config{Store: store, Reviews: store, Registry: reg, Election: el, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go e.Run(ctx)
	t.Cleanup(func() { cancel(); <-e.Done() })
	return e
}

// ppwpForm is a consistent presidential form with the given votes.
func ppwpForm(votes ...int) siaga.Form {
	sah := 0
	opts := map[string]int{}
	for i, v := range votes {
		opts[fmt.Sprintf("%02d", i+1)] = v
		sah += v
	}
	tidak := 2
	total := sah + tidak
	return siaga.Form{
		Admin: siaga.Admin{
			"pemilih_dpt_j": 250, "pengguna_dpt_j": total, "pengguna_dptb_j": 0, "pengguna_non_dpt_j": 0,
			"pengguna_total_j": total, "suara_sah": sah, "suara_tidak_sah": tidak, "suara_total": total,
		},
		Votes: &siaga.Votes{Options: opts},
	}
}
