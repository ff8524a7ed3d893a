package http_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestBrowserLogisticsBoard: a province logistics officer opens the
// board of Banten (on the real clock, so at the end of voting day: the
// session must not expire in 2024), sees the share and the countdown, picks an item (the
// select applies itself) and clicks into a kab/kota.
func TestBrowserLogisticsBoard(t *testing.T) {
	n, _, _ := boardNode(t, nil)
	base := nodetest.Serve(t, n)
	ctx := browser(t)
	if _, err := n.Auth.CreateUser(context.Background(), "logistik.banten", "Logistik", staffPassword, siaga.RoleLogistik, "36"); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(base+"/masuk?next="+url.QueryEscape("/logistik/36")),
		chromedp.SetValue(`input[name=username]`, "logistik.banten"), chromedp.SetValue(`input[name=password]`, staffPassword),
		chromedp.Submit(`input[name=password]`))
	// The login navigates twice (the form, then the board): a poll
	// caught between the two pages is tried again.
	for deadline := time.Now().Add(20 * time.Second); ; {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!document.querySelector("#share-complete")`, chromedp.WithPollingTimeout(5*time.Second)))
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no board after login: %v at %s: %.400s", err, eval[string](t, ctx, `location.href`), eval[string](t, ctx, `document.querySelector("main") ? document.querySelector("main").innerText : ""`))
		}
	}
	total := len(n.Regions.TPSOf("36"))
	if got := text(t, ctx, `#share-complete`); !strings.HasPrefix(got, "0 dari ") {
		t.Errorf("share %q, want 0 of %d", got, total)
	}
	if got := text(t, ctx, `#countdown`); !strings.Contains(got, "Hari H") {
		t.Errorf("countdown %q", got)
	}
	// Picking the option fires its change: the page reloads filtered.
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
		chromedp.Evaluate[bool](`(function(){var s=document.querySelector("#filter-barang");s.value="kotak_suara";s.dispatchEvent(new Event("change"));return true})()`))); err != nil {
		t.Fatalf("picking boxes: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`location.search.includes("barang=kotak_suara") && document.querySelector("#share-complete").textContent.startsWith("1 dari")`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("the item filter did not change the share: %v (%q)", err, text(t, ctx, `#share-complete`))
	}
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
		chromedp.Evaluate[bool](`document.querySelector('#wilayah tr[data-code="3601"] a').click(), true`))); err != nil {
		t.Fatalf("clicking Pandeglang: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`location.pathname === "/logistik/3601" && location.search.includes("barang=kotak_suara")`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("not on Pandeglang's board with the filter kept: %v", err)
	}
	if got := text(t, ctx, `#share-complete`); !strings.HasPrefix(got, "1 dari ") {
		t.Errorf("Pandeglang's boxes: %q, want 1 complete", got)
	}
}
