package http_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestBrowserPlanMap: the planning page draws its plan with Leaflet: the
// chosen site with its coverage circle and the target TPS, covered or not.
func TestBrowserPlanMap(t *testing.T) {
	w := newSignalDesa(t)
	base := nodetest.Serve(t, w.n)
	ctx := browser(t)
	if _, err := w.n.Auth.CreateUser(context.Background(), "desk.peta", "Desk", staffPassword, siaga.RoleDesk, "36"); err != nil {
		t.Fatal(err)
	}
	plan := "/rencana/" + w.desa + "?kind=cow&k=1"
	do(t, ctx, chromedp.Navigate(base+"/masuk?next="+url.QueryEscape(plan)),
		chromedp.SetValue(`input[name=username]`, "desk.peta"), chromedp.SetValue(`input[name=password]`, staffPassword),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(chromedp.CSS(`#plan-map`)))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#plan-map").dataset.drawn !== undefined`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("the plan map was not drawn: %v", err)
	}
	for _, tt := range []struct {
		css  string
		want int
	}{
		{"path.plan-site", 1},      // COW-A
		{"path.plan-radius", 1},    // its circle
		{"path.plan-covered", 2},   // TPS a and c, the blank ones it reaches
		{"path.plan-uncovered", 0}, // no other blank TPS
	} {
		if got := eval[int](t, ctx, `document.querySelectorAll("`+tt.css+`").length`); got != tt.want {
			t.Errorf("%s: %d drawn, want %d", tt.css, got, tt.want)
		}
	}
	if got := text(t, ctx, `#plan-ratio`); got != "100" {
		t.Errorf("ratio shown %q, want 100", got)
	}

	// A click on the candidate map places the point and fills the form;
	// saved, the drawn VSAT site is the plan's.
	do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS(`#candidate-map`)), chromedp.Click(chromedp.CSS(`#candidate-map`)))
	lat, lon := eval[string](t, ctx, `document.querySelector("#candidate-form [name=lat]").value`),
		eval[string](t, ctx, `document.querySelector("#candidate-form [name=lon]").value`)
	if lat == "" || lon == "" || eval[int](t, ctx, `document.querySelectorAll("path.candidate-point").length`) != 1 {
		t.Fatalf("a click on the candidate map: lat %q lon %q, want both filled and one point drawn", lat, lon)
	}
	// The click's point lies wherever the map was; put it at TPS c to
	// plan for it, as an officer would by zooming in.
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#candidate-form [name=lat]`), strconv.FormatFloat(w.c.Lat, 'f', 6, 64)),
		chromedp.SetValue(chromedp.CSS(`#candidate-form [name=lon]`), strconv.FormatFloat(w.c.Lon, 'f', 6, 64)),
		chromedp.SetValue(chromedp.CSS(`#candidate-form [name=name]`), "Atap balai desa"),
		chromedp.SetValue(chromedp.CSS(`#candidate-form [name=intervention]`), "vsat"),
		chromedp.Submit(chromedp.CSS(`#candidate-form [name=name]`)),
		chromedp.WaitVisible(chromedp.CSS(`#plan-result`)))
	if got := eval[string](t, ctx, `document.querySelector("#plan-sites tr").dataset.code`); !strings.HasPrefix(got, "PETA-") {
		t.Errorf("after drawing a VSAT site the plan chose %q, want the drawn one", got)
	}
}
