package rules

import (
	"testing"

	"github.com/deskpemilu/siaga"
)

func TestDisagree(t *testing.T) {
	ppwp := func(edit func(*siaga.Form)) *siaga.Form {
		f := ppwpForm()
		if edit != nil {
			edit(&f)
		}
		return &f
	}
	dpr := func(edit func(*siaga.Form)) *siaga.Form {
		f := dprForm()
		if edit != nil {
			edit(&f)
		}
		return &f
	}
	tests := []struct {
		name string
		a, b *siaga.Form
		want bool
	}{
		{"same", ppwp(nil), ppwp(nil), false},
		{"nil", ppwp(nil), nil, false},
		{"admin differs", ppwp(nil), ppwp(func(f *siaga.Form) { f.Admin["suara_sah"] = 214 }), true},
		{"admin field only in one", ppwp(nil), ppwp(func(f *siaga.Form) { delete(f.Admin, "suara_sah") }), false},
		{"admin missing in one", ppwp(nil), ppwp(func(f *siaga.Form) { f.Admin = nil }), false},
		{"votes missing in one", ppwp(nil), ppwp(func(f *siaga.Form) { f.Votes = nil }), false},
		{"option differs", ppwp(nil), ppwp(func(f *siaga.Form) { f.Votes.Options["03"] = 10 }), true},
		{"absent option is zero", ppwp(func(f *siaga.Form) { f.Votes.Options["03"] = 0 }),
			ppwp(func(f *siaga.Form) { delete(f.Votes.Options, "03") }), false},
		{"option only in second", ppwp(func(f *siaga.Form) { delete(f.Votes.Options, "03") }), ppwp(nil), true},
		{"dpr same", dpr(nil), dpr(nil), false},
		{"party votes differ", dpr(nil), dpr(func(f *siaga.Form) { f.Votes.Parties["24"] = siaga.PartyVotes{Party: 61} }), true},
		{"candidate differs", dpr(nil), dpr(func(f *siaga.Form) { f.Votes.Parties["4"].Candidates["04-9"] = 6 }), true},
		{"written total differs", dpr(nil), dpr(func(f *siaga.Form) {
			p := f.Votes.Parties["4"]
			p.Total = intp(96)
			f.Votes.Parties["4"] = p
		}), true},
		{"written total only in one", dpr(nil), dpr(func(f *siaga.Form) {
			p := f.Votes.Parties["4"]
			p.Total = nil
			f.Votes.Parties["4"] = p
		}), false},
		{"party only in second", dpr(func(f *siaga.Form) { delete(f.Votes.Parties, "24") }), dpr(nil), true},
		{"empty party only in second", dpr(nil), dpr(func(f *siaga.Form) { f.Votes.Parties["2"] = siaga.PartyVotes{} }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Disagree(tt.a, tt.b); got != tt.want {
				t.Errorf("Disagree(a, b) = %v, want %v", got, tt.want)
			}
			if got := Disagree(tt.b, tt.a); got != tt.want {
				t.Errorf("Disagree(b, a) = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestR11(t *testing.T) {
	a, b := ppwpForm(), ppwpForm()
	c := ppwpForm()
	c.Votes.Options["01"]++
	tests := []struct {
		name  string
		forms []*siaga.Form
		want  bool
	}{
		{"none", nil, false},
		{"one", []*siaga.Form{&a}, false},
		{"agree", []*siaga.Form{&a, nil, &b}, false},
		{"last disagrees", []*siaga.Form{&a, &b, &c}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := R11(tt.forms); got != tt.want {
				t.Errorf("R11 = %v, want %v", got, tt.want)
			}
		})
	}
}
