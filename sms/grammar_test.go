package sms

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

const tps = "3601012001001"

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		text string
		want Message
	}{
		{"ppwp", "SGA 3601012001001 P 250 230 5 3 238 230 8 238 60 120 50 K7Q2MX4AB",
			Message{TPS: tps, Contest: siaga.PPWP, Code: "7Q2MX4AB",
				Body: strings.Fields("250 230 5 3 238 230 8 238 60 120 50")}},
		{"lenient: case, spaces, separators, O and l in numbers, code apart", "  sga  3601012001001\tppwp 25O,23O;5 3 238  230 8 238 6O l2O 5o k 7q2mx4ab ",
			Message{TPS: tps, Contest: siaga.PPWP, Code: "7Q2MX4AB",
				Body: strings.Fields("250 230 5 3 238 230 8 238 60 120 50")}},
		{"leading zeros", "SGA 3601012001001 P 0250 00 5 3 238 230 8 238 060 120 050 K7Q2MX4AB",
			Message{TPS: tps, Contest: siaga.PPWP, Code: "7Q2MX4AB",
				Body: strings.Fields("250 0 5 3 238 230 8 238 60 120 50")}},
		{"dotted TPS code and SIAGA keyword", "SIAGA 36.01.01.2001.001 P 1 K7Q2MX4AB",
			Message{TPS: tps, Contest: siaga.PPWP, Code: "7Q2MX4AB", Body: []string{"1"}}},
		{"code read as Crockford: O, I and L", "SGA 3601012001001 P 1 K-7QOMX-IAL",
			Message{TPS: tps, Contest: siaga.PPWP, Code: "7Q0MX1A1", Body: []string{"1"}}},
		{"legislative part with tags joined", "SGA 3601012001001 DPR 2/3/7q P 4 12 3 0 5 = 20 p5 7 K7Q2MX4AB",
			Message{TPS: tps, Contest: siaga.DPR, Part: 2, Parts: 3, ID: "7Q", Code: "7Q2MX4AB",
				Body: []string{"P4", "12", "3", "0", "5", "=20", "P5", "7"}}},
		{"correction and part in either order", "SGA 3601012001001 KAB 1/2/A R2 - 5 K7Q2MX4AB",
			Message{TPS: tps, Contest: siaga.DPRDKab, Replaces: 2, Part: 1, Parts: 2, ID: "A", Code: "7Q2MX4AB", Body: []string{"-", "5"}}},
		{"contest aliases", "SGA 3601012001001 dprd1 K7Q2MX4AB",
			Message{TPS: tps, Contest: siaga.DPRDProv, Code: "7Q2MX4AB", Body: []string{}}},
		{"unknown body token kept for the reader", "SGA 3601012001001 P 1X2 K7Q2MX4AB",
			Message{TPS: tps, Contest: siaga.PPWP, Code: "7Q2MX4AB", Body: []string{"1X2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text, field string
	}{
		{"empty", "", ""},
		{"other keyword", "HALO 3601012001001 P 1 K7Q2MX4AB", ""},
		{"keyword only", "SGA", "tps"},
		{"TPS too short", "SGA 360101200100 P 1 K7Q2MX4AB", "tps"},
		{"TPS with letters", "SGA 36010120010AB P 1 K7Q2MX4AB", "tps"},
		{"unknown contest", "SGA 3601012001001 PILKADA 1 K7Q2MX4AB", "contest"},
		{"no code", "SGA 3601012001001 P 1 2 3", "code"},
		{"code too short", "SGA 3601012001001 P 1 K7Q2MX4", "code"},
		{"code with U", "SGA 3601012001001 P 1 K7Q2MX4AU", "code"},
		{"part index above total", "SGA 3601012001001 DPR 4/3/7Q P1 1 K7Q2MX4AB", "part"},
		{"part zero", "SGA 3601012001001 DPR 0/3/7Q P1 1 K7Q2MX4AB", "part"},
		{"too many parts", "SGA 3601012001001 DPR 1/21/7Q P1 1 K7Q2MX4AB", "part"},
		{"part id too long", "SGA 3601012001001 DPR 1/3/ABCDE P1 1 K7Q2MX4AB", "part"},
		{"one of one", "SGA 3601012001001 DPR 1/1/A P1 1 K7Q2MX4AB", "part"},
		{"bad correction", "SGA 3601012001001 P R0 1 K7Q2MX4AB", "replaces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.text)
			e, ok := err.(*siaga.Error)
			if !ok || e.Code != siaga.EInvalid || e.Field != tt.field || e.Message == "" {
				t.Fatalf("Parse(%q) error = %#v, want EInvalid on field %q", tt.text, err, tt.field)
			}
		})
	}
}

func TestCanonical(t *testing.T) {
	// The code covers the text as read, so an officer's extra spaces and
	// case do not break it.
	a, err := Parse("sga 3601012001001 ppwp 250 230 5 3 238 230 8 238 6O l2O 5O K00000000")
	if err != nil {
		t.Fatal(err)
	}
	want := "SGA 3601012001001 P 250 230 5 3 238 230 8 238 60 120 50"
	if got := a.Canonical(); got != want {
		t.Errorf("Canonical = %q, want %q", got, want)
	}
	b, err := Parse("SGA 3601012001001 DPR R1 2/3/7Q P4 1 =1 K00000000")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := b.Canonical(), "SGA 3601012001001 DPR R1 2/3/7Q P4 1 =1"; got != want {
		t.Errorf("Canonical = %q, want %q", got, want)
	}
}

func TestCode(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	// A fixed vector: the field app's JavaScript must produce the same.
	const canonical = "SGA 3601012001001 P 250 230 5 3 238 230 8 238 60 120 50"
	got := Code(secret, canonical)
	if got != "Y8VWQPHH" {
		t.Errorf("Code = %q, want Y8VWQPHH", got)
	}
	if len(got) != CodeLen || !isCrockford(got) {
		t.Errorf("Code = %q is not %d Crockford characters", got, CodeLen)
	}
	if Code(secret, canonical+"1") == got || Code([]byte("other"), canonical) == got {
		t.Error("the code does not depend on the text and the secret")
	}
}

var testBallot = Ballot{
	Options: []string{"01", "02", "03"},
}

var dprBallot = Ballot{Lists: map[int][]string{
	1: {"01-1", "01-2", "01-3"},
	4: {"04-1", "04-2", "04-3"},
	5: {"05-1"},
}}

func body(s string) []string {
	m, err := Parse("SGA " + tps + " P " + s + " K00000000")
	if err != nil {
		panic(err)
	}
	return m.Body
}

func ptr(n int) *int { return &n }

func TestRead(t *testing.T) {
	admin := siaga.Admin{"pemilih_dpt_j": 250, "pengguna_dpt_j": 230, "pengguna_dptb_j": 5, "pengguna_non_dpt_j": 3,
		"pengguna_total_j": 238, "suara_sah": 230, "suara_tidak_sah": 8, "suara_total": 238}
	tests := []struct {
		name    string
		contest siaga.Contest
		ballot  Ballot
		body    string
		want    siaga.Form
	}{
		{"ppwp", siaga.PPWP, testBallot, "250 230 5 3 238 230 8 238 60 120 50",
			siaga.Form{Admin: admin, Votes: &siaga.Votes{Options: map[string]int{"01": 60, "02": 120, "03": 50}}}},
		{"admin not on the form", siaga.PPWP, testBallot, "- - - - - 230 8 - 60 120 50",
			siaga.Form{Admin: siaga.Admin{"suara_sah": 230, "suara_tidak_sah": 8}, Votes: &siaga.Votes{Options: map[string]int{"01": 60, "02": 120, "03": 50}}}},
		{"dpd", siaga.DPD, Ballot{Options: []string{"D01", "D02"}}, "250 230 5 3 238 230 8 238 200 30",
			siaga.Form{Admin: admin, Votes: &siaga.Votes{Options: map[string]int{"D01": 200, "D02": 30}}}},
		{"legislative", siaga.DPR, dprBallot, "250 230 5 3 238 230 8 238 P1 10 1 2 3 =16 P4 7 P5 0 9",
			siaga.Form{Admin: admin, Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{
				"1": {Party: 10, Candidates: map[string]int{"01-1": 1, "01-2": 2, "01-3": 3}, Total: ptr(16)},
				"4": {Party: 7},
				"5": {Party: 0, Candidates: map[string]int{"05-1": 9}},
			}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(tt.contest, body(tt.body), tt.ballot)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	const adm = "250 230 5 3 238 230 8 238 "
	tests := []struct {
		name    string
		contest siaga.Contest
		ballot  Ballot
		body    string
		field   string
	}{
		{"admin short", siaga.PPWP, testBallot, "250 230 5", "administrasi"},
		{"admin unreadable", siaga.PPWP, testBallot, "250 2X0 5 3 238 230 8 238 60 120 50", "administrasi.pengguna_dpt_j"},
		{"one ticket missing", siaga.PPWP, testBallot, adm + "60 120", "suara"},
		{"one ticket too many", siaga.PPWP, testBallot, adm + "60 120 50 7", "suara"},
		{"ticket unreadable", siaga.PPWP, testBallot, adm + "60 I2X 50", "suara.pilihan.02"},
		{"party tag missing", siaga.DPR, dprBallot, adm + "10 1", "suara.partai"},
		{"no party", siaga.DPR, dprBallot, adm, "suara.partai"},
		{"unknown party", siaga.DPR, dprBallot, adm + "P9 1", "suara.partai.9"},
		{"party twice", siaga.DPR, dprBallot, adm + "P4 1 P4 2", "suara.partai.4"},
		{"party without votes", siaga.DPR, dprBallot, adm + "P4 P5 1", "suara.partai.4"},
		{"more candidates than the list", siaga.DPR, dprBallot, adm + "P5 1 2 3", "suara.partai.5"},
		{"candidate unreadable", siaga.DPR, dprBallot, adm + "P4 1 2 Y", "suara.partai.4.caleg.04-2"},
		{"total unreadable", siaga.DPR, dprBallot, adm + "P4 1 =Y", "suara.partai.4.jumlah"},
		{"party tag unreadable", siaga.DPR, dprBallot, adm + "PX 1", "suara.partai"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.contest, body(tt.body), tt.ballot)
			e, ok := err.(*siaga.Error)
			if !ok || e.Code != siaga.EInvalid || e.Field != tt.field || e.Message == "" || e.MessageEN == "" {
				t.Fatalf("Read(%q) error = %#v, want EInvalid on field %q", tt.body, err, tt.field)
			}
		})
	}
}
