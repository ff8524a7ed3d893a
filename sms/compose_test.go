package sms

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
	"github.com/deskpemilu/siaga/registry"
)

// TestCompose writes forms of every contest as SMS and reads them back:
// every text fits one SMS, every part carries a good code, and the parts
// in any order give back the form.
func TestCompose(t *testing.T) {
	reg, err := registry.Load("36", 1)
	if err != nil {
		t.Fatal(err)
	}
	el := election.Banten2024(reg, 1)
	idx := election.NewIndex(el)
	secret := []byte("0123456789abcdef0123456789abcdef")
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range siaga.Contests {
		for _, busy := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/busy=%v", c, busy), func(t *testing.T) {
				var d *siaga.Dapil
				if c != siaga.PPWP {
					d, _ = idx.Dapil(c, tps)
				}
				b := NewBallot(el, c, d)
				sub := randomForm(rng, c, b, busy)
				texts, err := Compose(sub, b, secret, "7Q")
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%d SMS, %d characters in the first", len(texts), len(texts[0]))
				if c == siaga.PPWP && len(texts) != 1 {
					t.Errorf("ppwp takes %d SMS, want 1", len(texts))
				}
				var body []string
				parts := make([][]string, len(texts)+1)
				for _, i := range rng.Perm(len(texts)) {
					text := texts[i]
					if len(text) > MaxLen {
						t.Errorf("SMS %d is %d characters: %q", i+1, len(text), text)
					}
					m, err := Parse(text)
					if err != nil {
						t.Fatalf("Parse(%q): %v", text, err)
					}
					if !codeMatches(secret, m.Canonical(), m.Code) {
						t.Errorf("SMS %q: code does not match", text)
					}
					if len(texts) > 1 && (m.Part != i+1 || m.Parts != len(texts) || m.ID != "7Q") {
						t.Errorf("SMS %q: part %d/%d/%s, want %d/%d/7Q", text, m.Part, m.Parts, m.ID, i+1, len(texts))
					}
					parts[max(m.Part, 1)] = m.Body
				}
				for _, p := range parts {
					body = append(body, p...)
				}
				got, err := Read(c, body, b)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(sub.Form, got); diff != "" {
					t.Errorf("form read back (-sent +read):\n%s", diff)
				}
			})
		}
	}
}

// randomForm fills every number of a ballot: busy puts votes on every
// candidate (the longest SMS), else most candidates get none, as at a
// real TPS.
func randomForm(rng *rand.Rand, c siaga.Contest, b Ballot, busy bool) *siaga.Submission {
	f := siaga.Form{Admin: siaga.Admin{}, Votes: &siaga.Votes{}}
	for _, name := range AdminOrder {
		f.Admin[name] = rng.IntN(300)
	}
	if !c.Legislative() {
		f.Votes.Options = map[string]int{}
		for _, o := range b.Options {
			f.Votes.Options[o] = rng.IntN(300)
		}
	} else {
		f.Votes.Parties = map[string]siaga.PartyVotes{}
		for party, list := range b.Lists {
			pv := siaga.PartyVotes{Party: rng.IntN(40), Candidates: map[string]int{}}
			for i, id := range list {
				if busy || i == 0 || rng.IntN(4) == 0 {
					pv.Candidates[id] = rng.IntN(60)
				} else {
					pv.Candidates[id] = 0
				}
			}
			f.Votes.Parties[strconv.Itoa(party)] = pv
		}
	}
	return &siaga.Submission{TPS: tps, Contest: c, Form: f}
}
