package http_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestBrowserDispatch: the dispatch board of a desa updates itself when
// one of its TPS reports, without a reload. The board is staff's: the
// desk logs in first.
func TestBrowserDispatch(t *testing.T) {
	n := newNode(t)
	base := nodetest.Serve(t, n)
	ctx := browser(t)
	if _, err := n.Auth.CreateUser(context.Background(), "desk", "Desk", "rahasia-panjang-123", siaga.RoleDesk, "36"); err != nil {
		t.Fatal(err)
	}

	tps := n.Regions.TPSOf("3601")[0]
	desa := siaga.ParentCode(tps.Code)
	do(t, ctx, chromedp.Navigate(base+"/masuk?next="+url.QueryEscape("/dispatch?wilayah="+desa)),
		chromedp.SetValue(`input[name=username]`, "desk"), chromedp.SetValue(`input[name=password]`, "rahasia-panjang-123"),
		chromedp.Submit(`input[name=password]`),
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
