package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deskpemilu/siaga"
)

// testVersionJSON: EachVersionJSON gives every version EachVersion gives,
// in the same order, with the form as stored JSON instead of decoded,
// whether the writer passed the canonical bytes (as the engine does) or
// left the store to encode the form.
func testVersionJSON(t *testing.T, open Open) {
	ctx := context.Background()
	zero := 0
	forms := []siaga.Form{
		{},
		{Admin: siaga.Admin{}, Votes: &siaga.Votes{}},
		{Votes: &siaga.Votes{Options: map[string]int{"01": 3, "02": 0}}},
		{Admin: siaga.Admin{"suara_sah": 7}},
		{Admin: siaga.Admin{"suara_sah": 9}, Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{
			"1": {Party: 2, Candidates: map[string]int{"01-1": 4, "01-2": 3}}, "2": {Total: &zero}}}},
	}
	s := open(t)
	var stored []siaga.Version
	for i, f := range forms {
		for _, canonical := range []bool{false, true} {
			v := Version(fmt.Sprintf("json-%d-%v", i, canonical), fmt.Sprintf("3601012001%03d", i+1), 1)
			v.Form, v.Rules = f, []string{"R12"}
			if canonical {
				v.Source = siaga.SourceSaksi
				sub := siaga.Submission{Form: f}
				_, v.FormJSON = sub.Canonical()
			}
			stored = append(stored, v)
		}
	}
	stored[0].Rules = []string{}
	must(t, s.AppendVersions(ctx, stored))
	want := AllVersions(t, s)
	var got []siaga.Version
	err := s.EachVersionJSON(ctx, func(v *siaga.Version) error {
		c := *v
		c.FormJSON = bytes.Clone(v.FormJSON) // valid only until fn returns
		if err := json.Unmarshal(c.FormJSON, &c.Form); err != nil {
			return fmt.Errorf("%s: stored form %s: %w", v.Submission, v.FormJSON, err)
		}
		got = append(got, c)
		return nil
	})
	must(t, err)
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(siaga.Version{}, "FormJSON")); diff != "" {
		t.Errorf("EachVersionJSON, forms decoded, differs from EachVersion (-EachVersion +EachVersionJSON):\n%s", diff)
	}
	for _, v := range got {
		if len(v.FormJSON) == 0 {
			t.Errorf("%s: no form JSON", v.Submission)
		}
	}
}
