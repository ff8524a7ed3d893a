package http_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestBrowserWarning runs the early warning in Chromium on one node (on the
// real clock: the scan looks back from now): verified reports that cluster
// in one kecamatan raise an alert on the scan; the desk finds it on
// /peringatan-dini/36, opens its page, which lists the reports and draws
// them on a map around the alert's circle; and the readiness map's
// "Peringatan dini" and "Insiden" boxes draw the alert and the reports.
func TestBrowserWarning(t *testing.T) {
	n := nodetest.Open(t, nil)
	base := nodetest.Serve(t, n)
	ctx := browser(t)
	bg := context.Background()
	if _, err := n.Auth.CreateUser(bg, "desk.sinyal", "desk.sinyal", staffPassword, siaga.RoleDesk, "36"); err != nil {
		t.Fatal(err)
	}
	ids := seedCluster(t, n, "360101", time.Now())
	n.Warning.Trigger()
	if _, err := n.Warning.Scan(bg); err != nil {
		t.Fatal(err)
	}
	alerts, err := n.Store.WarningAlerts(bg, siaga.WarningFilter{Scope: "36"})
	if err != nil || len(alerts) != 1 {
		t.Fatalf("alerts %+v (%v)", alerts, err)
	}
	a := alerts[0]

	do(t, ctx, chromedp.Navigate(base+"/masuk?next="+url.QueryEscape("/peringatan-dini/36")),
		chromedp.SetValue(`input[name=username]`, "desk.sinyal"), chromedp.SetValue(`input[name=password]`, staffPassword),
		chromedp.Submit(`input[name=password]`))
	row := fmt.Sprintf(`#s-%d a[href="/peringatan-dini/36/sinyal/%d"]`, a.ID, a.ID)
	waitFor(t, ctx, `location.pathname === "/peringatan-dini/36" && !!document.querySelector(`+strconv.Quote(row)+`)`, "the alert in the list")

	t.Run("alert page", func(t *testing.T) {
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
			chromedp.Evaluate[bool](`document.querySelector(`+strconv.Quote(row)+`).click(), true`))); err != nil {
			t.Fatalf("opening the alert: %v", err)
		}
		waitFor(t, ctx, `document.querySelectorAll("#sinyal-map path.sinyal-laporan").length === 3 && !!document.querySelector("#sinyal-map path.sinyal-lingkar")`,
			"the alert's circle and its 3 reports on the map")
		for _, id := range ids {
			sel := fmt.Sprintf(`#sinyal-reports a[href="/insiden/36/laporan/%d"]`, id)
			if !eval[bool](t, ctx, `!!document.querySelector(`+strconv.Quote(sel)+`)`) {
				t.Errorf("report %d not listed", id)
			}
		}
		if eval[bool](t, ctx, `!!document.querySelector("#sinyal-reports script")`) {
			t.Error("a report's title ran as HTML")
		}
	})
	t.Run("readiness map layers", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(base+"/kesiapan/3601"))
		waitFor(t, ctx, `!!document.getElementById("readiness-map") && document.getElementById("readiness-map").dataset.ready === "1"`, "the readiness map")
		if eval[int](t, ctx, `document.querySelectorAll("#readiness-map path.insiden-titik").length`) != 0 {
			t.Error("the Insiden layer is drawn before it is ticked")
		}
		eval[bool](t, ctx, `(function(){var b=document.querySelector('input[name="lapisan-peringatan"]');b.click();return b.checked})()`)
		waitFor(t, ctx, `document.querySelectorAll('#readiness-map path[stroke="#b42318"]').length === 1`, "the alert's circle")
		eval[bool](t, ctx, `(function(){var b=document.querySelector('input[name="lapisan-insiden"]');b.click();return b.checked})()`)
		waitFor(t, ctx, `document.querySelectorAll("#readiness-map path.insiden-titik").length === 3 && document.querySelector('input[name="lapisan-insiden"]').dataset.drawn === "3"`,
			"the 3 verified reports (not the unchecked nor the rejected one)")
		if got := eval[string](t, ctx, `document.querySelector("#readiness-map path.insiden-titik").getAttribute("fill")`); got != "#b42318" {
			t.Errorf("a violence report drawn in %q, want #b42318", got)
		}
	})
}
