package demo

import (
	"context"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/sitrep"
)

// sitrepDays are the mornings whose situation report the demo stores for
// Banten: the quiet days (11–13 February 2024, campaign over) and voting
// day, 14 February, whose 06:00 WIB report the desk prints for its
// morning meeting. The node's own schedule stores today's; a demo played
// after 2024 has its election days printed here, through the same call
// the schedule makes, so the archive holds what the desk saw each
// morning. Run it after the other demos: the report counts what they
// recorded.
var sitrepDays = []int{11, 12, 13, 14}

// sitrepDemo stores Banten's morning reports of the demo's days. Open
// /laporan-situasi/36/arsip to read them, /laporan-situasi/36?pada=2024-02-14T06:00
// for the web report of voting day's morning.
func sitrepDemo(ctx context.Context, n *node.Node) error {
	root := "36"
	for _, d := range sitrepDays {
		at := time.Date(2024, 2, d, sitrep.MorningHour, 0, 0, 0, siaga.WIB)
		if _, err := n.Sitrep.StoreReport(ctx, root, at); err != nil {
			return err
		}
	}
	return nil
}
