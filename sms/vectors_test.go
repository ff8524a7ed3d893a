package sms

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors.json from the Go encoder")

// vectors are shared with the field app, which composes the same SMS in
// JavaScript (fieldapp/static/sms.js, checked by fieldapp's
// TestSMSMatchesGo): the codes, the texts, and the submission the server
// makes of the texts, which the app must build byte for byte so that its
// HTTP retry of a report sent by SMS is the same submission.
type vectors struct {
	Codes   []codeVector   `json:"codes"`
	Reports []reportVector `json:"reports"`
}

type codeVector struct {
	Secret    string `json:"secret"` // base64
	Canonical string `json:"canonical"`
	Code      string `json:"code"`
}

type reportVector struct {
	Name   string `json:"name"`
	Secret string `json:"secret"` // base64
	Device string `json:"device"`
	// Submission is the form as the officer typed it (source, tps,
	// contest, form, replaces).
	Submission siaga.Submission `json:"submission"`
	Ballot     Ballot           `json:"ballot"`
	PartID     string           `json:"part_id"`
	// What both sides must produce.
	Texts     []string `json:"texts"`
	ID        string   `json:"id"`
	Canonical string   `json:"canonical"`
}

const vectorsFile = "testdata/vectors.json"

// TestVectors checks Compose, Code and what the service makes of the
// texts against the shared vectors (go test ./sms -run TestVectors
// -update writes them).
func TestVectors(t *testing.T) {
	want := vectorInputs()
	for i := range want.Codes {
		c := &want.Codes[i]
		secret, _ := base64.StdEncoding.DecodeString(c.Secret)
		c.Code = Code(secret, c.Canonical)
	}
	for i := range want.Reports {
		r := &want.Reports[i]
		secret, _ := base64.StdEncoding.DecodeString(r.Secret)
		texts, err := Compose(&r.Submission, r.Ballot, secret, r.PartID)
		if err != nil {
			t.Fatalf("%s: %v", r.Name, err)
		}
		sub := received(t, r.Device, texts, r.Ballot)
		r.Texts, r.ID, r.Canonical = texts, sub.ID, string(sub.CanonicalBytes())
	}
	if *update {
		b, _ := json.MarshalIndent(want, "", "  ")
		if err := os.WriteFile(vectorsFile, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(vectorsFile)
	if err != nil {
		t.Fatal(err)
	}
	var got vectors
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s is not what Go computes (-go +file); run with -update if the change is meant:\n%s", vectorsFile, diff)
	}
	// The documented test vector (docs/sms.md).
	if c := Code([]byte("0123456789abcdef0123456789abcdef"), "SGA 3601012001001 P 250 230 5 3 238 230 8 238 60 120 50"); c != "Y8VWQPHH" {
		t.Errorf("documented vector: code %s, want Y8VWQPHH", c)
	}
}

// received is the submission the service makes of texts from device: the
// parts joined in order, read against the ballot.
func received(t *testing.T, device string, texts []string, b Ballot) *siaga.Submission {
	t.Helper()
	var whole *Message
	bodies := make([][]string, len(texts)+1)
	for _, text := range texts {
		m, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q): %v", text, err)
		}
		bodies[max(m.Part, 1)] = m.Body
		whole = &Message{TPS: m.TPS, Contest: m.Contest, Replaces: m.Replaces}
	}
	for _, body := range bodies {
		whole.Body = append(whole.Body, body...)
	}
	form, err := Read(whole.Contest, whole.Body, b)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return SubmissionOf(&siaga.Device{ID: device, Role: siaga.RoleKPPS}, whole, form)
}

func vectorInputs() vectors {
	ascii := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	other := base64.StdEncoding.EncodeToString([]byte{0xff, 0, 0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29})
	v := vectors{Codes: []codeVector{
		{Secret: ascii, Canonical: "SGA 3601012001001 P 250 230 5 3 238 230 8 238 60 120 50"},
		{Secret: other, Canonical: "SGA 3601012001001 P 250 230 5 3 238 230 8 238 60 120 50"},
		{Secret: other, Canonical: "SGA 3601012001001 DPR R2 2/3/7Q P7 5 0 0 1 =6 P8 -"},
		{Secret: ascii, Canonical: ""},
	}}
	tickets := Ballot{Options: []string{"01", "02", "03"}}
	admin := siaga.Admin{"pemilih_dpt_j": 250, "pengguna_dpt_j": 230, "pengguna_dptb_j": 5, "pengguna_non_dpt_j": 3,
		"pengguna_total_j": 238, "suara_sah": 230, "suara_tidak_sah": 8, "suara_total": 238}
	// The L/P columns and the ballot stock, which an SMS does not carry.
	full := siaga.Admin{"pemilih_dpt_l": 125, "pemilih_dpt_p": 125, "surat_suara_diterima": 255, "surat_suara_sisa": 17}
	for k, n := range admin {
		full[k] = n
	}
	partial := siaga.Admin{"pemilih_dpt_j": 250, "suara_sah": 230, "suara_tidak_sah": 8}
	ppwp := func(a siaga.Admin, replaces int) siaga.Submission {
		return siaga.Submission{TPS: tps, Contest: siaga.PPWP, Source: siaga.SourceKPPS, Replaces: replaces,
			Form: siaga.Form{Admin: a, Votes: &siaga.Votes{Options: map[string]int{"01": 60, "02": 120, "03": 50}}}}
	}
	dpd := Ballot{}
	dpdVotes := map[string]int{}
	for i := range 20 {
		id := fmt.Sprintf("dpd-36-%02d", i+1)
		dpd.Options = append(dpd.Options, id)
		dpdVotes[id] = (i * 37) % 90
	}
	// 18 parties of 6 candidates: a busy DPR form that needs several SMS.
	dpr := Ballot{Lists: map[int][]string{}}
	parties := map[string]siaga.PartyVotes{}
	for p := 1; p <= 18; p++ {
		for c := 1; c <= 6; c++ {
			dpr.Lists[p] = append(dpr.Lists[p], fmt.Sprintf("dpr-3601-%02d-%d", p, c))
		}
		pv := siaga.PartyVotes{Party: p * 3, Candidates: map[string]int{}}
		for c, id := range dpr.Lists[p] {
			if (p+c)%4 != 0 { // some candidates left blank, before the last one written too
				pv.Candidates[id] = (p * c * 7) % 50
			}
		}
		if p%3 == 0 {
			total := pv.Sum() + p%2
			pv.Total = &total
		}
		parties[fmt.Sprint(p)] = pv
	}
	thin := map[string]siaga.PartyVotes{"4": {Party: 12}, "7": {Party: 5, Candidates: map[string]int{"dpr-3601-07-3": 1}},
		"9": {Candidates: map[string]int{"dpr-3601-09-1": 4}}}
	legislative := func(ps map[string]siaga.PartyVotes, a siaga.Admin, replaces int) siaga.Submission {
		return siaga.Submission{TPS: tps, Contest: siaga.DPR, Source: siaga.SourceKPPS, Replaces: replaces,
			Form: siaga.Form{Admin: a, Votes: &siaga.Votes{Parties: ps}}}
	}
	v.Reports = []reportVector{
		{Name: "ppwp, the documented example", Secret: ascii, Submission: ppwp(admin, 0)},
		{Name: "ppwp with the L/P columns and ballot stock", Secret: other, Submission: ppwp(full, 0)},
		{Name: "ppwp with administrative numbers not read", Secret: other, Submission: ppwp(partial, 0)},
		{Name: "ppwp correction of version 1", Secret: ascii, Submission: ppwp(admin, 1)},
		{Name: "dpd, 20 candidates", Secret: other, Ballot: dpd, Submission: siaga.Submission{TPS: tps, Contest: siaga.DPD,
			Source: siaga.SourceKPPS, Form: siaga.Form{Admin: admin, Votes: &siaga.Votes{Options: dpdVotes}}}},
		{Name: "dpr in parts", Secret: other, Ballot: dpr, PartID: "7Q", Submission: legislative(parties, full, 0)},
		{Name: "dpr correction in parts", Secret: ascii, Ballot: dpr, PartID: "Z0", Submission: legislative(parties, admin, 3)},
		{Name: "dpr, two parties, a blank candidate before a written one", Secret: ascii, Ballot: dpr, PartID: "A", Submission: legislative(thin, partial, 0)},
	}
	for i := range v.Reports {
		r := &v.Reports[i]
		r.Device = fmt.Sprintf("dev-%d-%s", i, "0f3a")
		if len(r.Ballot.Options) == 0 && r.Ballot.Lists == nil {
			r.Ballot = tickets
		}
	}
	return v
}
