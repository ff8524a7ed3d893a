package http_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
	"github.com/deskpemilu/siaga/postponement"
)

// TestBrowserDispatchPostponed: on the dispatch board of Pondok Kacang
// Timur after the flood, the postponed TPS are "ditunda" with their kind,
// status and new date, counted apart from the missing ones and listed
// after them; the filter shows them alone; when a postponed TPS's form
// arrives, its row leaves the board live, as any TPS's does.
func TestBrowserDispatchPostponed(t *testing.T) {
	n := newNode(t)
	base := nodetest.Serve(t, n)
	ctx := browser(t)
	bg := context.Background()
	if _, err := n.Auth.CreateUser(bg, "desk", "Desk", "rahasia-panjang-123", siaga.RoleDesk, "36"); err != nil {
		t.Fatal(err)
	}
	played, err := n.Postponements.PlayPondokAren(bg, "demo")
	if err != nil {
		t.Fatal(err)
	}
	const desa = "3674031007" // Pondok Kacang Timur: 14 of the 16
	inDesa := len(n.Regions.TPSOf(desa))
	first := played[0].TPS
	do(t, ctx, chromedp.Navigate(base+"/masuk?next="+url.QueryEscape("/dispatch?wilayah="+desa+"&kontes=ppwp")),
		chromedp.SetValue(`input[name=username]`, "desk"), chromedp.SetValue(`input[name=password]`, "rahasia-panjang-123"),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(chromedp.CSS(`#tps-`+first)))
	if got := text(t, ctx, `#tps-`+first+` [data-c="kind"]`); got != "ditunda PSS · diputuskan · tanggal baru 18-02-2024" {
		t.Errorf("the postponed TPS is shown as %q", got)
	}
	if got := text(t, ctx, `[data-d="postponed"]`); got != "14" {
		t.Errorf("postponed: %s, want 14", got)
	}
	if got, want := text(t, ctx, `[data-d="missing"]`), fmt.Sprint(inDesa-14); got != want {
		t.Errorf("nothing received: %s, want %s (the postponed are not missing)", got, want)
	}
	// The postponed come after every TPS a runner may be sent to.
	lastKinds := eval[string](t, ctx, `Array.from(document.querySelectorAll("#dispatch-rows tr")).map(r => r.dataset.kind).join(",")`)
	if want := "postponed"; len(lastKinds) < len(want) || lastKinds[len(lastKinds)-len(want):] != want {
		t.Errorf("row kinds in order %q: the postponed should come last", lastKinds)
	}

	eval[bool](t, ctx, `window.__noReload = true`)
	tps, _ := n.Regions.TPS(first)
	submit(t, n, first, siaga.SourceKPPS, ppwpForm(tps.DPT, [3]int{10, 20, 30}, 1))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](
		`!document.querySelector('#tps-`+first+`') && document.querySelector('[data-d="postponed"]').textContent === "13" && window.__noReload === true`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("the postponed TPS that reported did not leave the board live: %v", err)
	}

	do(t, ctx, chromedp.Navigate(base+"/dispatch?wilayah="+desa+"&kontes=ppwp&jenis=postponed"),
		chromedp.WaitVisible(chromedp.CSS(`#dispatch-count`)))
	if rows := eval[int](t, ctx, `document.querySelectorAll("#dispatch-rows tr[data-kind=postponed]").length`); rows != 13 {
		t.Errorf("jenis=postponed lists %d rows, want 13", rows)
	}
	if rows := eval[int](t, ctx, `document.querySelectorAll("#dispatch-rows tr").length`); rows != 13 {
		t.Errorf("jenis=postponed lists %d rows in all, want 13", rows)
	}
	if len(postponement.PondokAren) != 16 {
		t.Errorf("%d Pondok Aren TPS, want 16", len(postponement.PondokAren))
	}
}
