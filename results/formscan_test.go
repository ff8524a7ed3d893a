package results

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/deskpemilu/siaga"
)

// scanState is a state of one TPS whose counting source is kpps.
func scanState(t testing.TB) *state {
	t.Helper()
	reg := &siaga.Registry{TPS: []siaga.TPS{{Code: "3601012001001"}}}
	for _, code := range []string{"36", "3601", "360101", "3601012001"} {
		reg.Regions = append(reg.Regions, siaga.Region{Code: code})
	}
	s, err := newState(reg, &siaga.Election{Tickets: []siaga.Ticket{{Number: "01"}, {Number: "02"}}}, siaga.SourceKPPS)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// storedAs is a kpps version of contest c whose form is stored as raw.
func storedAs(c siaga.Contest, raw []byte) siaga.Version {
	return siaga.Version{Key: siaga.Key{TPS: "3601012001001", Contest: c, Source: siaga.SourceKPPS},
		Number: 2, Submission: "0190f7d2-5a3e-7c1b-9d1e-1a2b3c4d5e6f", Rules: []string{"R1", "R11"},
		ContentHash: "c", Hash: "h", FormJSON: raw}
}

// checkScan reads raw the restart's way (storedRecord) and the rebuild's
// way (decode, recordOf) and fails unless both give the same summary, or
// both refuse the bytes. It reports whether the in-place reading was used.
func checkScan(t *testing.T, s *state, c siaga.Contest, raw []byte) bool {
	t.Helper()
	fast := storedAs(c, raw)
	got, gotErr := s.storedRecord(&fast)
	ref := storedAs(c, raw)
	var want *rec
	wantErr := json.Unmarshal(raw, &ref.Form)
	if wantErr == nil {
		want, wantErr = s.recordOf(&ref, stripR11(ref.Rules))
	}
	if (gotErr != nil) != (wantErr != nil) {
		t.Fatalf("%s: restart error %v, rebuild error %v", raw, gotErr, wantErr)
	}
	if gotErr == nil && !s.sameRec(s, got, want) {
		t.Fatalf("%s:\nrestart reads %+v\nrebuild reads %+v", raw, got, want)
	}
	probe := storedAs(c, raw)
	r := &rec{contest: uint8(contestIndex(c))}
	return s.scanForm(r, probe.FormJSON, true)
}

func TestFormScan(t *testing.T) {
	five := 5
	canonical := []struct {
		name    string
		contest siaga.Contest
		form    siaga.Form
	}{
		{"empty", siaga.PPWP, siaga.Form{}},
		{"admin only", siaga.PPWP, siaga.Form{Admin: siaga.Admin{"suara_sah": 7, "pemilih_dpt_j": 250, "unknown_field": 3}}},
		{"empty vote section", siaga.PPWP, siaga.Form{Admin: siaga.Admin{"suara_sah": 7}, Votes: &siaga.Votes{}}},
		{"ppwp", siaga.PPWP, siaga.Form{Admin: siaga.Admin{"suara_sah": 30}, Votes: &siaga.Votes{Options: map[string]int{"01": 10, "02": 0, "03": 20}}}},
		{"votes without admin", siaga.PPWP, siaga.Form{Votes: &siaga.Votes{Options: map[string]int{"01": 1}}}},
		{"legislative", siaga.DPR, siaga.Form{Admin: siaga.Admin{"suara_sah": 40}, Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{
			"1":  {Party: 3, Candidates: map[string]int{"01-1": 4, "01-2": 0, "01-10": 9}, Total: &five},
			"10": {Party: 0},
			"2":  {Candidates: map[string]int{"02-1": 7}},
		}}}},
		{"option and party of one key", siaga.DPR, siaga.Form{Votes: &siaga.Votes{
			Options: map[string]int{"1": 2}, Parties: map[string]siaga.PartyVotes{"1": {Party: 3}}}}},
		{"negative count", siaga.PPWP, siaga.Form{Admin: siaga.Admin{"suara_sah": -4}}},
		{"html in a key", siaga.DPD, siaga.Form{Votes: &siaga.Votes{Options: map[string]int{"a<b&c>": 4}}}},
	}
	s := scanState(t)
	for _, tt := range canonical {
		t.Run(tt.name, func(t *testing.T) {
			sub := siaga.Submission{Form: tt.form}
			_, raw := sub.Canonical()
			if !checkScan(t, s, tt.contest, raw) {
				t.Errorf("%s: canonical bytes were not read in place", raw)
			}
		})
	}
	// Bytes the canonical encoding never writes are read by decoding.
	other := []struct{ name, raw string }{
		{"store's own encoding", `{"administrasi":null,"suara":{"partai":null,"pilihan":{"01":3}}}`},
		{"empty admin", `{"administrasi":{},"suara":{"pilihan":{"01":3}}}`},
		{"white space", `{"suara": {"pilihan": {"01": 3}}}`},
		{"members reversed", `{"suara":{"pilihan":{"01":3}},"administrasi":{"suara_sah":3}}`},
		{"keys unsorted", `{"suara":{"pilihan":{"02":3,"01":4}}}`},
		{"duplicate key", `{"suara":{"pilihan":{"01":3,"01":4}}}`},
		{"party without marks", `{"suara":{"partai":{"1":{"caleg":{"01-1":2}}}}}`},
		{"party fields reversed", `{"suara":{"partai":{"1":{"suara_partai":1,"caleg":{"01-1":2}}}}}`},
		{"null total", `{"suara":{"partai":{"1":{"jumlah":null,"suara_partai":1}}}}`},
		{"escaped key", `{"suara":{"pilihan":{"0\u0031":3}}}`},
		{"non-ASCII key", `{"suara":{"pilihan":{"é":3}}}`},
		{"minus zero", `{"administrasi":{"suara_sah":-0}}`},
		{"fraction", `{"administrasi":{"suara_sah":4.0}}`},
		{"leading zero", `{"administrasi":{"suara_sah":04}}`},
		{"huge", `{"administrasi":{"suara_sah":12345678901234567}}`},
		{"unknown member", `{"administrasi":{"suara_sah":1},"catatan":"x"}`},
		{"trailing bytes", `{"administrasi":{"suara_sah":1}} `},
		{"not JSON", `{"administrasi":`},
	}
	for _, tt := range other {
		t.Run(tt.name, func(t *testing.T) {
			if checkScan(t, s, siaga.DPR, []byte(tt.raw)) {
				t.Errorf("%s was read in place, but it is not what the canonical encoding writes", tt.raw)
			}
		})
	}
}

// TestFormScanRandom reads random canonical forms both ways.
func TestFormScanRandom(t *testing.T) {
	s := scanState(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		f := randomForm(rng)
		sub := siaga.Submission{Form: f}
		_, raw := sub.Canonical()
		if !checkScan(t, s, siaga.DPR, raw) {
			t.Fatalf("form %d: canonical bytes %s were not read in place", i, raw)
		}
	}
}

func randomForm(rng *rand.Rand) siaga.Form {
	counts := func(prefix string, n int) map[string]int {
		if rng.IntN(5) == 0 {
			return nil
		}
		m := map[string]int{}
		for range rng.IntN(n) {
			m[fmt.Sprintf("%s%d", prefix, rng.IntN(30))] = rng.IntN(300)
		}
		return m
	}
	var f siaga.Form
	if rng.IntN(4) > 0 {
		f.Admin = siaga.Admin(counts("", 1))
		for _, k := range siaga.AdminFields[:rng.IntN(len(siaga.AdminFields))] {
			if f.Admin == nil {
				f.Admin = siaga.Admin{}
			}
			f.Admin[k] = rng.IntN(400)
		}
	}
	if rng.IntN(5) > 0 {
		f.Votes = &siaga.Votes{Options: counts("", 4)}
		if rng.IntN(2) == 0 {
			f.Votes.Parties = map[string]siaga.PartyVotes{}
			for range rng.IntN(18) {
				p := siaga.PartyVotes{Party: rng.IntN(50), Candidates: counts("c-", 12)}
				if rng.IntN(3) == 0 {
					total := rng.IntN(500)
					p.Total = &total
				}
				f.Votes.Parties[fmt.Sprint(rng.IntN(20))] = p
			}
		}
	}
	return f
}

// FuzzFormScan: whatever the stored bytes, a restart reads them as a
// rebuild does.
func FuzzFormScan(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"administrasi":{"suara_sah":3},"suara":{"pilihan":{"01":1,"02":2}}}`,
		`{"suara":{"partai":{"1":{"caleg":{"01-1":2},"jumlah":3,"suara_partai":1}}}}`,
		`{"administrasi":null,"suara":{"partai":null,"pilihan":null}}`, `{"suara":{}}`,
	} {
		f.Add([]byte(seed))
	}
	s := scanState(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkScan(t, s, siaga.DPR, raw)
	})
}

// BenchmarkFormScan compares reading a legislative form in place with
// decoding it, the two ways Load and Rebuild read stored forms.
func BenchmarkFormScan(b *testing.B) {
	s := scanState(b)
	rng := rand.New(rand.NewPCG(3, 4))
	f := siaga.Form{Admin: siaga.Admin{"suara_sah": 200}, Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{}}}
	for p := range 18 {
		cands := map[string]int{}
		for c := range 8 {
			cands[fmt.Sprintf("%02d-%d", p+1, c+1)] = rng.IntN(40)
		}
		f.Votes.Parties[fmt.Sprint(p+1)] = siaga.PartyVotes{Party: rng.IntN(30), Candidates: cands}
	}
	sub := siaga.Submission{Form: f}
	_, raw := sub.Canonical()
	b.Run("in place", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			v := storedAs(siaga.DPR, raw)
			if _, err := s.storedRecord(&v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decoded", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			v := storedAs(siaga.DPR, raw)
			if err := json.Unmarshal(raw, &v.Form); err != nil {
				b.Fatal(err)
			}
			if _, err := s.recordOf(&v, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
