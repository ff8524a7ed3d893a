package sms

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// FuzzParse: no input makes the reader panic, and what it reads is stable:
// the canonical text of a message reads back as the same message.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"SGA 3601012001001 P 250 230 5 3 238 230 8 238 60 120 50 K7Q2MX4AB",
		"sga 36.01.01.2001.001 ppwp 25O l2O - - - - - 5 k 7q2mx4ab",
		"SGA 3601012001001 DPR 2/3/7Q P4 12 3 0 5 =20 P5 7 K7Q2MX4AB",
		"SGA 3601012001001 KAB R2 1/2/A P 1 2 = 3 K 00000000",
		"SGA 3601012001001 DPD 1 2 3 4 5 6 7 8 9 10 K7Q2MX4AB",
		"halo, apa kabar?",
		"SGA",
		"SGA 3601012001001 P K",
		"SGA 3601012001001 P 1/1/1/1 R R0 P =  K7Q2MX4AB",
		"SGA \x00\xff 3601012001001 P 99999999999 K7Q2MX4AB",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		m, err := Parse(text)
		if err != nil {
			if e, ok := err.(*siaga.Error); !ok || e.Code != siaga.EInvalid {
				t.Fatalf("Parse(%q) error %v is not an EInvalid *siaga.Error", text, err)
			}
			return
		}
		again, err := Parse(m.Canonical() + " K" + m.Code)
		if err != nil {
			t.Fatalf("canonical %q of %q does not read back: %v", m.Canonical(), text, err)
		}
		if diff := cmp.Diff(m, again); diff != "" {
			t.Fatalf("canonical %q reads differently (-first +again):\n%s", m.Canonical(), diff)
		}
		for _, c := range []siaga.Contest{siaga.PPWP, siaga.DPR} {
			b := testBallot
			if c == siaga.DPR {
				b = dprBallot
			}
			if _, err := Read(c, m.Body, b); err != nil {
				if e, ok := err.(*siaga.Error); !ok || e.Code != siaga.EInvalid || e.Field == "" {
					t.Fatalf("Read(%q) error %v is not an EInvalid on a field", m.Body, err)
				}
				if r := refusedReply(m, err.(*siaga.Error)); len(r) > MaxLen {
					t.Fatalf("reply %q longer than one SMS", r)
				}
			}
		}
	})
}
