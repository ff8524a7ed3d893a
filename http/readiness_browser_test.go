package http_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestBrowserReadinessMap: the province map draws its 8 kab/kota shaded
// by their share of TPS at risk, a click drills down to a kab/kota and a
// kecamatan, where the TPS are points coloured by level, and ticking the
// hazard layer draws its zones.
func TestBrowserReadinessMap(t *testing.T) {
	n := newNode(t)
	s := seedReadiness(t, n)
	base := nodetest.Serve(t, n)
	ctx := browser(t)
	poll := func(what, js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// clickJS clicks what css selects as a user would, though it may lie
	// under another shape: Leaflet finds the layer from the event's target.
	clickJS := func(css string) string {
		return `(function(){var e=document.querySelector('` + css + `');if(!e)return false;` +
			`e.dispatchEvent(new MouseEvent("click",{bubbles:true,cancelable:true,view:window}));return true})()`
	}
	click := func(css string) { t.Helper(); eval[bool](t, ctx, clickJS(css)) }
	clickAndLoad := func(css string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Evaluate[bool](clickJS(css)))); err != nil {
			t.Fatalf("clicking %s: %v", css, err)
		}
	}

	do(t, ctx, chromedp.Navigate(base+"/kesiapan/36"))
	poll("the province map", `document.querySelectorAll("path.region-poly").length === 8`)
	fills := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("path.region-poly")).map(function(p){return p.getAttribute("data-code")+"="+p.getAttribute("fill")})`)
	pandeglang, other := "", ""
	for _, f := range fills {
		if f[:4] == "3601" {
			pandeglang = f[5:]
		} else {
			other = f[5:]
		}
	}
	if pandeglang == "" || pandeglang == other {
		t.Errorf("Pandeglang (TPS at risk) is not shaded apart: %v", fills)
	}

	clickAndLoad(`path.region-poly[data-code="3601"]`)
	poll("drilling down to Pandeglang", `location.pathname === "/kesiapan/3601" && document.querySelectorAll("path.region-poly").length > 10`)
	clickAndLoad(`path.region-poly[data-code="360101"]`)
	want := len(n.Regions.TPSOf("360101"))
	poll("the kecamatan's TPS points", `location.pathname === "/kesiapan/360101" && document.querySelectorAll("path.tps-point").length === `+strconv.Itoa(want))
	if got := eval[string](t, ctx, `document.querySelector('path.tps-point[data-code="`+s.blank.Code+`"]').getAttribute("class")`); !strings.Contains(got, "level-rawan") {
		t.Errorf("the blank-spot TPS is drawn %q, want level-rawan", got)
	}
	if eval[int](t, ctx, `document.querySelectorAll("path.hazard-zone").length`) != 0 {
		t.Error("hazard zones drawn before their layer was ticked")
	}
	click(`input[name="lapisan"][value="hazards"]`)
	poll("the hazard layer", `document.querySelectorAll("path.hazard-zone").length === 1`)
}
