package rules

import (
	"encoding/json"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/google/go-cmp/cmp"
)

// FuzzValidateCheck feeds JSON submissions through Validate, Check and
// Explain: none may panic, and Check and Explain must agree.
func FuzzValidateCheck(f *testing.F) {
	for _, sub := range []*siaga.Submission{
		submission(siaga.PPWP, ppwpForm()),
		submission(siaga.DPR, dprForm()),
		submission(siaga.DPD, dpdForm()),
		submission(siaga.DPRDKab, siaga.Form{}),
	} {
		f.Add(sub.CanonicalBytes())
	}
	f.Add([]byte(`{"contest":"dpr","form":{"suara":{"partai":{"4":{"caleg":{"04-9":-1},"jumlah":null}}}},"id":"x","source":"kpps","tps":"3601012001003"}`))
	f.Add([]byte(`{"contest":"ppwp","form":{"administrasi":{"suara_sah":9223372036854775807,"suara_tidak_sah":1}},"id":"0b5a3d0e-6f1c-4c2a-9d7e-2f1b8c9a0e11","source":"saksi","tps":"3601012001003"}`))
	f.Add([]byte(`{"contest":"dpd","form":{"suara":{"pilihan":{"D01":1},"partai":{"1":{}}}}}`))
	f.Add([]byte(`null`))

	e := testElection(f)
	contexts := map[siaga.Contest]Context{}
	for _, contest := range siaga.Contests {
		if contest == siaga.DPRDProv {
			continue // no such dapil in the test election: the context mismatch path
		}
		contexts[contest] = testContext(f, contest, contest == siaga.DPR)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var sub siaga.Submission
		if json.Unmarshal(data, &sub) != nil {
			return
		}
		c, ok := contexts[sub.Contest]
		if !ok {
			c = Context{Election: e}
		}
		err := Validate(&sub, c)
		if err != nil && siaga.ErrorCode(err) == siaga.EInvalid {
			se, ok := err.(*siaga.Error)
			if !ok || se.Message == "" || se.MessageEN == "" {
				t.Fatalf("Validate: %#v: want an *siaga.Error with both messages", err)
			}
		}
		got := Check(&sub.Form, c)
		if diff := cmp.Diff(got, findingRules(Explain(&sub.Form, c))); diff != "" {
			t.Fatalf("Check and Explain disagree (-check +explain):\n%s", diff)
		}
	})
}
