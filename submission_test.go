package siaga

import (
	"bytes"
	"testing"
)

func TestCanonical(t *testing.T) {
	total := 9
	sub := Submission{
		ID: "0190c9a0-0000-7000-8000-000000000001", TPS: "3601012001001", Contest: DPR, Source: SourceKPPS,
		Reason: "a<b & \"c\"", Replaces: 2, Device: "dev",
		Form: Form{Admin: Admin{"suara_sah": 9, "pemilih_dpt_j": 250},
			Votes: &Votes{Parties: map[string]PartyVotes{"4": {Party: 3, Candidates: map[string]int{"04-2": 4, "04-1": 2}, Total: &total}}}},
		Signature: "ignored",
	}
	want := `{"contest":"dpr","device":"dev","form":{"administrasi":{"pemilih_dpt_j":250,"suara_sah":9},` +
		`"suara":{"partai":{"4":{"caleg":{"04-1":2,"04-2":4},"jumlah":9,"suara_partai":3}}}},` +
		`"id":"0190c9a0-0000-7000-8000-000000000001","reason":"a<b & \"c\"","replaces":2,"source":"kpps","tps":"3601012001001"}`
	canonical, form := sub.Canonical()
	if string(canonical) != want {
		t.Errorf("canonical bytes\n got %s\nwant %s", canonical, want)
	}
	if !bytes.Contains(canonical, form) || form[0] != '{' || form[len(form)-1] != '}' {
		t.Errorf("form slice %s is not the form inside %s", form, canonical)
	}
	if got := string(sub.CanonicalBytes()); got != want {
		t.Errorf("CanonicalBytes differs from Canonical: %s", got)
	}
}

// FuzzCanonical: the hand-written canonical encoding is byte for byte what
// encoding/json writes for the same submission (without HTML escaping).
func FuzzCanonical(f *testing.F) {
	f.Add("dpr", "dev", "4", "04-1", "reason", 3, 2, -1, "suara_sah", true)
	f.Add("ppwp", "", "01", "", "", 0, 0, 5, "x\u2028\"\\<>&\x01é\xff", false)
	f.Fuzz(func(t *testing.T, contest, device, key, cand, reason string, party, replaces, n int, admin string, withTotal bool) {
		sub := Submission{Contest: Contest(contest), Device: device, ID: key + cand, Reason: reason, Replaces: replaces,
			Source: Source(cand), TPS: admin,
			Form: Form{Admin: Admin{admin: n, key: party}, Votes: &Votes{
				Options: map[string]int{key: n, cand: party},
				Parties: map[string]PartyVotes{key: {Party: party, Candidates: map[string]int{cand: n}}, cand: {}},
			}}}
		if withTotal {
			p := sub.Form.Votes.Parties[key]
			p.Total = &n
			sub.Form.Votes.Parties[key] = p
		}
		type wire struct {
			Contest  Contest `json:"contest"`
			Device   string  `json:"device,omitempty"`
			Form     Form    `json:"form"`
			ID       string  `json:"id"`
			Reason   string  `json:"reason,omitempty"`
			Replaces int     `json:"replaces,omitempty"`
			Source   Source  `json:"source"`
			TPS      string  `json:"tps"`
		}
		want := encodeCanonical(wire{sub.Contest, sub.Device, sub.Form, sub.ID, sub.Reason, sub.Replaces, sub.Source, sub.TPS})
		got, form := sub.Canonical()
		if !bytes.Equal(got, want) {
			t.Fatalf("canonical bytes differ\n got %s\nwant %s", got, want)
		}
		if wantForm := encodeCanonical(&sub.Form); !bytes.Equal(form, wantForm) {
			t.Fatalf("form bytes differ\n got %s\nwant %s", form, wantForm)
		}
		if alone := sub.Form.CanonicalBytes(); !bytes.Equal(alone, form) {
			t.Fatalf("Form.CanonicalBytes differs from the form in the submission's\n got %s\nwant %s", alone, form)
		}
	})
}
