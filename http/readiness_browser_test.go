package http_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
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

// TestBrowserReadinessLogistics: a logistics officer of Pandeglang ticks
// the Logistik layer on the kab/kota's readiness map and sees its
// kecamatan shaded by their share of complete kits and the three
// shipments on their way as lines (the boat dashed, the held leg in its
// own colour); a click on a kecamatan goes down with the layer on, where
// the TPS are points coloured by kit status.
func TestBrowserReadinessLogistics(t *testing.T) {
	n, late, _ := mapNode(t, nil) // the real clock: the session must not expire in 2024
	base := nodetest.Serve(t, n)
	ctx := browser(t)
	if _, err := n.Auth.CreateUser(context.Background(), "logistik.pandeglang", "Logistik", staffPassword, siaga.RoleLogistik, "3601"); err != nil {
		t.Fatal(err)
	}
	poll := func(what, js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("%s: %v (at %s)", what, err, eval[string](t, ctx, `location.href`))
		}
	}
	do(t, ctx, chromedp.Navigate(base+"/masuk?next="+url.QueryEscape("/kesiapan/3601")),
		chromedp.SetValue(`input[name=username]`, "logistik.pandeglang"), chromedp.SetValue(`input[name=password]`, staffPassword),
		chromedp.Submit(`input[name=password]`))
	// The login navigates twice (the form, then the map): a poll caught
	// between the two pages is tried again.
	for deadline := time.Now().Add(20 * time.Second); ; {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](`location.pathname === "/kesiapan/3601" && !!document.getElementById("readiness-map") && document.getElementById("readiness-map").dataset.ready === "1"`,
			chromedp.WithPollingTimeout(5*time.Second)))
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no map after login: %v at %s", err, eval[string](t, ctx, `location.href`))
		}
	}
	if eval[int](t, ctx, `document.querySelectorAll("path.kit-region, path.moving-leg").length`) != 0 {
		t.Error("the Logistik layer is drawn before it is ticked")
	}
	eval[bool](t, ctx, `(function(){var b=document.querySelector('input[name="lapisan"][value="logistics"]');b.click();return b.checked})()`)
	kecs := len(n.Regions.Children("3601"))
	poll("the kecamatan shaded and the legs drawn", `document.querySelectorAll("path.kit-region").length === `+strconv.Itoa(kecs)+
		` && document.querySelectorAll("path.moving-leg").length === 3`)
	if got := eval[string](t, ctx, `document.querySelector('path.moving-leg[data-code="kapal-1"]').getAttribute("stroke-dasharray")`); got == "" {
		t.Error("the boat's leg is not dashed")
	}
	if got := eval[string](t, ctx, `document.querySelector('path.moving-leg.held').getAttribute("stroke") + " " + document.querySelector('path.moving-leg:not(.held)').getAttribute("stroke")`); got != "#6b21a8 #1570ef" {
		t.Errorf("held and moving legs drawn %q, want #6b21a8 #1570ef", got)
	}
	// The popup links to the shipment's page.
	eval[bool](t, ctx, `(function(){var e=document.querySelector('path.moving-leg[data-code="kotak-2"]');e.dispatchEvent(new MouseEvent("click",{bubbles:true,cancelable:true,view:window}));return true})()`)
	poll("the held leg's popup", `!!document.querySelector('.moving-popup a[href$="/kiriman/kotak-2"]') && document.querySelector(".moving-popup").textContent.includes("jalan putus")`)

	kec := late.Code[:6]
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Evaluate[bool](
		`(function(){var e=document.querySelector('path.kit-region[data-code="`+kec+`"]');e.dispatchEvent(new MouseEvent("click",{bubbles:true,cancelable:true,view:window}));return true})()`))); err != nil {
		t.Fatalf("clicking the kecamatan: %v", err)
	}
	want := len(n.Regions.TPSOf(kec))
	poll("the kecamatan's TPS by kit status", `location.pathname === "/kesiapan/`+kec+`" && document.querySelectorAll("path.kit-point").length === `+strconv.Itoa(want))
	if got := eval[string](t, ctx, `(function(){var p=document.querySelector('path.kit-point[data-code="`+late.Code+`"]');return p.getAttribute("class")+" "+p.getAttribute("fill")})()`); !strings.Contains(got, "kit-terlambat") || !strings.HasSuffix(got, " #f04438") {
		t.Errorf("the TPS with late ballots is drawn %q, want kit-terlambat in #f04438", got)
	}
}
