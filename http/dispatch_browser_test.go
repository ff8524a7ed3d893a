package http_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestBrowserDispatch: the dispatch board of a desa tells the TPS from
// which nothing arrived from those received without their vote page,
// with counts of each, and updates itself when one of its TPS reports,
// without a reload. The board is staff's: the desk logs in first.
func TestBrowserDispatch(t *testing.T) {
	n := newNode(t)
	base := nodetest.Serve(t, n)
	ctx := browser(t)
	if _, err := n.Auth.CreateUser(context.Background(), "desk", "Desk", "rahasia-panjang-123", siaga.RoleDesk, "36"); err != nil {
		t.Fatal(err)
	}

	tps := n.Regions.TPSOf("3601")[0]
	desa := siaga.ParentCode(tps.Code)
	inDesa := n.Regions.TPSOf(desa)
	if len(inDesa) < 3 {
		t.Fatalf("desa %s has %d TPS, the test needs 3", desa, len(inDesa))
	}
	// The second TPS's form came without its vote page (R12).
	partial := inDesa[1]
	submit(t, n, partial.Code, siaga.SourceKPPS, siaga.Form{Admin: ppwpForm(partial.DPT, [3]int{10, 20, 30}, 1).Admin})
	do(t, ctx, chromedp.Navigate(base+"/masuk?next="+url.QueryEscape("/dispatch?wilayah="+desa)),
		chromedp.SetValue(`input[name=username]`, "desk"), chromedp.SetValue(`input[name=password]`, "rahasia-panjang-123"),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(chromedp.CSS(`#tps-`+tps.Code)))
	if got := text(t, ctx, `#tps-`+tps.Code+` [data-c="contests"]`); got != "belum masuk: Presiden" {
		t.Fatalf("contests due before the report: %q", got)
	}
	if got := text(t, ctx, `#tps-`+partial.Code+` [data-c="kind"]`); got != "diterima, tidak lengkap" {
		t.Errorf("the TPS received without votes is shown as %q", got)
	}
	all := len(inDesa)
	if got, want := text(t, ctx, `[data-d="missing"]`), fmt.Sprint(all-1); got != want {
		t.Errorf("nothing received: %s, want %s", got, want)
	}
	if got := text(t, ctx, `[data-d="incomplete"]`); got != "1" {
		t.Errorf("received, incomplete: %s, want 1", got)
	}
	if got, want := text(t, ctx, `#dispatch-count`), fmt.Sprintf("dari %d TPS", all); !strings.Contains(got, want) {
		t.Errorf("count line %q, want %q", got, want)
	}
	eval[bool](t, ctx, `window.__noReload = true`)
	submit(t, n, tps.Code, siaga.SourceKPPS, ppwpForm(tps.DPT, [3]int{10, 20, 30}, 1))
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`!document.querySelector('#tps-`+tps.Code+`') && document.querySelector('[data-d="missing"]').textContent === "`+
			fmt.Sprint(all-2)+`" && window.__noReload === true`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("the board did not update live: %v", err)
	}

	// Only the incomplete ones, then only the missing ones.
	do(t, ctx, chromedp.Navigate(base+"/dispatch?wilayah="+desa+"&kontes=ppwp&jenis=incomplete"),
		chromedp.WaitVisible(chromedp.CSS(`#tps-`+partial.Code)))
	if rows := eval[int](t, ctx, `document.querySelectorAll("#dispatch-rows tr").length`); rows != 1 {
		t.Errorf("jenis=incomplete lists %d rows, want 1", rows)
	}
	do(t, ctx, chromedp.Navigate(base+"/dispatch?wilayah="+desa+"&kontes=ppwp&jenis=missing"),
		chromedp.WaitVisible(chromedp.CSS(`#dispatch-count`)))
	if rows := eval[int](t, ctx, `document.querySelectorAll("#dispatch-rows tr[data-kind=missing]").length`); rows != all-2 {
		t.Errorf("jenis=missing lists %d missing rows, want %d", rows, all-2)
	}
}
