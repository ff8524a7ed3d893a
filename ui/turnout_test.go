package ui

import (
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
)

func TestTurnoutGap(t *testing.T) {
	for _, tt := range []struct {
		name                 string
		voters, sah, invalid int64
		gap                  int64
		share                float64
		explains             string
	}{
		{"equal", 100, 95, 5, 0, 0.5, ""},
		{"ballots taken home", 103, 95, 5, 3, 0.515, "dibawa pulang"},
		{"more ballots than voters", 90, 95, 5, -10, 0.45, "tidak mungkin"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tu := turnoutOf(siaga.Tally{Voters: tt.voters, SuaraSah: tt.sah, SuaraTidakSah: tt.invalid, VotersDPT: 200, DPT: 1000})
			why, en := gapReason(tu.Gap)
			if tu.Gap != tt.gap || tu.Share != tt.share || !strings.Contains(why, tt.explains) || (tt.explains == "") != (why == "") || (why == "") != (en == "") {
				t.Errorf("gap %d share %v %q / %q, want %d, %v explaining %q", tu.Gap, tu.Share, why, en, tt.gap, tt.share, tt.explains)
			}
		})
	}
}
