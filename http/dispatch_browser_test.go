package http_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
)

// TestBrowserDispatch: the dispatch board of a desa updates itself when
// one of its TPS reports, without a reload.
func TestBrowserDispatch(t *testing.T) {
	n := newNode(t)
	base := serve(t, n)
	ctx := browser(t)

	tps := n.Regions.TPSOf("3601")[0]
	desa := siaga.ParentCode(tps.Code)
	// The board is staff data: an anonymous visitor is sent to log in, and
	// comes back to the board after.
	if _, err := n.Auth.CreateUser(context.Background(), "ppk", "Budi PPK", "rahasia-panjang-123", siaga.RolePPK, "360101"); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(base+"/dispatch?wilayah="+desa),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), "ppk"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "rahasia-panjang-123"),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#tps-`+tps.Code)))
	before := text(t, ctx, `#tps-`+tps.Code+` [data-c="contests"]`)
	if !strings.HasPrefix(before, "Presiden") {
		t.Fatalf("contests due before the report: %q", before)
	}
	eval[bool](t, ctx, `window.__noReload = true`)
	submit(t, n, tps.Code, siaga.SourceKPPS, ppwpForm(tps.DPT, [3]int{10, 20, 30}, 1))
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`document.querySelector('#tps-`+tps.Code+` [data-c="contests"]').textContent.indexOf("Presiden") < 0 && window.__noReload === true`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("the board did not update live: %v", err)
	}
}
