package sirekap

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/rules"
	"github.com/google/go-cmp/cmp"
)

var tickets = map[string]string{"100025": "01", "100026": "02", "100027": "03"}

const img = "https://sirekap-obj-formc.kpu.go.id/"

func TestWalkSamples(t *testing.T) {
	wantRecords := map[string]*Record{
		"3602012004001": {
			TPS: "3602012004001", Contest: siaga.PPWP,
			Form: siaga.Form{
				Admin: siaga.Admin{
					"suara_sah": 215, "suara_total": 217, "suara_tidak_sah": 2,
					"pemilih_dpt_j": 281, "pemilih_dpt_l": 139, "pemilih_dpt_p": 142,
					"pengguna_dpt_j": 215, "pengguna_dpt_l": 108, "pengguna_dpt_p": 107,
					"pengguna_dptb_j": 2, "pengguna_dptb_l": 1, "pengguna_dptb_p": 1,
					"pengguna_total_j": 217, "pengguna_total_l": 109, "pengguna_total_p": 108,
					"pengguna_non_dpt_j": 0, "pengguna_non_dpt_l": 0, "pengguna_non_dpt_p": 0,
				},
				Votes: &siaga.Votes{Options: map[string]int{"01": 54, "02": 152, "03": 9}},
			},
			Images: []string{
				img + "2969/pemilu/ppwp/36/02/01/20/04/3602012004001-20240215-025217--c85cb917-2571-491e-88b1-5e2c7afb9c86.jpg",
				img + "2969/pemilu/ppwp/36/02/01/20/04/3602012004001-20240214-231829--c4716d43-339c-4779-a178-972f4772ec56.jpg",
				img + "2969/pemilu/ppwp/36/02/01/20/04/3602012004001-20240215-090530--ed35b032-3f98-4e9e-bdf5-b39344ebf7de.jpg",
			},
			UpdatedAt:   time.Date(2024, 2, 15, 16, 29, 50, 0, time.UTC),
			StatusSuara: true, StatusAdm: true,
		},
		"3601012001003": {
			TPS: "3601012001003", Contest: siaga.PPWP,
			Form: siaga.Form{Admin: siaga.Admin{
				"suara_sah": 235, "suara_total": 236, "suara_tidak_sah": 1,
				"pemilih_dpt_j": 295, "pemilih_dpt_l": 145, "pemilih_dpt_p": 153,
				"pengguna_dpt_j": 234, "pengguna_dpt_l": 107, "pengguna_dpt_p": 127,
				"pengguna_dptb_j": 1, "pengguna_dptb_l": 0, "pengguna_dptb_p": 1,
				"pengguna_total_j": 236, "pengguna_total_l": 108, "pengguna_total_p": 128,
				"pengguna_non_dpt_j": 1, "pengguna_non_dpt_l": 1, "pengguna_non_dpt_p": 0,
			}},
			Images: []string{
				img + "02fd/pemilu/ppwp/36/01/01/20/01/3601012001003-20240221-140332--b9b07bd9-046d-4295-9e2d-932e562a077c.jpg",
				"",
				img + "02fd/pemilu/ppwp/36/01/01/20/01/3601012001003-20240221-140333--472c8dc4-c022-45c5-9296-ad58bc13a8bd.jpg",
			},
			UpdatedAt: time.Date(2024, 2, 21, 8, 0, 0, 0, time.UTC),
			StatusAdm: true,
		},
		"3602012003014": {
			TPS: "3602012003014", Contest: siaga.PPWP,
			Form: siaga.Form{Votes: &siaga.Votes{Options: map[string]int{"01": 109, "02": 97, "03": 20}}},
			Images: []string{
				"",
				img + "6dba/pemilu/ppwp/36/02/01/20/03/3602012003014-20240215-184202--21acbac4-97a5-4d1f-aaa2-c4b12ef44c19.jpg",
				img + "6dba/pemilu/ppwp/36/02/01/20/03/3602012003014-20240215-160508--8c98d99a-4a91-49d4-8ab4-01103cd3d7fd.jpg",
			},
			UpdatedAt:   time.Date(2024, 2, 15, 16, 29, 50, 0, time.UTC),
			StatusSuara: true,
		},
		"3601032008002": {
			TPS: "3601032008002", Contest: siaga.PPWP,
			Form: siaga.Form{
				Admin: siaga.Admin{
					"suara_sah": 251, "suara_total": 298, "suara_tidak_sah": 47,
					"pemilih_dpt_j": 292, "pemilih_dpt_l": 150, "pemilih_dpt_p": 142,
					"pengguna_dpt_j": 251, "pengguna_dpt_l": 130, "pengguna_dpt_p": 121,
					"pengguna_dptb_j": 0, "pengguna_dptb_l": 0, "pengguna_dptb_p": 0,
					"pengguna_total_j": 251, "pengguna_total_l": 130, "pengguna_total_p": 121,
					"pengguna_non_dpt_j": 0, "pengguna_non_dpt_l": 0, "pengguna_non_dpt_p": 0,
				},
				Votes: &siaga.Votes{Options: map[string]int{"01": 30, "02": 55, "03": 65}},
			},
			Images: []string{
				img + "fbc4/pemilu/ppwp/36/01/03/20/08/3601032008002-20240219-161004--8c77a889-cdf0-4eba-aee0-6be45000c5de.jpg",
				img + "fbc4/pemilu/ppwp/36/01/03/20/08/3601032008002-20240219-163251--ac39d0dd-78ba-4864-bcfd-65cac5418632.jpg",
				img + "fbc4/pemilu/ppwp/36/01/03/20/08/3601032008002-20240219-161458--957b33f9-0ce8-4ea7-a5cb-ca7b3316a72e.jpg",
			},
			UpdatedAt:   time.Date(2024, 2, 19, 10, 0, 0, 0, time.UTC),
			StatusSuara: true, StatusAdm: true,
		},
	}
	wantRules := map[string][]string{
		"3602012004001": nil,
		"3601012001003": {"R4", "R12"},
		"3602012003014": {"R12"},
		"3601032008002": {"R1", "R5"},
	}

	got := map[string]*Record{}
	err := Walk([]string{"testdata"}, tickets, func(path string, rec *Record, err error) error {
		if err != nil {
			return err
		}
		got[rec.TPS] = rec
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantRecords, got); diff != "" {
		t.Fatalf("records (-want +got):\n%s", diff)
	}

	e := testElection()
	for tps, rec := range got {
		t.Run(tps, func(t *testing.T) {
			c := rules.Context{Election: e, TPS: siaga.TPS{Code: tps, Desa: tps[:10], DPT: 290}}
			if diff := cmp.Diff(wantRules[tps], rules.Check(&rec.Form, c)); diff != "" {
				t.Errorf("rules.Check (-want +got):\n%s", diff)
			}
			sub := &siaga.Submission{Contest: rec.Contest, Form: rec.Form, ID: "6a0c8f52-3a8e-4d55-9a43-0d7a3c1e2b44",
				Source: siaga.SourceSirekap, TPS: tps}
			if err := rules.Validate(sub, c); err != nil {
				t.Errorf("rules.Validate: %v", err)
			}
		})
	}
}

func testElection() *siaga.Election {
	return &siaga.Election{ID: "test", Tickets: []siaga.Ticket{
		{Number: "01", SirekapID: "100025"}, {Number: "02", SirekapID: "100026"}, {Number: "03", SirekapID: "100027"},
	}}
}

func TestTickets(t *testing.T) {
	if diff := cmp.Diff(tickets, Tickets(testElection())); diff != "" {
		t.Errorf("Tickets (-want +got):\n%s", diff)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		tps  string
		data string
		want *Record // nil: compare only what errField says
		code string
		errF string
	}{
		{name: "chart with only null key", data: `{"chart":{"null":null},"administrasi":null}`,
			want: &Record{TPS: "3601012001003", Contest: siaga.PPWP}},
		{name: "null count dropped", data: `{"chart":{"100025":null,"100026":3}}`,
			want: &Record{TPS: "3601012001003", Contest: siaga.PPWP, Form: siaga.Form{Votes: &siaga.Votes{Options: map[string]int{"02": 3}}}}},
		{name: "unknown admin key ignored", data: `{"administrasi":{"suara_sah":3,"suara_sah_baru":"x","pemilih_dpt_j":null}}`,
			want: &Record{TPS: "3601012001003", Contest: siaga.PPWP, Form: siaga.Form{Admin: siaga.Admin{"suara_sah": 3}}}},
		{name: "whole number as fraction", data: `{"chart":{"100025":12.0},"ts":null,"status_adm":null,"psu":null,"mode":"hhcw"}`,
			want: &Record{TPS: "3601012001003", Contest: siaga.PPWP, Form: siaga.Form{Votes: &siaga.Votes{Options: map[string]int{"01": 12}}}}},
		{name: "empty object", data: `{}`, want: &Record{TPS: "3601012001003", Contest: siaga.PPWP}},

		{name: "short tps", tps: "360101200100", data: `{}`, code: siaga.EInvalid, errF: "tps"},
		{name: "tps with letters", tps: "36010120010a3", data: `{}`, code: siaga.EInvalid, errF: "tps"},
		{name: "unknown candidate", data: `{"chart":{"100025":1,"100028":2}}`, code: siaga.EInvalid, errF: "chart.100028"},
		{name: "fraction", data: `{"chart":{"100025":1.5}}`, code: siaga.EInvalid, errF: "chart.100025"},
		{name: "negative count", data: `{"chart":{"100026":-1}}`, code: siaga.EInvalid, errF: "chart.100026"},
		{name: "count as text", data: `{"chart":{"100026":"7"}}`, code: siaga.EInvalid, errF: "chart.100026"},
		{name: "negative admin", data: `{"administrasi":{"suara_sah":-4}}`, code: siaga.EInvalid, errF: "administrasi.suara_sah"},
		{name: "huge admin", data: `{"administrasi":{"suara_sah":1e300}}`, code: siaga.EInvalid, errF: "administrasi.suara_sah"},
		{name: "bad time", data: `{"ts":"15/02/2024"}`, code: siaga.EInvalid, errF: "ts"},
		{name: "image not text", data: `{"images":[1]}`, code: siaga.EInvalid, errF: "images"},
		{name: "not json", data: `{"chart":`, code: siaga.EInvalid},
		{name: "chart not an object", data: `{"chart":[1,2]}`, code: siaga.EInvalid, errF: "chart"},
		{name: "too large", data: `{"mode":"` + strings.Repeat("x", MaxSize) + `"}`, code: siaga.ETooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tps := tt.tps
			if tps == "" {
				tps = "3601012001003"
			}
			rec, err := Parse(tps, []byte(tt.data), tickets)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, rec); diff != "" {
					t.Errorf("Parse (-want +got):\n%s", diff)
				}
				return
			}
			var e *siaga.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse: %v, want *siaga.Error", err)
			}
			if e.Code != tt.code || e.Field != tt.errF || e.Message == "" || e.MessageEN == "" {
				t.Errorf("Parse: %+v, want code %s field %q and both messages", e, tt.code, tt.errF)
			}
		})
	}
}

func TestWalk(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, data string) string {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("pemilu/hhcw/pdpd/36/3601012001003.json", `{"chart":{"900001":5}}`)
	write("pemilu/hhcw/pdpr/36/3601012001003.json", `{}`)
	write("pemilu/hhcw/ppwp/36/3601012001003.json", `{"chart":{"100025":5}}`)
	write("pemilu/hhcw/ppwp/36/README.md", `not a record`)
	loose := write("loose/3601012001004.txt", `{"chart":{"100027":1}}`)
	dpdTickets := map[string]string{"100025": "01", "900001": "D01"}

	type result struct {
		Path    string
		TPS     string
		Contest siaga.Contest
		Err     string
	}
	var got []result
	err := Walk([]string{filepath.Join(dir, "pemilu"), loose, filepath.Join(dir, "missing")}, dpdTickets,
		func(path string, rec *Record, err error) error {
			r := result{Path: strings.TrimPrefix(filepath.ToSlash(path), filepath.ToSlash(dir)+"/")}
			if err != nil {
				r.Err = siaga.ErrorCode(err)
			} else {
				r.TPS, r.Contest = rec.TPS, rec.Contest
			}
			got = append(got, r)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	want := []result{
		{Path: "pemilu/hhcw/pdpd/36/3601012001003.json", TPS: "3601012001003", Contest: siaga.DPD},
		{Path: "pemilu/hhcw/pdpr/36/3601012001003.json", Err: siaga.EInvalid},
		{Path: "pemilu/hhcw/ppwp/36/3601012001003.json", TPS: "3601012001003", Contest: siaga.PPWP},
		{Path: "loose/3601012001004.txt", Err: siaga.EInvalid}, // the name is no TPS code
		{Path: "missing", Err: siaga.EInternal},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Walk (-want +got):\n%s", diff)
	}

	stop := errors.New("stop")
	calls := 0
	err = Walk([]string{"testdata"}, tickets, func(string, *Record, error) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Walk returned %v after %d calls, want fn's error after 1", err, calls)
	}
}

func FuzzParse(f *testing.F) {
	err := filepath.WalkDir("testdata/pemilu", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		f.Add(b)
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"chart":{"100025":1e3,"null":1},"administrasi":{"x":-1},"images":[null,""]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := Parse("3601012001003", data, tickets)
		if err != nil {
			if siaga.ErrorCode(err) == siaga.EInternal {
				t.Fatalf("Parse: %v, want a *siaga.Error", err)
			}
			return
		}
		if v := rec.Form.Votes; v != nil {
			for k, n := range v.Options {
				if k != "01" && k != "02" && k != "03" || n < 0 {
					t.Fatalf("option %q = %d", k, n)
				}
			}
		}
		for k, n := range rec.Form.Admin {
			if !siaga.IsAdminField(k) || n < 0 {
				t.Fatalf("admin %q = %d", k, n)
			}
		}
		_ = rules.Check(&rec.Form, rules.Context{Election: testElection()})
	})
}
