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
