package http_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/chromium/chromiumtest"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// browser starts a headless Chromium with a fresh profile, or skips.
func browser(t *testing.T) context.Context {
	t.Helper()
	return chromiumtest.Start(t, 1280, 1000, 90*time.Second)
}

func TestBrowserDashboard(t *testing.T) {
	n := newNode(t)
	base := nodetest.Serve(t, n)
	ctx := browser(t) // after serve: cleanups run browser first, so no stream holds up shutdown

	tpsA := n.Regions.TPSOf("3601")[0]
	tpsB := n.Regions.TPSOf("3602")[0]
	tpsC := n.Regions.TPSOf("3673")[0]
	submit(t, n, tpsA.Code, siaga.SourceKPPS, ppwpForm(tpsA.DPT, [3]int{100, 50, 20}, 3))
	submit(t, n, tpsB.Code, siaga.SourceKPPS, ppwpForm(tpsB.DPT, [3]int{10, 120, 30}, 2))
	submit(t, n, tpsC.Code, siaga.SourceKPPS, ppwpForm(tpsC.DPT, [3]int{1000, 1000, 1000}, 0))
	// A witness who saw other numbers: R11 on the TPS page.
	submit(t, n, tpsA.Code, siaga.SourceSaksi, ppwpForm(tpsA.DPT, [3]int{90, 60, 20}, 3))

	do(t, ctx, chromedp.Navigate(base+"/wilayah/36"), chromedp.WaitVisible(chromedp.CSS(`path.leaflet-interactive`)))
	reported := text(t, ctx, `[data-k="tps_reported"]`)
	sah := text(t, ctx, `[data-k="suara_sah"]`)
	votes01 := text(t, ctx, `tr[data-option="01"] [data-v="votes"]`)
	share02 := text(t, ctx, `tr[data-option="02"] [data-v="share"]`)
	if reported != "3" || sah != "3.330" || votes01 != "1.110" || share02 != "35,1%" {
		t.Errorf("tally in the DOM: reported %q sah %q 01 %q share 02 %q; want 3, 3.330, 1.110, 35,1%%", reported, sah, votes01, share02)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("path.leaflet-interactive").length`); n < 8 {
		t.Errorf("map drew %d polygons, want the 8 kab/kota", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#chart svg path.line").length`); n != 1 {
		t.Errorf("chart has %d line paths, want 1", n)
	}

	// Live: a new report reaches the open page through /events, no reload.
	tpsD := n.Regions.TPSOf("3604")[0]
	eval[bool](t, ctx, `window.__noReload = true`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#live-status`)))
	// A voter list of 1 on the form: a second TPS breaking R6 and R7.
	submit(t, n, tpsD.Code, siaga.SourceKPPS, ppwpForm(1, [3]int{1, 2, 3}, 0))
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`document.querySelector('[data-k="tps_reported"]').textContent === "4" && window.__noReload === true`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("live update did not arrive: %v", err)
	}
	if live := text(t, ctx, `[data-k="suara_sah"]`); live != "3.336" {
		t.Errorf("suara sah after live update = %q, want 3.336", live)
	}

	if flags := text(t, ctx, `#flags`); !strings.Contains(flags, "R6 2 TPS") {
		t.Errorf("flags after live update: %q, want R6 on 2 TPS", flags)
	}
	checkScreenshot(t, ctx)

	// Drill down: a kab/kota draws its kecamatan, a TPS shows sources side by side.
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
		chromedp.Click(chromedp.CSS(`#children a[href^="/wilayah/3601"]`)))); err != nil {
		t.Fatalf("drilling down: %v", err)
	}
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](
		`location.pathname === "/wilayah/3601" && document.querySelectorAll("path.leaflet-interactive").length > 10`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Errorf("Pandeglang did not draw its kecamatan: %v", err)
	}
	do(t, ctx, chromedp.Navigate(base+"/tps/"+tpsA.Code))
	tpsText := text(t, ctx, `main`)
	for _, want := range []string{"KPPS", "Saksi", "Riwayat versi", "beda", "R11"} {
		if !strings.Contains(tpsText, want) {
			t.Errorf("TPS page lacks %q", want)
		}
	}
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return strings.TrimSpace(s)
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// checkScreenshot takes a full-page PNG and makes sure the map area shows a
// drawing, not one flat colour.
func checkScreenshot(t *testing.T, ctx context.Context) {
	t.Helper()
	box := eval[[]float64](t, ctx, `(function(){var r=document.getElementById("map").getBoundingClientRect();return [r.left+scrollX,r.top+scrollY,r.width,r.height]})()`)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 asks for PNG, lower for JPEG
	if err != nil {
		t.Fatal(err)
	}
	if len(shot) < 20_000 {
		t.Fatalf("screenshot is only %d bytes", len(shot))
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 800 {
		t.Fatalf("screenshot is %v", b)
	}
	if colours := sampleColours(img, box); colours < 4 {
		t.Errorf("map area has %d distinct colours, want a drawn map", colours)
	}
	if os.Getenv("SIAGA_SCREENSHOTS") == "1" {
		path := filepath.Join("..", "docs", "screenshots", "dashboard.png")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func sampleColours(img image.Image, box []float64) int {
	seen := map[[3]uint32]bool{}
	if len(box) != 4 {
		return 0
	}
	for i := 1; i < 20; i++ {
		for j := 1; j < 20; j++ {
			x := int(box[0] + box[2]*float64(i)/20)
			y := int(box[1] + box[3]*float64(j)/20)
			r, g, b, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, b >> 8}] = true
		}
	}
	return len(seen)
}
