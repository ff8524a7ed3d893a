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

// overdueCases are the Gakkumdu cases past their current stage's clock.
type overdueCases struct{ store siaga.CaseStore }

func (c overdueCases) OverdueCases(ctx context.Context, region string, at time.Time, limit int) (siaga.SitrepItems, error) {
	f := siaga.CaseFilter{Scope: region, OverdueAt: at, Limit: limit}
	cases, err := c.store.Cases(ctx, f)
	if err != nil {
		return siaga.SitrepItems{}, err
	}
	total, err := c.store.CountCases(ctx, f)
	if err != nil {
		return siaga.SitrepItems{}, err
	}
	out := siaga.SitrepItems{Total: total}
	for _, k := range cases {
		out.Items = append(out.Items, siaga.SitrepItem{
			ID: k.ID, Region: k.Region, Title: k.Title, At: k.Due,
			Detail: fmt.Sprintf("tahap %s · batas %s WIB", k.Stage, k.Due.In(siaga.WIB).Format("2006-01-02 15:04")),
			URL:    fmt.Sprintf("/gakkumdu/%s/perkara/%d", k.Region, k.ID),
		})
	}
	return out, nil
}

// openAlerts are the early-warning alerts not closed, raised by the
// report's moment. The store keeps no history of an alert's status, so a
// report of a past moment lists the alerts open now that were raised by
// then.
type openAlerts struct{ store siaga.WarningStore }

func (o openAlerts) OpenAlerts(ctx context.Context, region string, at time.Time, limit int) (siaga.SitrepItems, error) {
	f := siaga.WarningFilter{Scope: region, Statuses: []siaga.WarningStatus{siaga.WarningNew, siaga.WarningAcknowledged}, Limit: 1000}
	var out siaga.SitrepItems
	for {
		alerts, err := o.store.WarningAlerts(ctx, f)
		if err != nil {
			return siaga.SitrepItems{}, err
		}
		for _, a := range alerts {
			if a.RaisedAt.After(at) {
				continue
			}
			out.Total++
			if len(out.Items) < limit {
				out.Items = append(out.Items, siaga.SitrepItem{
					ID: a.ID, Region: a.Region, Title: a.Text, At: a.RaisedAt, Lat: a.Lat, Lon: a.Lon,
					Detail: fmt.Sprintf("%s · %d laporan", a.Category, len(a.Incidents)),
					URL:    "/peringatan-dini/" + a.Region,
				})
			}
		}
		if len(alerts) < f.Limit {
			return out, nil
		}
		f.Before = alerts[len(alerts)-1].ID
	}
}
