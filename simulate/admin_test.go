package simulate

import (
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/rules"
)

func TestCleanAdminBreaksNoRule(t *testing.T) {
	el := &siaga.Election{ID: "test", Tickets: []siaga.Ticket{{Number: "01"}, {Number: "02"}, {Number: "03"}}}
	for _, tt := range []struct{ dpt, sah int }{{300, 208}, {250, 200}, {120, 100}, {2, 0}} {
		f := siaga.Form{Admin: CleanAdmin(tt.dpt, tt.sah),
			Votes: &siaga.Votes{Options: map[string]int{"01": tt.sah / 2, "02": tt.sah - tt.sah/2, "03": 0}}}
		if broken := rules.Check(&f, rules.Context{Election: el, TPS: siaga.TPS{DPT: tt.dpt}}); broken != nil {
			t.Errorf("CleanAdmin(%d, %d) breaks %v: %v", tt.dpt, tt.sah, broken, f.Admin)
		}
	}
}
