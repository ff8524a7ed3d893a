package node

import (
	"context"
	"fmt"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/meeting"
)

// The situation report reads each module through a small interface of its
// own (sitrep.Alerts, Cases, Actions); these adapters word each module's
// rows as the report's lines, so that neither side imports the other.

// overdueActions are the meetings' action items past their due day.
type overdueActions struct{ store siaga.MeetingStore }

func (a overdueActions) OverdueActions(ctx context.Context, region string, at time.Time, limit int) (siaga.SitrepItems, error) {
	page, err := a.store.ActionItems(ctx, siaga.ActionItemFilter{Scope: region, OverdueOn: meeting.Today(at), Limit: limit})
	if err != nil {
		return siaga.SitrepItems{}, err
	}
	out := siaga.SitrepItems{Total: page.Total}
	for _, it := range page.Items {
		due, _ := time.ParseInLocation(siaga.DueDate, it.Due, siaga.WIB)
		out.Items = append(out.Items, siaga.SitrepItem{
			ID: it.ID, Region: it.Region, Title: it.Text, At: due,
			Detail: fmt.Sprintf("%s · jatuh tempo %s", it.Agency, it.Due),
			URL:    "/rapat/" + it.Region + "/tindak-lanjut",
		})
	}
	return out, nil
}
